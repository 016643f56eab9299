import { createServer } from 'node:http'
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { SMTPServer } from 'smtp-server'
import type { SMTPServerOptions } from 'smtp-server'
import type {
  EscalationMessage,
  NotificationRecipient,
  OutboundNotification,
} from './notification.js'

export const FIRED_AT = Date.parse('2026-03-03T17:05:00Z')
export const DUE_AT = Date.parse('2026-03-03T18:00:00Z')

export const sampleMessage: EscalationMessage = {
  type: 'lead.sla_escalated',
  stepKey: 'lead_01HX/sdr-response/2',
  firedAt: FIRED_AT,
  leadId: 'lead_01HX',
  leadName: 'Jane Doe',
  company: 'Acme & Sons',
  subject: 'SDR Response — Tier 1',
  stepTitle: 'Second reminder',
  severity: 'formal-breach',
  requiredAction: 'Call the lead <today>',
  actionDueAt: DUE_AT,
  clockElapsedMs: (2 * 60 + 5) * 60_000 + 59_000,
  ownerName: 'Sam Rep',
  graced: false,
  leadUrl: 'https://leadclock.example/leads/lead_01HX?tab=clock&x=1',
}

export const sampleRecipient: NotificationRecipient = {
  personId: 'p-42',
  name: 'Morgan Manager',
  email: 'morgan@example.com',
  role: 'sdr-manager',
}

export function sampleNotification(
  overrides: {
    readonly deliveryKey?: string
    readonly channel?: OutboundNotification['channel']
    readonly message?: Partial<EscalationMessage>
    readonly recipient?: Partial<NotificationRecipient>
  } = {},
): OutboundNotification {
  return {
    deliveryKey: overrides.deliveryKey ?? 'lead_01HX/sdr-response/2|slack|p-42',
    channel: overrides.channel ?? 'slack',
    recipient: { ...sampleRecipient, ...overrides.recipient },
    message: { ...sampleMessage, ...overrides.message },
  }
}

export interface ReceivedRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export type Responder = (request: ReceivedRequest, response: ServerResponse) => void

export interface LoopbackReceiver {
  readonly url: string
  readonly requests: ReceivedRequest[]
  /** Replaces how the receiver answers; the default is 200 `ok`. */
  respond(responder: Responder): void
  close(): Promise<void>
}

/** A real HTTP server on 127.0.0.1 at a free port, recording every request it gets. */
export async function startReceiver(path = '/'): Promise<LoopbackReceiver> {
  const requests: ReceivedRequest[] = []
  let responder: Responder = (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(request)
      responder(request, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    respond(next) {
      responder = next
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Responses left hanging on purpose (timeout tests) would otherwise keep close() waiting.
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** A port that was just free and now refuses connections. */
export async function closedPortUrl(): Promise<string> {
  const receiver = await startReceiver()
  await receiver.close()
  return receiver.url
}

export interface CapturedEmail {
  readonly from: string
  readonly to: string[]
  readonly raw: string
}

/** A real SMTP server on 127.0.0.1 that records what it is sent. */
export async function startSmtp(handlers: Pick<SMTPServerOptions, 'onRcptTo' | 'onData'> = {}) {
  const messages: CapturedEmail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope
        messages.push({
          from: mailFrom === false ? '' : mailFrom.address,
          to: rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
    ...handlers,
  })
  const listening = server.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => listening.once('listening', resolve))
  const { port } = listening.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
