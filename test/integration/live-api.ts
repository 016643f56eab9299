/**
 * The HTTP API as `serve` wires it for live intake — the policy file and default roster loaded
 * into the store's settings, new MQLs routed at once — on a fresh database of one dialect (or the
 * one another instance uses: several processes on one store), with the clock the test gives.
 */
import { readFileSync } from 'node:fs'

import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'

import type { AccessRole } from '../../src/access/access-roles.js'
import { COMMAND_LINE } from '../../src/app/api-tokens.js'
import type { CrmTranslator, CrmWebhookIntake } from '../../src/app/crm-webhook.js'
import type { LiveSettings } from '../../src/app/live-settings.js'
import { liveRoutingOf, openLiveSettings } from '../../src/app/live-settings.js'
import { createServer } from '../../src/http/create-server.js'
import type { RequestLimits } from '../../src/http/request-limits.js'
import { packageFilePath } from '../../src/policy/load-policy-file.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import type { Dialect } from './dialects.js'
import { freshDatabase } from './dialects.js'

export interface LiveApi {
  readonly database: Database
  readonly app: FastifyInstance
  readonly settings: LiveSettings
  /** An admin token of no person. */
  readonly admin: ApiCaller
  /** A new token of `role` acting for `personId` (null: an integration or admin token of no person). */
  callerFor(role: AccessRole, personId: string | null): Promise<ApiCaller>
}

const fileAt = (path: string) => ({ path, text: readFileSync(path, 'utf8') })

/**
 * `policyPath`: the policy file the instance starts with; `database`: a store already in use;
 * `limits`: request limits other than the defaults; `hubspot`: the HubSpot webhook intake;
 * `salesforce`: the Salesforce change-event translator.
 */
export async function openLiveApi(
  dialect: Dialect,
  policyPath: string,
  now: () => number,
  options: {
    readonly database?: Database
    readonly limits?: RequestLimits
    readonly hubspot?: CrmWebhookIntake
    readonly salesforce?: CrmTranslator
  } = {},
): Promise<LiveApi> {
  const database = options.database ?? (await freshDatabase(dialect))
  const repository = createLeadRepository(database)
  const settings = await openLiveSettings(repository.settings, {
    policyFile: fileAt(policyPath),
    rosterFile: fileAt(packageFilePath('roster', 'default-roster.yaml')),
    at: now(),
    operator: COMMAND_LINE,
  })
  const { policy, roster } = settings.current()
  const app = await createServer({
    repository,
    policy: policy.policy,
    calendars: policy.calendars,
    now,
    settings,
    routing: liveRoutingOf(settings),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.hubspot === undefined ? {} : { hubspot: options.hubspot }),
    ...(options.salesforce === undefined ? {} : { salesforce: options.salesforce }),
  })
  const setting = { app, repository, policy: policy.policy, roster: roster.roster }
  return {
    database,
    app,
    settings,
    admin: await apiCaller(setting, 'admin'),
    callerFor: (role, personId) => apiCaller(setting, role, personId),
  }
}

const MINUTE = 60_000

export interface DemoRequest {
  readonly leadId: string
  readonly profile: Readonly<Record<string, unknown>>
  /** When the lead is created; the demo request comes a minute later. */
  readonly createdAt: number
  /** When the lead is enriched, if it is (a clock may wait for enrichment). */
  readonly enrichedAt?: number
  /** What the source system supplied beside the profile. */
  readonly supplied?: Readonly<Record<string, unknown>>
}

/**
 * Posts a new lead's demo request as one batch — created, enriched when asked, then the
 * `demo-request` intent that makes it an MQL at once — and answers the lead as `GET
 * /leads/{id}` shows it.
 */
export async function postDemoRequest<LeadView>(
  api: LiveApi,
  request: DemoRequest,
): Promise<LeadView> {
  const { leadId, profile, createdAt, enrichedAt, supplied } = request
  const response = await api.admin.inject({
    method: 'POST',
    url: '/events/batch',
    payload: {
      events: [
        {
          idempotencyKey: `${leadId}-c`,
          leadId,
          type: 'lead.created',
          occurredAt: createdAt,
          payload: { profile, source: 'demo-request', ...(supplied ? { supplied } : {}) },
        },
        {
          idempotencyKey: `${leadId}-i`,
          leadId,
          type: 'intent.recorded',
          occurredAt: createdAt + MINUTE,
          payload: { action: 'demo-request' },
        },
        ...(enrichedAt === undefined
          ? []
          : [
              {
                idempotencyKey: `${leadId}-e`,
                leadId,
                type: 'lead.enriched',
                occurredAt: enrichedAt,
                payload: { profile: {} },
              },
            ]),
      ],
    },
  })
  if (response.statusCode !== 200) {
    throw new Error(`the demo request of ${leadId} was refused: ${response.body}`)
  }
  return (await api.admin.inject({ method: 'GET', url: `/leads/${leadId}` })).json<LeadView>()
}

/** How many events of `source` the instance's store holds. */
export async function countEventsOf(api: LiveApi, source: string): Promise<number> {
  const { rows } = await sql<{ count: string }>`
    select count(*)::text as count from lead_events where source = ${source}`.execute(
    api.database.db,
  )
  return Number(rows[0]?.count)
}
