/** The default HubSpot mapping for tests, and a fake HubSpot tasks API on loopback. */
import type { PeerAnswer } from '../test-support.js'
import { defaultMappingWithOwners, startCrmPeer } from '../test-support.js'
import { defaultHubspotMappingPath } from './hubspot-intake.js'
import type { HubspotMapping } from './hubspot-mapping.js'
import { parseHubspotMapping } from './hubspot-mapping.js'
import type { HubspotTaskInput } from './hubspot-tasks.js'

export function defaultHubspotMapping(
  owners: Readonly<Record<string, string>> = {},
): HubspotMapping {
  return defaultMappingWithOwners(defaultHubspotMappingPath(), parseHubspotMapping, owners)
}

export const HUBSPOT_TOKEN = 'pat-na1-test-token'

/** A task as the fake HubSpot keeps it. */
export interface HubspotPeerTask {
  readonly id: string
  readonly properties: Readonly<Record<string, string>>
  readonly associations: HubspotTaskInput['associations']
}

function hubspotError(status: number, category: string, message: string): PeerAnswer {
  return {
    status,
    body: { status: 'error', message, correlationId: 'aaaa-bbbb', category },
  }
}

const TASKS = '/crm/v3/objects/tasks'

/**
 * HubSpot's tasks API as the sink uses it, per its documentation: read a task by id or by a
 * unique property (`?idProperty=`), create one with its associations (`hs_timestamp` required),
 * refused with 409 when its unique property's value is taken. Errors have HubSpot's shape.
 */
export function startHubspotPeer(uniqueProperty = 'leadclock_task_key') {
  return startCrmPeer<HubspotPeerTask>({
    token: HUBSPOT_TOKEN,
    unauthorized: {
      status: 'error',
      message:
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      correlationId: 'aaaa-bbbb',
      category: 'INVALID_AUTHENTICATION',
    },
    handle(request, tasks) {
      const url = new URL(request.path, 'http://127.0.0.1')
      if (request.method === 'GET' && url.pathname.startsWith(`${TASKS}/`)) {
        const id = decodeURIComponent(url.pathname.slice(TASKS.length + 1))
        const idProperty = url.searchParams.get('idProperty')
        if (idProperty !== null && idProperty !== uniqueProperty) {
          return hubspotError(
            400,
            'VALIDATION_ERROR',
            `Unable to perform read by non-unique 0-27 property ${idProperty}`,
          )
        }
        const task = tasks.find((candidate) =>
          idProperty === null ? candidate.id === id : candidate.properties[idProperty] === id,
        )
        return task === undefined
          ? hubspotError(404, 'OBJECT_NOT_FOUND', 'resource not found')
          : { status: 200, body: { id: task.id, properties: task.properties, archived: false } }
      }
      if (request.method === 'POST' && url.pathname === TASKS) {
        const input = JSON.parse(request.body) as HubspotTaskInput
        if (input.properties.hs_timestamp === undefined) {
          return hubspotError(
            400,
            'VALIDATION_ERROR',
            'Error creating TASK. Some required properties were not set.',
          )
        }
        const key = input.properties[uniqueProperty]
        if (key !== undefined && tasks.some((task) => task.properties[uniqueProperty] === key)) {
          return hubspotError(
            409,
            'CONFLICT',
            `A task with ${uniqueProperty} ${key} already exists`,
          )
        }
        const task = {
          id: String(90_000 + tasks.length + 1),
          properties: input.properties,
          associations: input.associations,
        }
        tasks.push(task)
        return { status: 201, body: { id: task.id, properties: task.properties, archived: false } }
      }
      return hubspotError(404, 'OBJECT_NOT_FOUND', `${request.method} ${url.pathname} not found`)
    },
  })
}
