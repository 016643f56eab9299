import { afterEach, describe, expect, it } from 'vitest'
import { channelsFromEnvironment } from './channels-from-environment.js'
import { sampleNotification, startReceiver, type LoopbackReceiver } from './test-support.js'
import { verifyStandardWebhook } from './webhook-channel.js'

const SECRET_1 = `whsec_${Buffer.alloc(32, 'env-secret-one').toString('base64')}`
const SECRET_2 = `whsec_${Buffer.alloc(32, 'env-secret-two').toString('base64')}`
const RULE = 'must be "whsec_" followed by base64 of 24–64 random bytes'

const names = (env: Record<string, string | undefined>) =>
  channelsFromEnvironment(env).channels.map((channel) => channel.name)

describe('channelsFromEnvironment', () => {
  it('returns nothing, and no problem, when nothing is configured', () => {
    expect(channelsFromEnvironment({})).toEqual({ channels: [], problems: [] })
    expect(
      channelsFromEnvironment({ LEADCLOCK_SLACK_WEBHOOK_URL: '  ', LEADCLOCK_WEBHOOK_SECRET: '' }),
    ).toEqual({ channels: [], problems: [] })
  })

  it('returns each configured channel', () => {
    const result = channelsFromEnvironment({
      LEADCLOCK_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/secret',
      LEADCLOCK_SMTP_URL: 'smtps://user:pass@smtp.example.com',
      LEADCLOCK_EMAIL_FROM: 'Leadclock <leadclock@example.com>',
      LEADCLOCK_WEBHOOK_URL: 'https://crm-bridge.example.com/hooks',
      LEADCLOCK_WEBHOOK_SECRET: SECRET_1,
    })
    expect(result.problems).toEqual([])
    expect(result.channels.map((channel) => channel.name)).toEqual(['slack', 'email', 'webhook'])
    expect(names({ LEADCLOCK_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/x' })).toEqual(['slack'])
  })

  it.each([
    ['without the prefix', Buffer.alloc(32, 3).toString('base64'), ''],
    ['of 16 bytes', `whsec_${Buffer.alloc(16, 3).toString('base64')}`, ''],
    ['of 65 bytes', `whsec_${Buffer.alloc(65, 3).toString('base64')}`, ''],
    ['that is not base64', 'whsec_%%%%not-base64%%%%%%%%%%%%%%', ''],
    ['second of two', `${SECRET_1} whsec_c2hvcnQ=`, ' (secret 2 of 2)'],
  ])(
    'names the variable and the rule for a secret %s, never the secret',
    (_case, secret, which) => {
      const result = channelsFromEnvironment({
        LEADCLOCK_WEBHOOK_URL: 'https://crm-bridge.example.com/hooks',
        LEADCLOCK_WEBHOOK_SECRET: secret,
      })
      expect(result.channels).toEqual([])
      expect(result.problems).toEqual([`LEADCLOCK_WEBHOOK_SECRET${which} ${RULE}`])
      for (const part of secret.split(' ')) {
        expect(result.problems.join('\n')).not.toContain(part.slice(6))
      }
    },
  )

  it('reports half-configured channels and leaves them out', () => {
    expect(channelsFromEnvironment({ LEADCLOCK_WEBHOOK_URL: 'https://x.example/h' })).toEqual({
      channels: [],
      problems: [
        'LEADCLOCK_WEBHOOK_URL is set but LEADCLOCK_WEBHOOK_SECRET is not: webhooks are always signed',
      ],
    })
    expect(channelsFromEnvironment({ LEADCLOCK_WEBHOOK_SECRET: SECRET_1 }).problems).toEqual([
      'LEADCLOCK_WEBHOOK_SECRET is set but LEADCLOCK_WEBHOOK_URL is not: set both for webhooks',
    ])
    expect(channelsFromEnvironment({ LEADCLOCK_SMTP_URL: 'smtp://mail.example.com' })).toEqual({
      channels: [],
      problems: ['LEADCLOCK_SMTP_URL is set but LEADCLOCK_EMAIL_FROM is not: set both for email'],
    })
    expect(channelsFromEnvironment({ LEADCLOCK_EMAIL_FROM: 'a@example.com' }).problems).toEqual([
      'LEADCLOCK_EMAIL_FROM is set but LEADCLOCK_SMTP_URL is not: set both for email',
    ])
  })

  it('rejects unusable URLs and addresses without quoting them', () => {
    const result = channelsFromEnvironment({
      LEADCLOCK_SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/T0/B0/s3cr3t',
      LEADCLOCK_SMTP_URL: 'https://user:hunter2@mail.example.com',
      LEADCLOCK_EMAIL_FROM: 'leadclock',
      LEADCLOCK_WEBHOOK_URL: 'ftp://x.example/h',
      LEADCLOCK_WEBHOOK_SECRET: SECRET_1,
    })
    expect(result.channels).toEqual([])
    expect(result.problems).toEqual([
      'LEADCLOCK_SLACK_WEBHOOK_URL must be an https:// URL (http:// only to localhost)',
      'LEADCLOCK_SMTP_URL must be an smtp:// or smtps:// URL',
      'LEADCLOCK_EMAIL_FROM must be an address, e.g. leadclock@example.com or "Leadclock <leadclock@example.com>"',
      'LEADCLOCK_WEBHOOK_URL must be an http:// or https:// URL',
    ])
    expect(result.problems.join('\n')).not.toMatch(/s3cr3t|hunter2/)
  })

  it('allows plain http to Slack only on loopback', () => {
    expect(names({ LEADCLOCK_SLACK_WEBHOOK_URL: 'http://127.0.0.1:8080/slack' })).toEqual(['slack'])
    expect(names({ LEADCLOCK_SLACK_WEBHOOK_URL: 'http://localhost/slack' })).toEqual(['slack'])
    expect(names({ LEADCLOCK_SLACK_WEBHOOK_URL: 'http://10.0.0.1/slack' })).toEqual([])
  })
})

describe('a webhook channel configured with rotated secrets', () => {
  let receiver: LoopbackReceiver | undefined
  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  it('signs with both, so receivers on the old and the new secret accept it', async () => {
    receiver = await startReceiver()
    const { channels, problems } = channelsFromEnvironment({
      LEADCLOCK_WEBHOOK_URL: receiver.url,
      LEADCLOCK_WEBHOOK_SECRET: ` ${SECRET_1}  ${SECRET_2} `,
    })
    expect(problems).toEqual([])
    const now = Date.now()
    expect(await channels[0]?.deliver(sampleNotification(), now)).toEqual({ ok: true })
    const [request] = receiver.requests
    const headers = request?.headers ?? {}
    for (const secret of [SECRET_1, SECRET_2]) {
      expect(verifyStandardWebhook(headers, request?.body ?? '', secret, now)).toMatchObject({
        ok: true,
      })
    }
  })
})
