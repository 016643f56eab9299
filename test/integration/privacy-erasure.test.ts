/**
 * The right to erasure, end to end through the API: a person's personal data leaves every table
 * of the database (event log, projections, escalations, tasks, notifications, audit trail), the
 * reports do not change, the erasure is audited without the values, a second erasure is harmless,
 * the access export shows the data before and the tombstones after, and only revops and admin may
 * erase. Also: the append-only triggers let nothing else through.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { SchedulerDependencies } from '../../src/app/fire-escalations.js'
import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { leadDerivation } from '../../src/app/ingest-events.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import {
  DAY,
  HOUR,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
  FULL_QUALIFICATION,
  mqlEvents,
  sqlEvents,
} from '../../src/domain/test-support.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { withTransaction } from '../../src/store/transaction.js'
import { declareErasure, rewriteEventPayloads } from '../../src/store/personal-data-erasure.js'
import type { ApiCaller } from './api-callers.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi } from './live-api.js'

const policy = loadDefaultPolicy()
const REJECTED_AT = T0 + 2 * DAY
const NOW = REJECTED_AT + HOUR

/** Dorotea Quennell, as she gave herself on two forms (two leads), and what her SDR and AE wrote. */
const DOROTEA = {
  ...IDEAL_PROFILE,
  firstName: 'Dorotea',
  lastName: 'Quennell',
  email: 'Dorotea.Quennell@acmesoft.com',
  linkedinUrl: 'https://www.linkedin.com/in/dorotea-quennell-acme',
}
const DOROTEA_QUALIFICATION = {
  ...FULL_QUALIFICATION,
  painStatement: 'Dorotea says their leads wait two days',
  notesForAe: 'Reach Dorotea on her mobile',
}
/** Her own consultancy's address, on a form of a later job: live routing gives that lead an owner. */
const DOROTEA_CONSULTING = 'dorotea@quennell-consulting.com'
const DOROTEA_VALUES = [
  DOROTEA_CONSULTING,
  'Dorotea',
  'Quennell',
  'dorotea.quennell@acmesoft.com',
  'Dorotea.Quennell@acmesoft.com',
  '+1 212 555 0142',
  'Acmesoft',
  'dorotea-quennell-acme',
  'their leads wait two days',
  'Lee Park (RevOps lead)',
  'on her mobile',
  'prefers mornings',
  'Called her back',
]
/** Someone else at another company: untouched by Dorotea's erasure. */
const SAM = {
  ...IDEAL_PROFILE,
  firstName: 'Sam',
  lastName: 'Okoro',
  email: 'sam.okoro@globexsoft.com',
  phone: '+1 646 555 0199',
  company: 'Globexsoft',
}

function withProfile(events: readonly NewLeadEvent[], profile: object): NewLeadEvent[] {
  return events.map((event) =>
    event.type === 'lead.created' ? { ...event, payload: { ...event.payload, profile } } : event,
  )
}

/** Ana's SQL for Omar, of the default roster. */
function anasSql(leadId: string): NewLeadEvent[] {
  return sqlEvents(leadId, T0).map((event) =>
    event.type === 'owner.assigned'
      ? { ...event, payload: { ...event.payload, ownerId: 'sdr-ana-lopez' } }
      : event.type === 'sql.promoted'
        ? { ...event, payload: { ...event.payload, aeId: 'ae-omar-haddad' } }
        : event,
  )
}

/** Ana's SQL that the AE rejected (a task for Ana), with the notes people wrote about Dorotea. */
function doroteaSql(leadId: string): NewLeadEvent[] {
  return withProfile(
    [
      ...anasSql(leadId).map((event) =>
        event.type === 'meeting.booked'
          ? {
              ...event,
              payload: {
                ...event.payload,
                attendees: ['Dorotea Quennell', 'Lee Park (RevOps lead)'],
              },
            }
          : event.type === 'sql.promoted'
            ? { ...event, payload: { ...event.payload, qualification: DOROTEA_QUALIFICATION } }
            : event,
      ),
      leadEvent(
        leadId,
        'ae.rejected',
        { reasonCode: 'AE-REJ-04', note: 'She prefers mornings' },
        REJECTED_AT,
      ),
    ],
    DOROTEA,
  )
}

