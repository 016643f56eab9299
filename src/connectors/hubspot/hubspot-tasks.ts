/**
 * Leadclock's CRM tasks written to HubSpot: one task per notification, assigned to the
 * recipient's HubSpot owner and associated with the lead's contact in the same request
 * (`POST /crm/v3/objects/tasks`), so no task ever exists without its contact.
 *
 * Idempotent per notification through a task property whose values HubSpot keeps unique
 * (`hasUniqueValue`), holding `crmTaskKey`: the sink first reads the task by that property
 * (`GET /crm/v3/objects/tasks/{key}?idProperty=…`, a read of the object, not of the search index,
 * which lags writes by seconds), and creates it only when HubSpot answers 404. A redelivery after
 * a crash between HubSpot's answer and the outbox's commit finds the task and creates nothing; a
 * task the rep has since completed or reassigned is left as it is. Should two attempts ever race,
 * the property's uniqueness makes HubSpot refuse the second create.
 */
import type { CrmTaskTarget } from '../crm-task-target.js'
import { noCrmRecord } from '../crm-task-target.js'
import { crmOwnerOf } from '../connector-mapping.js'
import type { CrmTask } from '../../notify/crm-task-channel.js'
import { crmRefusal, crmTaskKey } from '../../notify/crm-task-channel.js'
import { escapeHtml } from '../../notify/email-channel.js'
import type { FetchLike } from '../../notify/http-post.js'
import { describeStatus, sendAndClassify, sendWithTimeout } from '../../notify/http-post.js'
import type { DeliveryResult } from '../../notify/notification.js'
import { isoUtc } from '../../notify/render-common.js'
import type { HubspotMapping } from './hubspot-mapping.js'
import { hubspotContactOf } from './webhook-events.js'

export const HUBSPOT_DEFAULT_API_URL = 'https://api.hubapi.com'
export const HUBSPOT_DEFAULT_TASK_KEY_PROPERTY = 'leadclock_task_key'
export const HUBSPOT_DEFAULT_TIMEOUT_MS = 15_000
/** HubSpot's default association type "task to contact" (HUBSPOT_DEFINED). */
export const TASK_TO_CONTACT_ASSOCIATION = 204

export interface HubspotTaskOptions {
  /** `https://api.hubapi.com`, without a trailing slash. */
  readonly apiUrl: string
  /** A private app's (or OAuth) access token with the `crm.objects.contacts.write` scope. */
  readonly accessToken: string
  /** The internal name of the unique task property that holds the task key. */
  readonly taskKeyProperty: string
  /** The HubSpot mapping's owners: HubSpot owner id → roster person. */
  readonly owners: HubspotMapping['owners']
  readonly fetchImpl?: FetchLike
  readonly timeoutMs?: number
}

/** The body of `POST /crm/v3/objects/tasks`. */
export interface HubspotTaskInput {
  readonly properties: Readonly<Record<string, string>>
  readonly associations: readonly {
    readonly to: { readonly id: string }
    readonly types: readonly {
      readonly associationCategory: 'HUBSPOT_DEFINED'
      readonly associationTypeId: number
    }[]
  }[]
}

/**
 * The task as HubSpot takes it. `hs_timestamp` (required) is the due date: the action's deadline,
 * or the firing instant when the policy gives none. The body is rich text, so lines become `<br>`.
 */
export function hubspotTaskInput(
  task: CrmTask,
  contactId: string,
  ownerId: string,
  taskKeyProperty: string,
): HubspotTaskInput {
  return {
    properties: {
      hs_timestamp: isoUtc(task.dueAt ?? task.firedAt),
      hs_task_subject: task.subject,
      hs_task_body: task.description.split('\n').map(escapeHtml).join('<br>'),
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'TODO',
      hubspot_owner_id: ownerId,
      [taskKeyProperty]: crmTaskKey(task.idempotencyKey),
    },
    associations: [
      {
        to: { id: contactId },
        types: [
          {
            associationCategory: 'HUBSPOT_DEFINED',
            associationTypeId: TASK_TO_CONTACT_ASSOCIATION,
          },
        ],
      },
    ],
  }
}

/**
 * HubSpot's error body, `{"status":"error","message":…,"category":…}`, as one line: the category
 * and HubSpot's own message, or the start of the body when it is not that.
 */
export function describeHubspotError(status: number, bodyStart: string): string {
  try {
    const body = JSON.parse(bodyStart) as { message?: unknown; category?: unknown }
    if (typeof body.message === 'string') {
      const category = typeof body.category === 'string' ? ` ${body.category}` : ''
      return `HubSpot answered HTTP ${status}${category}: ${body.message}`
    }
  } catch {
    // Not JSON, or cut short: the raw start says what there is.
  }
  return `HubSpot answered ${describeStatus(status, bodyStart)}`
}

export function createHubspotTaskSink(options: HubspotTaskOptions): CrmTaskTarget {
  const fetchImpl = options.fetchImpl ?? fetch
  const timeoutMs = options.timeoutMs ?? HUBSPOT_DEFAULT_TIMEOUT_MS
  const authorization = `Bearer ${options.accessToken}`
  const covers = 'HubSpot tasks for leads hubspot-contact-<contact id>'
  const tasksUrl = `${options.apiUrl}/crm/v3/objects/tasks`

  /** Whether the task with this key exists: true, false, or the failure that stops the delivery. */
  async function exists(key: string, now: number): Promise<boolean | DeliveryResult> {
    const property = encodeURIComponent(options.taskKeyProperty)
    const answer = await sendWithTimeout(
      fetchImpl,
      {
        method: 'GET',
        url: `${tasksUrl}/${key}?idProperty=${property}`,
        headers: { authorization },
      },
      timeoutMs,
    )
    if (answer.kind === 'failure') {
      return { ok: false, retryable: true, error: `HubSpot ${answer.error}` }
    }
    if (answer.status === 200) {
      return true
    }
    if (answer.status === 404) {
      return false
    }
    const { status, bodyStart } = answer
    return crmRefusal(
      describeHubspotError(status, bodyStart),
      status,
      answer.headers.get('retry-after'),
      now,
    )
  }

  return {
    covers,
    owns: (leadId) => hubspotContactOf(leadId) !== null,
    sink: {
      async createTask(task, now) {
        const contactId = hubspotContactOf(task.leadId)
        if (contactId === null) {
          return noCrmRecord(task.leadId, [covers])
        }
        const owner = crmOwnerOf(options.owners, task.assigneePersonId)
        if (!owner.ok) {
          return {
            ok: false,
            retryable: false,
            error: `no HubSpot owner for the task: ${owner.reason} in the HubSpot mapping`,
          }
        }
        const key = crmTaskKey(task.idempotencyKey)
        const found = await exists(key, now)
        if (found === true) {
          return { ok: true }
        }
        if (found !== false) {
          return found
        }
        return sendAndClassify(
          {
            method: 'POST',
            url: tasksUrl,
            headers: { authorization, 'content-type': 'application/json' },
            body: JSON.stringify(
              hubspotTaskInput(task, contactId, owner.ownerId, options.taskKeyProperty),
            ),
            fetchImpl,
            timeoutMs,
            peer: 'HubSpot',
          },
          (status, bodyStart, retryAfter, at) =>
            status >= 200 && status < 300
              ? { ok: true }
              : // 409: another attempt created the task meanwhile; the next one finds it.
                crmRefusal(
                  describeHubspotError(status, bodyStart),
                  status,
                  retryAfter,
                  at,
                  status === 409 || status === 429 || status >= 500,
                ),
          now,
        )
      },
    },
  }
}
