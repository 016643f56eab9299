import { afterEach, describe, expect, it } from 'vitest'
import {
  classifySmtpError,
  createEmailChannel,
  emailMessageId,
  renderEmail,
} from './email-channel.js'
import { closedPortUrl, sampleNotification, startSmtp } from './test-support.js'

const NOW = Date.parse('2026-03-03T17:05:01Z')

describe('renderEmail', () => {
  it('renders subject, plain text and HTML', () => {
    expect(renderEmail(sampleNotification({ channel: 'email' }))).toEqual({
      subject: '[Formal breach] SDR Response — Tier 1 — Second reminder: Jane Doe (Acme & Sons)',
      text: [
        'Formal breach: SDR Response — Tier 1 — Second reminder',
        '',
        'Lead: Jane Doe (Acme & Sons)',
        'Owner: Sam Rep',
        'Required action: Call the lead <today>',
        'Action due: 2026-03-03T18:00:00.000Z',
        'Elapsed business time: 2h 05m',
        'Open the lead: https://leadclock.example/leads/lead_01HX?tab=clock&x=1',
        '',
      ].join('\n'),
      html: [
        '<!doctype html>',
        '<html><head><meta charset="utf-8"></head><body style="font-family: sans-serif">',
        '<p><strong>Formal breach</strong>: SDR Response — Tier 1 — Second reminder</p>',
        '<table cellpadding="4">',
        '<tr><th align="left">Lead</th><td>Jane Doe (Acme &amp; Sons)</td></tr>',
        '<tr><th align="left">Owner</th><td>Sam Rep</td></tr>',
        '<tr><th align="left">Required action</th><td>Call the lead &lt;today&gt;</td></tr>',
        '<tr><th align="left">Action due</th><td>2026-03-03T18:00:00.000Z</td></tr>',
        '<tr><th align="left">Elapsed business time</th><td>2h 05m</td></tr>',
        '</table>',
        '<p><a href="https://leadclock.example/leads/lead_01HX?tab=clock&amp;x=1">Open the lead</a></p>',
        '</body></html>',
        '',
      ].join('\n'),
    })
  })

  it('notes the grace period and leaves out what is unknown', () => {
    const email = renderEmail(
      sampleNotification({
        message: {
          graced: true,
          company: null,
          ownerName: null,
          actionDueAt: null,
          clockElapsedMs: null,
          leadUrl: null,
        },
      }),
    )
    expect(email.subject).toBe('[Formal breach] SDR Response — Tier 1 — Second reminder: Jane Doe')
    expect(email.text).toBe(
      [
        'Formal breach: SDR Response — Tier 1 — Second reminder',
        '',
        'Lead: Jane Doe',
        'Owner: unassigned',
        'Required action: Call the lead <today>',
        '',
        'grace period — coaching only: recorded for coaching, not escalated beyond the rep.',
        '',
      ].join('\n'),
    )
    expect(email.html).toContain(
      '<p><em>grace period — coaching only: recorded for coaching, not escalated beyond the rep.</em></p>',
    )
    expect(email.html).not.toContain('<a ')
  })

  it('escapes user data in HTML, keeps the subject on one line and links only http(s)', () => {
    const email = renderEmail(
      sampleNotification({
        message: {
          leadName: '<script>alert("x")</script>',
          subject: 'Line one\r\nBcc: victim@example.com',
          leadUrl: 'javascript:alert(1)',
        },
      }),
    )
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(email.html).not.toContain('<script>')
    expect(email.html).not.toContain('javascript:')
    expect(email.subject).toBe(
      '[Formal breach] Line one Bcc: victim@example.com — Second reminder: <script>alert("x")</script> (Acme & Sons)',
    )
  })
})

describe('classifySmtpError', () => {
  it('5xx is permanent except 503; 4xx and connection errors are transient', () => {
    const smtp = (responseCode: number) =>
      Object.assign(new Error('x'), { responseCode, response: `${responseCode} nope` })
    expect(classifySmtpError(smtp(550))).toEqual({
      ok: false,
      retryable: false,
      error: 'SMTP delivery failed: 550 nope',
    })
    expect(classifySmtpError(smtp(503))).toMatchObject({ retryable: true })
    expect(classifySmtpError(smtp(421))).toMatchObject({ retryable: true })
    expect(classifySmtpError(Object.assign(new Error('gone'), { code: 'ECONNECTION' }))).toEqual({
      ok: false,
      retryable: true,
      error: 'SMTP delivery failed: gone',
    })
    expect(classifySmtpError(Object.assign(new Error('bad'), { code: 'ECONFIG' }))).toMatchObject({
      retryable: false,
    })
  })
})

type Smtp = Awaited<ReturnType<typeof startSmtp>>