function eventsBody(events: readonly NewLeadEvent[]) {
  return {
    events: events.map((event) => ({
      idempotencyKey: event.idempotencyKey,
      leadId: event.leadId,
      type: event.type,
      occurredAt: new Date(event.occurredAt).toISOString(),
      payload: event.payload,
    })),
  }
}

/** Every row of every table of the database, as text. */
async function everyRow(database: Database): Promise<Map<string, string[]>> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name
  `.execute(database.db)
  const rowsByTable = new Map<string, string[]>()
  for (const { table_name: table } of tables) {
    const { rows } = await sql<{
      row: string
    }>`select t::text as row from ${sql.table(table)} t`.execute(database.db)
    rowsByTable.set(
      table,
      rows.map((row) => row.row),
    )
  }
  return rowsByTable
}

/** Each table's rows in one order, whatever order updates left them in. */
function sortedRows(rowsByTable: Map<string, string[]>): [string, string[]][] {
  return [...rowsByTable].map(([table, rows]) => [table, [...rows].sort()])
}

/** "table: value" for each value found in a row of a table. */
function foundValues(rowsByTable: Map<string, string[]>, values: readonly string[]): string[] {
  return [...rowsByTable].flatMap(([table, rows]) =>
    values
      .filter((value) => rows.some((row) => row.includes(value)))
      .map((value) => `${table}: ${value}`),
  )
}

for (const dialect of DIALECTS) {
  describe(`erasure of personal data on ${dialect}`, () => {
    let api: LiveApi
    let revops: ApiCaller
    let ana: ApiCaller
    let carla: ApiCaller
    let david: ApiCaller
    const reports = async (): Promise<Record<string, unknown>> =>
      Object.fromEntries(
        await Promise.all(
          ['/reports/handoffs', '/reports/escalations', '/reports/routing'].map(async (url) => {
            const response = await revops.inject({ method: 'GET', url })
            expect(response.statusCode, `${url}: ${response.body}`).toBe(200)
            return [url, response.json<unknown>()] as const
          }),
        ),
      )
    let before: Record<string, unknown>
    let rowsBeforeErasure: Map<string, string[]>

    beforeAll(async () => {
      // Intake a minute after the AE's rejection; everything after it at NOW.
      let clock = REJECTED_AT + MINUTE
      api = await openLiveApi(dialect, policy, () => clock)
      revops = await api.callerFor('revops', 'revops-mei-tanaka')
      ana = await api.callerFor('rep', 'sdr-ana-lopez')
      carla = await api.callerFor('manager', 'mgr-carla-reyes')
      david = await api.callerFor('manager', 'mgr-david-chen')
      const sam = withProfile(anasSql('lead-sam'), SAM)
      const consulting = withProfile(
        mqlEvents('lead-dorotea-web', T0 + HOUR).filter((event) => event.type !== 'owner.assigned'),
        { ...DOROTEA, email: DOROTEA_CONSULTING },
      )
      const batch = [
        ...doroteaSql('lead-dorotea'),
        ...doroteaSql('lead-dorotea-again'),
        ...consulting,
        ...sam,
      ]
      const ingested = await api.admin.inject({
        method: 'POST',
        url: '/events/batch',
        payload: eventsBody(batch),
      })
      expect(ingested.statusCode, ingested.body).toBe(200)
      clock = NOW
      expect(
        ingested.json<{ results: { status: string }[] }>().results.map((result) => result.status),
      ).toEqual(batch.map(() => 'appended'))
      const repository = createLeadRepository(api.database)
      const scheduler: SchedulerDependencies = {
        repository,
        policy,
        roster: () => api.rosterSource.current(),
        channels: ['slack', 'webhook', 'email', 'crm-task'],
        leads: leadDerivation(policy, () => api.rosterSource.current()),
      }
      for (const at of [T0 + 2 * MINUTE, T0 + HOUR, REJECTED_AT + 1000]) {
        await fireDueSteps(scheduler, at)
      }
      // Ana closes the AE's task with a note: an audited transition that records its payload.
      const view = await ana.inject({ method: 'GET', url: '/leads/lead-dorotea' })
      const task = view.json<{ tasks: { taskId: string; state: string }[] }>().tasks[0]
      expect(task?.state).toBe('open')
      const completed = await ana.inject({
        method: 'POST',
        url: '/leads/lead-dorotea/transitions',
        payload: {
          type: 'task.completed',
          idempotencyKey: 'dorotea-task-done',
          occurredAt: new Date(REJECTED_AT + 30 * MINUTE).toISOString(),
          payload: { taskId: task?.taskId, note: 'Called her back' },
        },
      })
      expect(completed.statusCode, completed.body).toBe(200)
      before = await reports()
      rowsBeforeErasure = await everyRow(api.database)
      // Reports with something in them: Dorotea's rejected SQLs, the escalations, her routed lead.
      expect(JSON.stringify(before['/reports/handoffs'])).toContain('AE-REJ-04')
      expect(before['/reports/routing']).toMatchObject({ routed: 1 })
    })
    afterAll(async () => {
      await api?.app.close()
      await api?.database.close()
    })

    it('holds Dorotea’s data in the tables an erasure must reach, before it', async () => {
      const found = foundValues(await everyRow(api.database), DOROTEA_VALUES)
      for (const table of ['lead_events', 'leads', 'notification_outbox', 'audit_log']) {
        expect(
          found.some((entry) => entry.startsWith(`${table}: `)),
          table,
        ).toBe(true)
      }
      const outbox = await api.database.db
        .selectFrom('notification_outbox')
        .select('lead_id')
        .where('lead_id', '=', 'lead-dorotea')
        .execute()
      expect(outbox.length).toBeGreaterThan(0)
      const tasks = await api.database.db
        .selectFrom('tasks')
        .select('lead_id')
        .where('lead_id', '=', 'lead-dorotea')
        .execute()
      expect(tasks).toHaveLength(1)
    })

    it('exports the person’s data to who may read the lead, and to no one else', async () => {
      const exported = await ana.inject({ method: 'GET', url: '/leads/lead-dorotea/export' })
      expect(exported.statusCode).toBe(200)
      const body = exported.json<{
        leadId: string
        personalData: Record<string, string>
        lead: { timeline: unknown[]; tasks: unknown[]; firedEscalations: unknown[] }
        notifications: { message: { leadName: string } }[]
      }>()
      expect(body.leadId).toBe('lead-dorotea')
      expect(body.personalData).toEqual({
        firstName: 'Dorotea',
        lastName: 'Quennell',
        email: 'Dorotea.Quennell@acmesoft.com',
        phone: '+1 212 555 0142',
        company: 'Acmesoft',
        linkedinUrl: 'https://www.linkedin.com/in/dorotea-quennell-acme',
      })
      const events = await api.database.db
        .selectFrom('lead_events')
        .select('event_id')
        .where('lead_id', '=', 'lead-dorotea')
        .execute()
      expect(body.lead.timeline).toHaveLength(events.length)
      expect(body.lead.tasks).toHaveLength(1)
      expect(body.lead.firedEscalations.length).toBeGreaterThan(0)
      expect(body.notifications.length).toBeGreaterThan(0)
      expect(body.notifications[0]?.message.leadName).toBe('Dorotea Quennell')
      // David manages the AEs, not Ana: her lead is not found.
      const outside = await david.inject({ method: 'GET', url: '/leads/lead-dorotea/export' })
      expect(outside.statusCode).toBe(404)
      expect(outside.json()).toMatchObject({ status: 404, detail: 'no lead lead-dorotea' })
    })

    it('lets only revops and admin erase', async () => {
      for (const caller of [ana, carla]) {
        const refused = await caller.inject({
          method: 'POST',
          url: '/privacy/erase',
          payload: { email: 'dorotea.quennell@acmesoft.com' },
        })
        expect(refused.statusCode).toBe(403)
        expect(refused.json()).toMatchObject({ status: 403, rule: 'capability' })
      }
      const nobody = await revops.inject({
        method: 'POST',
        url: '/privacy/erase',
        payload: {},
      })
      expect(nobody.statusCode).toBe(400)
      expect(nobody.json()).toMatchObject({
        status: 400,
        problems: [{ field: 'body', rule: 'required', message: 'give leadId, email or both' }],
      })
      const unknown = await revops.inject({
        method: 'POST',
        url: '/privacy/erase',
        payload: { email: 'nobody@acmesoft.com' },
      })
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json()).toMatchObject({
        status: 404,
        title: 'Nothing to erase',
        detail: 'no lead matches the leadId or email given',
      })
    })

    it('erases Dorotea’s data from every table, keeps Sam’s, and leaves every report as it was', async () => {
      const erased = await revops.inject({
        method: 'POST',
        url: '/privacy/erase',
        payload: { leadId: 'lead-dorotea-web', email: ' DOROTEA.QUENNELL@acmesoft.com' },
      })
      expect(erased.statusCode, erased.body).toBe(200)
      expect(erased.json()).toEqual({
        erased: {
          leadIds: ['lead-dorotea', 'lead-dorotea-again', 'lead-dorotea-web'],
          // Each SQL: creation, meeting, promotion, rejection (and lead-dorotea's task); the web lead's creation.
          events: 10,
          auditEntries: 1,
          fields: [
            'attendees.*',
            'link',
            'note',
            'profile.company',
            'profile.email',
            'profile.firstName',
            'profile.lastName',
            'profile.linkedinUrl',
            'profile.phone',
            'qualification.meddpic.*',
            'qualification.meetingLink',
            'qualification.notesForAe',
            'qualification.painStatement',
            'qualification.timeline',
          ],
        },
      })
      const rows = await everyRow(api.database)
      expect(foundValues(rows, DOROTEA_VALUES)).toEqual([])
      expect(foundValues(rows, [SAM.firstName, SAM.email, SAM.phone, SAM.company])).toEqual([
        'lead_events: Sam',
        'lead_events: sam.okoro@globexsoft.com',
        'lead_events: +1 646 555 0199',
        'lead_events: Globexsoft',
        'leads: Sam',
        'leads: sam.okoro@globexsoft.com',
        'leads: +1 646 555 0199',
        'leads: Globexsoft',
        'notification_outbox: Sam',
        'notification_outbox: Globexsoft',
      ])
      expect(await reports()).toEqual(before)
      // What the clocks and escalations are made of holds nothing personal: not a byte changed.
      const derived = (rowsByTable: Map<string, string[]>) =>
        sortedRows(rowsByTable).filter(([table]) =>
          [
            'escalations',
            'lead_clocks',
            'routing_log',
            'sla_timers',
            'suppressed_domains',
          ].includes(table),
        )
      expect(derived(rows)).toEqual(derived(rowsBeforeErasure))
      expect(derived(rows).map(([table, tableRows]) => [table, tableRows.length > 0])).toEqual([
        ['escalations', true],
        ['lead_clocks', true],
        ['routing_log', true],
        ['sla_timers', true],
        ['suppressed_domains', false],
      ])
    })

    it('records the erasure in the audit trail: who, from where, which leads and fields, no values', async () => {
      const audit = await revops.inject({ method: 'GET', url: '/audit' })
      const entries = audit
        .json<{ entries: { action: string; subject: string }[] }>()
        .entries.filter((entry) => entry.action === 'privacy.erased')
      expect(entries.map((entry) => entry.subject).sort()).toEqual([
        'lead-dorotea',
        'lead-dorotea-again',
        'lead-dorotea-web',
      ])
      expect(entries.find((entry) => entry.subject === 'lead-dorotea')).toMatchObject({
        personId: 'revops-mei-tanaka',
        tokenId: revops.tokenId,
        origin: '127.0.0.1',
        before: null,
        after: null,
        detail: { matchedBy: ['leadId', 'email'], events: 5 },
      })
      expect(foundValues(new Map([['audit', [audit.body]]]), DOROTEA_VALUES)).toEqual([])
    })

    it('exports the tombstones after, and a second erasure changes nothing', async () => {
      const exported = await ana.inject({ method: 'GET', url: '/leads/lead-dorotea/export' })
      expect(exported.json<{ personalData: unknown }>().personalData).toEqual({
        firstName: '[erased]',
        lastName: '[erased]',
        email: 'erased@acmesoft.com',
        phone: '+12015550123',
        company: '[erased]',
        linkedinUrl: '[erased]',
      })
      const rowsBefore = await everyRow(api.database)
      const again = await revops.inject({
        method: 'POST',
        url: '/privacy/erase',
        payload: { leadId: 'lead-dorotea' },
      })
      expect(again.json()).toEqual({
        erased: { leadIds: ['lead-dorotea'], events: 0, auditEntries: 0, fields: [] },
      })
      const byEmail = await revops.inject({
        method: 'POST',
        url: '/privacy/erase',
        payload: { email: 'dorotea.quennell@acmesoft.com' },
      })
      expect(byEmail.statusCode).toBe(404)
      const rowsAfter = await everyRow(api.database)
      // Only the audit trail grew (the second erasure is recorded too).
      const unlessAudit = (rows: Map<string, string[]>) =>
        sortedRows(rows).filter(([table]) => table !== 'audit_log')
      expect(unlessAudit(rowsAfter)).toEqual(unlessAudit(rowsBefore))
      expect(rowsAfter.get('audit_log')).toHaveLength(
        (rowsBefore.get('audit_log')?.length ?? 0) + 1,
      )
      expect(await reports()).toEqual(before)
    })

    it('lets an erasure rewrite only payloads, and nothing rewrite the log outside one', async () => {
      const [event] = await api.database.db
        .selectFrom('lead_events')
        .select(['event_id', 'payload'])
        .where('lead_id', '=', 'lead-sam')
        .limit(1)
        .execute()
      const eventId = event?.event_id ?? ''
      await expect(
        withTransaction(api.database, (tx) => rewriteEventPayloads(tx, [{ eventId, payload: {} }])),
      ).rejects.toThrow(/lead_events is append-only: UPDATE refused/)
      await expect(
        withTransaction(api.database, async (tx) => {
          await declareErasure(tx)
          await sql`update lead_events set type = 'lead.updated' where event_id = ${eventId}`.execute(
            tx,
          )
        }),
      ).rejects.toThrow(/lead_events is append-only: UPDATE refused/)
      await expect(
        withTransaction(api.database, async (tx) => {
          await declareErasure(tx)
          await sql`delete from lead_events where event_id = ${eventId}`.execute(tx)
        }),
      ).rejects.toThrow(/lead_events is append-only: DELETE refused/)
      await expect(
        withTransaction(api.database, async (tx) => {
          await declareErasure(tx)
          await sql`update audit_log set action = 'x'`.execute(tx)
        }),
      ).rejects.toThrow(/audit_log is append-only: UPDATE refused/)
      const [unchanged] = await api.database.db
        .selectFrom('lead_events')
        .select('payload')
        .where('event_id', '=', eventId)
        .execute()
      expect(unchanged?.payload).toEqual(event?.payload)
    })
  })
}
