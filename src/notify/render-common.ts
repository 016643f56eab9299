import type { EscalationMessage } from './notification.js'

const SEVERITY_LABELS: Record<EscalationMessage['severity'], string> = {
  notice: 'Notice',
  reminder: 'Reminder',
  'formal-breach': 'Formal breach',
  critical: 'Critical',
  alert: 'Alert',
}

export function severityLabel(severity: EscalationMessage['severity']): string {
  return SEVERITY_LABELS[severity]
}

/** Business time as "2h 05m"; whole minutes, rounded down (the clock has not reached the next). */
export function formatElapsed(ms: number): string {
  const totalMinutes = Math.max(0, Math.floor(ms / 60_000))
  const hours = Math.floor(totalMinutes / 60)
  const minutes = totalMinutes % 60
  return `${hours}h ${String(minutes).padStart(2, '0')}m`
}

export function isoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString()
}

export const GRACE_NOTE = 'grace period — coaching only'

/** The lead's name with its company, e.g. "Jane Doe (Acme Corp)". */
export function leadLabel(message: EscalationMessage): string {
  return message.company === null ? message.leadName : `${message.leadName} (${message.company})`
}

/** The lead link as a normalised http(s) URL, or null: other schemes (javascript:, data:) are never linked. */
export function safeHttpUrl(raw: string | null): string | null {
  if (raw === null) {
    return null
  }
  try {
    const url = new URL(raw)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
  } catch {
    return null
  }
}

/** Collapses line breaks and runs of whitespace, for one-line fields such as a mail subject. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
