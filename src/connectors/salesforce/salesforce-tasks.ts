/**
 * Leadclock's CRM tasks written to Salesforce: one `Task` per notification, `WhoId` the lead,
 * `OwnerId` the recipient's user, upserted by an External ID field holding `crmTaskKey`
 * (`PATCH /services/data/vXX.X/sobjects/Task/<field>/<key>`). Salesforce creates the task when no
 * task has the key and updates it otherwise, in one call, so a redelivery after a crash between
 * Salesforce's answer and the outbox's commit leaves exactly one task. The upsert sends no
 * `Status` (the org's default, Not Started, applies on creation), so a redelivery never reopens a
 * task the rep has completed.
 */
import type { CrmTaskTarget } from '../crm-task-target.js'
import { noCrmRecord } from '../crm-task-target.js'
import { crmOwnerOf } from '../connector-mapping.js'
import type { CrmTask } from '../../notify/crm-task-channel.js'
import { crmRefusal, crmTaskKey } from '../../notify/crm-task-channel.js'
import type { FetchLike } from '../../notify/http-post.js'
import { describeStatus, sendAndClassify } from '../../notify/http-post.js'
import type { DeliveryResult } from '../../notify/notification.js'
import { salesforceRecordOf } from './change-events.js'
import type { SalesforceMapping } from './salesforce-mapping.js'

export const SALESFORCE_DEFAULT_API_VERSION = 'v62.0'
export const SALESFORCE_DEFAULT_TASK_KEY_FIELD = 'Leadclock_Task_Key__c'
export const SALESFORCE_DEFAULT_TIMEOUT_MS = 15_000

export interface SalesforceTaskOptions {
  /** The org's My Domain URL, e.g. `https://acme.my.salesforce.com`, without a trailing slash. */
  readonly instanceUrl: string
  readonly accessToken: string
  /** `v62.0`. */
  readonly apiVersion: string
  /** The API name of the Task's External ID field (Unique) that holds the task key. */
  readonly taskKeyField: string
  /** The Salesforce mapping's owners: user id → roster person. */
  readonly owners: SalesforceMapping['owners']
  readonly fetchImpl?: FetchLike
  readonly timeoutMs?: number
}

/** The upsert's body. */
export interface SalesforceTaskFields {
  readonly WhoId: string
  readonly OwnerId: string
  readonly Subject: string
  readonly Description: string
  /** The due date (a date without time): the UTC date of the deadline; absent without one. */
  readonly ActivityDate?: string
}

export function salesforceTaskFields(
  task: CrmTask,
  whoId: string,
  ownerId: string,
): SalesforceTaskFields {
  return {
    WhoId: whoId,
    OwnerId: ownerId,
    Subject: task.subject,
    Description: task.description,
    ...(task.dueAt === null
      ? {}
      : { ActivityDate: new Date(task.dueAt).toISOString().slice(0, 10) }),
  }
}

/**
 * Salesforce's error body, `[{"message":…,"errorCode":…}]`, as one line: each error's code and
 * Salesforce's own message, or the start of the body when it is not that.
 */
export function describeSalesforceError(status: number, bodyStart: string): string {
  try {
    const errors = JSON.parse(bodyStart) as unknown
    if (Array.isArray(errors) && errors.length > 0) {
      const said = errors.map((entry) => {
        const { errorCode, message } = (entry ?? {}) as { errorCode?: unknown; message?: unknown }
        return [errorCode, message].filter((part) => typeof part === 'string').join(': ')
      })
      if (said.every((text) => text !== '')) {
        return `Salesforce answered HTTP ${status} ${said.join('; ')}`
      }
    }
  } catch {
    // Not JSON, or cut short: the raw start says what there is.
  }
  return `Salesforce answered ${describeStatus(status, bodyStart)}`
}

/**
 * 2xx: created (201) or already there and updated (200, 204 before API v46). 300: several tasks
 * share the key, the field is not Unique. 403 REQUEST_LIMIT_EXCEEDED: the org's daily API
 * allowance, which frees up over the following hours. Otherwise as `crmRefusal`.
 */
export function classifySalesforceResponse(
  status: number,
  bodyStart: string,
  retryAfter: string | null,
  now: number,
): DeliveryResult {
  if (status >= 200 && status < 300) {
    return { ok: true }
  }
  const error = describeSalesforceError(status, bodyStart)
  if (status === 300) {
    return {
      ok: false,
      retryable: false,
      error: `${error} (several tasks have this key: make the key field Unique)`,
    }
  }
  const limited = status === 403 && bodyStart.includes('REQUEST_LIMIT_EXCEEDED')
  return crmRefusal(error, status, retryAfter, now, limited || status === 429 || status >= 500)
}

export function createSalesforceTaskSink(options: SalesforceTaskOptions): CrmTaskTarget {
  const fetchImpl = options.fetchImpl ?? fetch
  const timeoutMs = options.timeoutMs ?? SALESFORCE_DEFAULT_TIMEOUT_MS
  const covers = 'Salesforce tasks for leads salesforce-lead-<lead id>'
  const taskUrl = `${options.instanceUrl}/services/data/${options.apiVersion}/sobjects/Task/${options.taskKeyField}`
  return {
    covers,
    owns: (leadId) => salesforceRecordOf(leadId) !== null,
    sink: {
      createTask(task, now) {
        const whoId = salesforceRecordOf(task.leadId)
        if (whoId === null) {
          return Promise.resolve(noCrmRecord(task.leadId, [covers]))
        }
        const owner = crmOwnerOf(options.owners, task.assigneePersonId)
        if (!owner.ok) {
          return Promise.resolve({
            ok: false,
            retryable: false,
            error: `no Salesforce user for the task: ${owner.reason} in the Salesforce mapping`,
          })
        }
        return sendAndClassify(
          {
            method: 'PATCH',
            url: `${taskUrl}/${crmTaskKey(task.idempotencyKey)}`,
            headers: {
              authorization: `Bearer ${options.accessToken}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify(salesforceTaskFields(task, whoId, owner.ownerId)),
            fetchImpl,
            timeoutMs,
            peer: 'Salesforce',
          },
          classifySalesforceResponse,
          now,
        )
      },
    },
  }
}
