import { afterEach, describe, expect, it } from 'vitest'
import { createSlackChannel, renderSlackMessage } from './slack-channel.js'
import {
  closedPortUrl,
  sampleNotification,
  startReceiver,
  type LoopbackReceiver,
} from './test-support.js'

const NOW = Date.parse('2026-03-03T17:05:01Z')
const SECRET_PATH = '/services/T0001/B0001/s3cr3tT0k3n'

describe('renderSlackMessage', () => {
  it('renders the fallback text and one mrkdwn section, escaping user data', () => {
    expect(renderSlackMessage(sampleNotification())).toEqual({
      text: 'Formal breach: SDR Response — Tier 1 — Second reminder — Jane Doe (Acme &amp; Sons)',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              '*Formal breach* — SDR Response — Tier 1',
              '*Lead:* <https://leadclock.example/leads/lead_01HX?tab=clock&amp;x=1|Jane Doe> · Acme &amp; Sons',
              '*Step:* Second reminder',
              '*Owner:* Sam Rep',
              '*Required action:* Call the lead &lt;today&gt;',
              '*Action due:* 2026-03-03T18:00:00.000Z',
              '*Elapsed business time:* 2h 05m',
            ].join('\n'),
          },
        },
      ],
    })
  })

  it('adds the coaching-only context block during the grace period', () => {
    const { blocks } = renderSlackMessage(sampleNotification({ message: { graced: true } }))
    expect(blocks).toHaveLength(2)
    expect(blocks[1]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'grace period — coaching only: recorded for coaching, not escalated beyond the rep',
        },
      ],
    })
  })

  it('leaves out what is unknown and links nothing without a URL', () => {
    const message = renderSlackMessage(
      sampleNotification({
        message: {
          company: null,
          ownerName: null,
          leadUrl: null,
          actionDueAt: null,
          clockElapsedMs: null,
          severity: 'notice',
        },
      }),
    )
    expect(message.text).toBe('Notice: SDR Response — Tier 1 — Second reminder — Jane Doe')
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            '*Notice* — SDR Response — Tier 1',
            '*Lead:* Jane Doe',
            '*Step:* Second reminder',
            '*Owner:* unassigned',
            '*Required action:* Call the lead &lt;today&gt;',
          ].join('\n'),
        },
      },
    ])
  })

  it('cannot be tricked into links, mentions or non-http URLs by user data', () => {
    const { text, blocks } = renderSlackMessage(
      sampleNotification({
        message: {
          leadName: '<!channel> <https://evil.example|click>',
          leadUrl: 'javascript:alert(1)',
        },
      }),
    )
    const section = JSON.stringify(blocks)
    expect(text).toContain('&lt;!channel&gt; &lt;https://evil.example|click&gt;')
    expect(section).toContain('*Lead:* &lt;!channel&gt; &lt;https://evil.example|click&gt; ·')
    expect(section).not.toContain('javascript')
  })

  it('encodes a | in the lead URL so it cannot end the link target', () => {
    const { blocks } = renderSlackMessage(
      sampleNotification({ message: { leadUrl: 'https://crm.example/x?a=1|2' } }),
    )
    expect(JSON.stringify(blocks)).toContain('<https://crm.example/x?a=1%7C2|Jane Doe>')
  })

  it('stays within Slack limits with huge fields, never cutting an entity in half', () => {
    const { blocks } = renderSlackMessage(
      sampleNotification({
        message: { requiredAction: '&'.repeat(5000), leadName: 'x'.repeat(5000), graced: true },
      }),
    )
    expect(blocks.length).toBeLessThanOrEqual(50)
    const section = blocks[0] as { text: { text: string } }
    expect(section.text.text.length).toBeLessThanOrEqual(3000)
    expect(section.text.text).toMatch(/\*Required action:\* (&amp;)+…\n/)
    expect(section.text.text).toContain(`|${'x'.repeat(199)}…>`)
  })
})

describe('Slack channel against a loopback webhook receiver', () => {
  let receiver: LoopbackReceiver | undefined
  let other: LoopbackReceiver | undefined
  afterEach(async () => {
    await receiver?.close()
    await other?.close()
    receiver = other = undefined
  })

  it('posts the rendered message as JSON and succeeds on 200 ok', async () => {
    receiver = await startReceiver(SECRET_PATH)
    const channel = createSlackChannel({ webhookUrl: receiver.url })
    const notification = sampleNotification()

    expect(channel.name).toBe('slack')
    expect(await channel.deliver(notification, NOW)).toEqual({ ok: true })
    expect(receiver.requests).toHaveLength(1)
    const [request] = receiver.requests
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe(SECRET_PATH)
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(request?.body ?? '')).toEqual(renderSlackMessage(notification))
  })

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
  ])(
    '%i %s is not retryable, and the error names the code but not the URL',
    async (status, code) => {
      receiver = await startReceiver(SECRET_PATH)
      receiver.respond((_request, response) => response.writeHead(status).end(code))
      const result = await createSlackChannel({ webhookUrl: receiver.url }).deliver(
        sampleNotification(),
        NOW,
      )
      expect(result).toEqual({
        ok: false,
        retryable: false,
        error: `Slack webhook answered HTTP ${status}: ${code}`,
      })
      expect(JSON.stringify(result)).not.toContain('s3cr3t')
    },
  )

  it('429 is retryable after the Retry-After seconds', async () => {
    receiver = await startReceiver()
    receiver.respond((_request, response) =>
      response.writeHead(429, { 'retry-after': '30' }).end('rate_limited'),
    )
    expect(
      await createSlackChannel({ webhookUrl: receiver.url }).deliver(sampleNotification(), NOW),
    ).toEqual({
      ok: false,
      retryable: true,
      error: 'Slack webhook answered HTTP 429: rate_limited',
      retryAfterMs: 30_000,
    })
  })

  it('500 is retryable', async () => {
    receiver = await startReceiver()
    receiver.respond((_request, response) => response.writeHead(500).end())
    expect(
      await createSlackChannel({ webhookUrl: receiver.url }).deliver(sampleNotification(), NOW),
    ).toEqual({ ok: false, retryable: true, error: 'Slack webhook answered HTTP 500' })
  })

  it('a peer that never answers times out, retryably', async () => {
    receiver = await startReceiver()
    receiver.respond(() => undefined)
    const result = await createSlackChannel({ webhookUrl: receiver.url, timeoutMs: 150 }).deliver(
      sampleNotification(),
      NOW,
    )
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: 'Slack webhook timed out after 150 ms',
    })
    expect(receiver.requests).toHaveLength(1)
  })

  it('a refused connection is retryable', async () => {
    const url = await closedPortUrl()
    const result = await createSlackChannel({ webhookUrl: url }).deliver(sampleNotification(), NOW)
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.ok === false && result.error).toMatch(
      /^Slack webhook request failed: ECONNREFUSED/,
    )
  })

  it('does not follow a redirect', async () => {
    other = await startReceiver()
    receiver = await startReceiver()
    const target = other.url
    receiver.respond((_request, response) => response.writeHead(302, { location: target }).end())
    const result = await createSlackChannel({ webhookUrl: receiver.url }).deliver(
      sampleNotification(),
      NOW,
    )
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: 'Slack webhook answered HTTP 302',
    })
    expect(other.requests).toHaveLength(0)
  })
})