/** A header's value, unfolded, with RFC 2047 encoded-words decoded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split('\r\n\r\n', 1)[0]?.replace(/\r\n[ \t]+/g, ' ') ?? ''
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line
    ?.slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_all, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
    )
}

/** The decoded body of the first MIME part of `contentType`. */
function mimePart(raw: string, contentType: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1]
  if (boundary === undefined) {
    throw new Error('not multipart')
  }
  for (const part of raw.split(`--${boundary}`)) {
    const [head = '', ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n')
    if (!head.toLowerCase().includes(`content-type: ${contentType}`)) {
      continue
    }
    // The CRLF before the next boundary belongs to the boundary, not to the body.
    const body = rest.join('\r\n\r\n').replace(/\r\n$/, '')
    if (/content-transfer-encoding: base64/i.test(head)) {
      return Buffer.from(body, 'base64').toString('utf8')
    }
    if (/content-transfer-encoding: quoted-printable/i.test(head)) {
      const bytes = body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      return Buffer.from(bytes, 'latin1').toString('utf8')
    }
    return body
  }
  throw new Error(`no ${contentType} part`)
}

describe('email channel against a loopback SMTP server', () => {
  let smtp: Smtp | undefined
  afterEach(async () => {
    await smtp?.close()
    smtp = undefined
  })

  it('sends to the recipient with the rendered subject and HTML-escaped user data', async () => {
    smtp = await startSmtp()
    const channel = createEmailChannel({
      smtpUrl: smtp.url,
      from: 'Leadclock <leadclock@example.com>',
    })
    const notification = sampleNotification({
      channel: 'email',
      message: { leadName: '<script>alert(1)</script>' },
    })

    expect(channel.name).toBe('email')
    expect(await channel.deliver(notification, NOW)).toEqual({ ok: true })
    expect(smtp.messages).toHaveLength(1)
    const [message] = smtp.messages
    const raw = message?.raw ?? ''
    expect(message?.from).toBe('leadclock@example.com')
    expect(message?.to).toEqual(['morgan@example.com'])
    expect(header(raw, 'To')).toBe('Morgan Manager <morgan@example.com>')
    expect(header(raw, 'From')).toBe('Leadclock <leadclock@example.com>')
    expect(header(raw, 'Subject')).toBe(
      '[Formal breach] SDR Response — Tier 1 — Second reminder: <script>alert(1)</script> (Acme & Sons)',
    )
    expect(header(raw, 'Date')).toBe('Tue, 03 Mar 2026 17:05:01 +0000')
    const html = mimePart(raw, 'text/html')
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt; (Acme &amp; Sons)</td>')
    expect(html).not.toContain('<script>')
    expect(mimePart(raw, 'text/plain')).toBe(renderEmail(notification).text.replace(/\n/g, '\r\n'))
  })

  it('gives a retried message the same Message-ID, derived from the delivery key', async () => {
    smtp = await startSmtp()
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: 'leadclock@example.com' })
    const notification = sampleNotification({ channel: 'email', deliveryKey: 'step-7|email|p-42' })
    await channel.deliver(notification, NOW)
    await channel.deliver(notification, NOW + 5_000)
    await channel.deliver(sampleNotification({ deliveryKey: 'step-7|email|p-43' }), NOW)

    const ids = smtp.messages.map((message) => header(message.raw, 'Message-ID'))
    expect(ids[0]).toBe(emailMessageId('step-7|email|p-42'))
    expect(ids[0]).toMatch(/^<[0-9a-f]{64}@leadclock>$/)
    expect(ids[1]).toBe(ids[0])
    expect(ids[2]).not.toBe(ids[0])
  })

  it('a recipient without an e-mail address is not retryable and sends nothing', async () => {
    smtp = await startSmtp()
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: 'leadclock@example.com' })
    const result = await channel.deliver(
      sampleNotification({ recipient: { email: null, role: 'sales-director' } }),
      NOW,
    )
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: 'recipient sales-director has no email address',
    })
    expect(smtp.messages).toHaveLength(0)
  })

  it('550 for the recipient is permanent: not retryable', async () => {
    smtp = await startSmtp({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }))
      },
    })
    const result = await createEmailChannel({
      smtpUrl: smtp.url,
      from: 'leadclock@example.com',
    }).deliver(sampleNotification(), NOW)
    expect(result).toMatchObject({ ok: false, retryable: false })
    expect(result.ok === false && result.error).toMatch(/^SMTP delivery failed: .*550/)
  })

  it('451 after DATA is transient: retryable', async () => {
    smtp = await startSmtp({
      onData(stream, _session, callback) {
        stream.resume()
        stream.on('end', () =>
          callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 })),
        )
      },
    })
    const result = await createEmailChannel({
      smtpUrl: smtp.url,
      from: 'leadclock@example.com',
    }).deliver(sampleNotification(), NOW)
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.ok === false && result.error).toMatch(/^SMTP delivery failed: .*451/)
  })

  it('a refused connection is retryable and the error hides the SMTP password', async () => {
    const url = (await closedPortUrl())
      .replace('http://', 'smtp://user:hunter2@')
      .replace(/\/$/, '')
    const result = await createEmailChannel({
      smtpUrl: url,
      from: 'leadclock@example.com',
    }).deliver(sampleNotification(), NOW)
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(JSON.stringify(result)).not.toContain('hunter2')
  })
})
