export { NOTIFICATION_CHANNELS } from './notification.js'
export type {
  DeliveryResult,
  EscalationMessage,
  NotificationChannel,
  NotificationChannelName,
  NotificationRecipient,
  OutboundNotification,
} from './notification.js'
export {
  SLACK_DEFAULT_TIMEOUT_MS,
  classifySlackResponse,
  createSlackChannel,
  escapeMrkdwn,
  renderSlackMessage,
} from './slack-channel.js'
export type { SlackChannelOptions, SlackMessage } from './slack-channel.js'
export {
  classifySmtpError,
  createEmailChannel,
  emailMessageId,
  escapeHtml,
  renderEmail,
} from './email-channel.js'
export type { EmailChannelOptions, RenderedEmail } from './email-channel.js'
export {
  WEBHOOK_DEFAULT_TIMEOUT_MS,
  WEBHOOK_SECRET_RULE,
  classifyWebhookResponse,
  createWebhookChannel,
  signWebhook,
  splitWebhookSecrets,
  verifyStandardWebhook,
  webhookMessageId,
  webhookPayload,
  webhookSecretKey,
} from './webhook-channel.js'
export type {
  SignedWebhookRequest,
  WebhookChannelOptions,
  WebhookPayload,
  WebhookVerification,
} from './webhook-channel.js'
export { createCrmTaskChannel, toCrmTask } from './crm-task-channel.js'
export type { CrmTask, CrmTaskSink } from './crm-task-channel.js'
export {
  DELIVERY_SCHEDULE_MS,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  nextAttemptDelayMs,
} from './retry-schedule.js'
export { channelsFromEnvironment } from './channels-from-environment.js'
export type { ChannelsFromEnvironment } from './channels-from-environment.js'
export { formatElapsed } from './render-common.js'
export type { FetchLike } from './http-post.js'
