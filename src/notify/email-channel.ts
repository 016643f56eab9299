import { createHash } from 'node:crypto'
import nodemailer from 'nodemailer'
import type { NodemailerError, SMTPTransportOptions } from 'nodemailer'
import type { DeliveryResult, NotificationChannel, OutboundNotification } from './notification.js'
import {
  GRACE_NOTE,
  formatElapsed,
  isoUtc,
  leadLabel,
  oneLine,
  safeHttpUrl,
  severityLabel,
} from './render-common.js'

export interface EmailChannelOptions {
  /** e.g. `smtps://user:pass@smtp.example.com`; it may hold a password, so it never appears in errors. */
  readonly smtpUrl: string
  readonly from: string
  /** Extra transport settings (e.g. `tls`, timeouts); settings in the URL's query win over these. */
  readonly transportOptions?: Omit<SMTPTransportOptions, 'url'>
}

export interface RenderedEmail {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** nodemailer waits minutes by default; an outbox worker should fail fast and retry later. */
const DEFAULT_TIMEOUTS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
} as const

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** `<sha256(deliveryKey)@leadclock>`: a retried message carries the same id, so receivers can dedupe. */
export function emailMessageId(deliveryKey: string): string {
  return `<${createHash('sha256').update(deliveryKey, 'utf8').digest('hex')}@leadclock>`
}

interface Row {
  readonly label: string
  readonly value: string
}

function detailRows(notification: OutboundNotification): Row[] {
  const m = notification.message
  const rows: Row[] = [
    { label: 'Lead', value: leadLabel(m) },
    { label: 'Owner', value: m.ownerName ?? 'unassigned' },
    { label: 'Required action', value: m.requiredAction },
  ]
  if (m.actionDueAt !== null) {
    rows.push({ label: 'Action due', value: isoUtc(m.actionDueAt) })
  }
  if (m.clockElapsedMs !== null) {
    rows.push({ label: 'Elapsed business time', value: formatElapsed(m.clockElapsedMs) })
  }
  return rows
}

export function renderEmail(notification: OutboundNotification): RenderedEmail {
  const m = notification.message
  const severity = severityLabel(m.severity)
  const subject = oneLine(`[${severity}] ${m.subject} — ${m.stepTitle}: ${leadLabel(m)}`)
  const rows = detailRows(notification)
  const url = safeHttpUrl(m.leadUrl)
  const grace = `${GRACE_NOTE}: recorded for coaching, not escalated beyond the rep.`

  const text = [
    `${severity}: ${m.subject} — ${m.stepTitle}`,
    '',
    ...rows.map((row) => `${row.label}: ${row.value}`),
    ...(url === null ? [] : [`Open the lead: ${url}`]),
    ...(m.graced ? ['', grace] : []),
    '',
  ].join('\n')

  const html = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head><body style="font-family: sans-serif">',
    `<p><strong>${escapeHtml(severity)}</strong>: ${escapeHtml(m.subject)} — ${escapeHtml(m.stepTitle)}</p>`,
    '<table cellpadding="4">',
    ...rows.map(
      (row) =>
        `<tr><th align="left">${escapeHtml(row.label)}</th><td>${escapeHtml(row.value)}</td></tr>`,
    ),
    '</table>',
    ...(url === null ? [] : [`<p><a href="${escapeHtml(url)}">Open the lead</a></p>`]),
    ...(m.graced ? [`<p><em>${escapeHtml(grace)}</em></p>`] : []),
    '</body></html>',
    '',
  ].join('\n')

  return { subject, text, html }
}

/** Failures that no retry can fix: bad configuration or a message the library refuses to build. */
const PERMANENT_CODES = new Set(['ECONFIG', 'ENOAUTH', 'EREQUIRETLS', 'EMESSAGE'])

/**
 * SMTP replies decide when there is one: 5xx is permanent (except 503, a session-state error),
 * 4xx transient. Without a reply (refused connection, timeout, dropped socket) it is retryable.
 */
export function classifySmtpError(error: unknown): DeliveryResult {
  const e = (error ?? {}) as NodemailerError
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined
  const said = e.response === undefined ? (e.message ?? String(error)) : e.response
  const text = `SMTP delivery failed: ${oneLine(String(said)).slice(0, 300)}`
  if (responseCode !== undefined) {
    const permanent = e.permanent ?? (responseCode >= 500 && responseCode !== 503)
    return { ok: false, retryable: !permanent, error: text }
  }
  return { ok: false, retryable: !PERMANENT_CODES.has(e.code ?? ''), error: text }
}

export function createEmailChannel(options: EmailChannelOptions): NotificationChannel {
  const transport = nodemailer.createTransport({
    ...DEFAULT_TIMEOUTS,
    ...options.transportOptions,
    url: options.smtpUrl,
  })
  return {
    name: 'email',
    async deliver(notification, now) {
      const { recipient } = notification
      if (recipient.email === null) {
        return {
          ok: false,
          retryable: false,
          error: `recipient ${recipient.role} has no email address`,
        }
      }
      const rendered = renderEmail(notification)
      try {
        await transport.sendMail({
          from: options.from,
          to: { name: recipient.name, address: recipient.email },
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId: emailMessageId(notification.deliveryKey),
          date: new Date(now),
        })
        return { ok: true }
      } catch (error) {
        return classifySmtpError(error)
      }
    },
  }
}
