import { createEmailChannel } from './email-channel.js'
import type { NotificationChannel } from './notification.js'
import { createSlackChannel } from './slack-channel.js'
import {
  WEBHOOK_SECRET_RULE,
  createWebhookChannel,
  splitWebhookSecrets,
  webhookSecretKey,
} from './webhook-channel.js'

export interface ChannelsFromEnvironment {
  readonly channels: NotificationChannel[]
  /** One line per misconfigured variable; never quotes a value (URLs and secrets are credentials). */
  readonly problems: string[]
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

export function parseUrl(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

/** Plain http only to this machine (tests, a local relay); anything else would send secrets in clear. */
export function isHttpsOrLoopback(url: URL): boolean {
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' &&
      (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.')))
  )
}

/** A variable's trimmed value; unset and blank alike are undefined. */
export function setting(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/**
 * The notification channels the environment configures. A channel whose settings are incomplete or
 * invalid is left out and reported; an unset channel is simply absent.
 */
export function channelsFromEnvironment(
  env: Record<string, string | undefined>,
): ChannelsFromEnvironment {
  const channels: NotificationChannel[] = []
  const problems: string[] = []

  const slackUrl = setting(env, 'LEADCLOCK_SLACK_WEBHOOK_URL')
  if (slackUrl !== undefined) {
    const url = parseUrl(slackUrl)
    if (url === null || !isHttpsOrLoopback(url)) {
      problems.push(
        'LEADCLOCK_SLACK_WEBHOOK_URL must be an https:// URL (http:// only to localhost)',
      )
    } else {
      channels.push(createSlackChannel({ webhookUrl: slackUrl }))
    }
  }

  const smtpUrl = setting(env, 'LEADCLOCK_SMTP_URL')
  const emailFrom = setting(env, 'LEADCLOCK_EMAIL_FROM')
  if (smtpUrl !== undefined || emailFrom !== undefined) {
    const before = problems.length
    if (smtpUrl === undefined) {
      problems.push('LEADCLOCK_EMAIL_FROM is set but LEADCLOCK_SMTP_URL is not: set both for email')
    } else {
      const url = parseUrl(smtpUrl)
      if (url === null || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')) {
        problems.push('LEADCLOCK_SMTP_URL must be an smtp:// or smtps:// URL')
      }
    }
    if (emailFrom === undefined) {
      problems.push('LEADCLOCK_SMTP_URL is set but LEADCLOCK_EMAIL_FROM is not: set both for email')
    } else if (!/^[^@\s]+@[^@\s]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(emailFrom)) {
      problems.push(
        'LEADCLOCK_EMAIL_FROM must be an address, e.g. leadclock@example.com or "Leadclock <leadclock@example.com>"',
      )
    }
    if (problems.length === before && smtpUrl !== undefined && emailFrom !== undefined) {
      channels.push(createEmailChannel({ smtpUrl, from: emailFrom }))
    }
  }

  const webhookUrl = setting(env, 'LEADCLOCK_WEBHOOK_URL')
  const webhookSecret = setting(env, 'LEADCLOCK_WEBHOOK_SECRET')
  if (webhookUrl !== undefined || webhookSecret !== undefined) {
    const before = problems.length
    if (webhookUrl === undefined) {
      problems.push(
        'LEADCLOCK_WEBHOOK_SECRET is set but LEADCLOCK_WEBHOOK_URL is not: set both for webhooks',
      )
    } else {
      const url = parseUrl(webhookUrl)
      if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        problems.push('LEADCLOCK_WEBHOOK_URL must be an http:// or https:// URL')
      }
    }
    const secrets = webhookSecret === undefined ? [] : splitWebhookSecrets(webhookSecret)
    if (webhookSecret === undefined) {
      problems.push(
        'LEADCLOCK_WEBHOOK_URL is set but LEADCLOCK_WEBHOOK_SECRET is not: webhooks are always signed',
      )
    } else {
      secrets.forEach((secret, index) => {
        if (webhookSecretKey(secret) === null) {
          const which = secrets.length === 1 ? '' : ` (secret ${index + 1} of ${secrets.length})`
          problems.push(`LEADCLOCK_WEBHOOK_SECRET${which} ${WEBHOOK_SECRET_RULE}`)
        }
      })
    }
    if (problems.length === before && webhookUrl !== undefined) {
      channels.push(createWebhookChannel({ url: webhookUrl, secrets }))
    }
  }

  return { channels, problems }
}
