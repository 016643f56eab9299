/**
 * The reports read facts the store gathers in SQL (the escalations projection, the report
 * columns generated from each lead's state, the event log) instead of every lead's state. On a
 * generated sample, after its audit replay, each report equals the one computed from the full
 * states of all leads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { auditHistory } from '../../src/app/audit-history.js'
import { clockCalendarsOf, fireOnSimulatedClock } from '../../src/app/fire-escalations.js'
import { importBatchLines } from '../../src/app/import-records.js'
import { ingestEvents, leadDerivation } from '../../src/app/ingest-events.js'
import { escalationReportFor, handoffReportFor } from '../../src/app/lead-reports.js'
import type { LeadRepository } from '../../src/app/lead-repository.js'
import { metricsReportFor } from '../../src/app/metrics-report.js'
import { isOpenEscalation } from '../../src/domain/escalation/escalation-records.js'
import { isClockEvent } from '../../src/domain/lead-snapshot.js'
import { replayLead } from '../../src/domain/lifecycle/engine.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import type { LeadState } from '../../src/domain/lead-state.js'
import { DAY, loadDefaultPolicy } from '../../src/domain/test-support.js'
import { AuditTally, WORST_LEADS } from '../../src/reports/audit-report.js'
import type { EscalationFacts, EscalationGroup } from '../../src/reports/escalation-report.js'
import { escalationReport } from '../../src/reports/escalation-report.js'
import { handoffReport } from '../../src/reports/handoff-report.js'
import type { ReportWindow } from '../../src/reports/report-window.js'
import { ALL_TIME, isWithin } from '../../src/reports/report-window.js'
import { loadDefaultRoster } from '../../src/domain/team/test-support.js'
import { generateSampleEvents } from '../../src/sample/generate-sample.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase, OPEN_TIMEOUT_MS } from './dialects.js'

const policy = loadDefaultPolicy()
const roster = loadDefaultRoster(policy)
const END = Date.parse('2026-03-02T00:00:00Z')
const WINDOWS: readonly ReportWindow[] = [
  ALL_TIME,
  { from: Number.NEGATIVE_INFINITY, to: END - 20 * DAY },
  { from: END - 45 * DAY, to: END - 10 * DAY },
]

async function allLeadStates(repository: LeadRepository): Promise<LeadState[]> {
  const states: LeadState[] = []
  let after: string | undefined
  do {
    const page = await repository.listLeads({}, { limit: 1000, ...(after ? { after } : {}) })
    states.push(...page.leads.map((lead) => lead.state))
    after = page.nextCursor ?? undefined
  } while (after !== undefined)
  return states
}

/** The escalation facts of a window, worked out from the leads' full states. */
function factsOf(states: readonly LeadState[], window: ReportWindow): EscalationFacts {
  const groups = new Map<string, EscalationGroup & { firedAt: number[]; lagsMs: number[] }>()
  const open: { leadId: string; record: LeadState['escalations'][number] }[] = []
  const flags = new Map<string, { repId: string; flag: string; count: number }>()
  for (const lead of states) {
    for (const record of lead.escalations.filter((r) => isWithin(window, r.firedAt))) {
      const { subjectId, stepId, severity, kind, repId, graced } = record
      const group = {
        subjectId,
        stepId,
        severity,
        kind,
        repId,
        graced,
        open: isOpenEscalation(record),
      }
      const key = JSON.stringify(group)
      const entry = groups.get(key) ?? { ...group, firedAt: [], lagsMs: [] }
      groups.set(key, entry)
      entry.firedAt.push(record.firedAt)
      entry.lagsMs.push(record.firedAt - record.dueAt)
      if (group.open) {
        open.push({ leadId: lead.leadId, record })
      }
    }
    const ownerId = lead.ownerId
    for (const activity of lead.activities.filter((a) => isWithin(window, a.receivedAt))) {
      for (const flag of ownerId === null ? [] : activity.flags) {
        const key = `${ownerId}:${flag}`
        const entry = flags.get(key) ?? { repId: ownerId ?? '', flag, count: 0 }
        flags.set(key, entry)
        entry.count += 1
      }
    }
  }
  open.sort(
    (a, b) => a.record.firedAt - b.record.firedAt || (a.record.stepKey < b.record.stepKey ? -1 : 1),
  )
  return { groups: [...groups.values()], open, crmRealityFlags: [...flags.values()] }
}

for (const dialect of DIALECTS) {
  describe(`reports from store facts on ${dialect}`, () => {
    let database: Database
    let repository: LeadRepository
    let states: LeadState[]
    beforeAll(async () => {
      database = await freshDatabase(dialect)
      repository = createLeadRepository(database)
      const events = generateSampleEvents({ seed: 7, leads: 300, days: 60, end: END, policy })
      const batch = importBatchLines(database.dialect)
      for (let start = 0; start < events.length; start += batch) {
        await ingestEvents(
          { repository, policy, roster: () => roster },
          events.slice(start, start + batch).map((event) => ({ ok: true as const, event })),
        )
      }
      await fireOnSimulatedClock(
        {
          repository,
          policy,
          roster: () => roster,
          channels: [],
          leads: leadDerivation(policy, () => roster),
        },
        END,
      )
      states = await allLeadStates(repository)
    }, 4 * OPEN_TIMEOUT_MS)
    afterAll(() => database.close())

    it('gives the escalation report of the leads’ states', async () => {
      for (const window of WINDOWS) {
        expect(await escalationReportFor(repository, policy, window)).toEqual(
          escalationReport(factsOf(states, window), policy),
        )
      }
      // The sample exercises every part the store gathers.
      const report = await escalationReportFor(repository, policy, ALL_TIME)
      expect(report.fired + report.routineNotifications).toBe(
        states.reduce((sum, lead) => sum + lead.escalations.length, 0),
      )
      // The T+0 notifications (routine in the policy) fired, and are not escalations.
      expect(report.routineNotifications).toBe(
        states.reduce(
          (sum, lead) =>
            sum +
            lead.escalations.filter(
              (record) => record.kind === 'chain-step' && record.stepId === 'notification',
            ).length,
          0,
        ),
      )
      expect(report.routineNotifications).toBeGreaterThan(0)
      expect(report.bySubject.reduce((sum, subject) => sum + subject.count, 0)).toBe(report.fired)
      expect(report.open.length).toBeGreaterThan(0)
      expect(report.byRep.some((rep) => Object.keys(rep.crmRealityFlags).length > 0)).toBe(true)
      expect(report.lagMs).not.toBeNull()
    })

    it('gives the audit report of every lead’s full replay, judged at the period’s end', async () => {
      const window = { from: END - 45 * DAY, to: END - 10 * DAY }
      const calendars = clockCalendarsOf(policy, roster)
      const tally = new AuditTally(policy, calendars, window, window.to)
      for (const { leadId } of states) {
        const { state, effects } = replayLead(
          await repository.listLeadEvents(leadId),
          policy,
          'validated',
        )
        if (state) {
          tally.add(state, effects.filter(isClockEvent))
        }
      }
      const report = await auditHistory(
        { repository, policy, roster: () => roster, leads: leadDerivation(policy, () => roster) },
        window,
        END,
      )
      expect(report).toEqual(
        tally.report(await escalationReportFor(repository, policy, window), roster),
      )
      // The sample exercises every section.
      expect(
        report.compliance.items.some(
          (item) => (item.breaches?.numerator ?? 0) > 0 && (item.compliance?.numerator ?? 0) > 0,
        ),
      ).toBe(true)
      expect(
        report.firstResponse.find((tier) => tier.tier === 'tier-1')?.times.responded,
      ).toBeGreaterThan(0)
      expect(report.escalations.byManager.length).toBeGreaterThan(0)
      expect(report.leakage.ratio.numerator).toBeGreaterThan(0)
      expect(report.rejections.length).toBeGreaterThan(0)
      expect(report.worstLeads).toHaveLength(WORST_LEADS)
      expect(Object.keys(report.realityGap.byFlag).length).toBeGreaterThan(0)
    })

    it('gives the audit the figures of GET /reports/metrics for the same period', async () => {
      const window = { from: END - 45 * DAY, to: END - 10 * DAY }
      const deps = { repository, policy, roster: () => roster }
      const report = await auditHistory(
        { ...deps, leads: leadDerivation(policy, () => roster) },
        window,
        END,
      )
      const metrics = await metricsReportFor(
        { ...deps, calendars: createCalendarSet(policy) },
        window,
        END,
      )
      expect(report.asOf).toBe(metrics.asOf)
      for (const item of report.compliance.items.filter((entry) => entry.compliance !== null)) {
        expect(item.compliance).toEqual(
          metrics.slaCompliance.items.find((ratio) => ratio.id === item.itemId),
        )
        expect(item.breaches).toEqual(metrics.slaBreaches.find((ratio) => ratio.id === item.itemId))
      }
      expect(report.compliance.overall).toEqual(metrics.slaCompliance.overall)
      expect(report.compliance.responseWeighted).toEqual(metrics.responseCompliance.weighted)
      expect(report.compliance.overallBreach).toEqual(metrics.overallBreach)
      expect(report.firstResponse.map((tier) => tier.times)).toEqual(metrics.firstResponse.tiers)
      expect(report.leakage.ratio).toEqual(metrics.leadLeakage)
      expect(metrics.slaCompliance.overall.denominator).toBeGreaterThan(0)
    })

    it('gives the handoff report of the leads’ states', async () => {
      for (const window of WINDOWS) {
        expect(await handoffReportFor(repository, policy, window)).toEqual(
          handoffReport(states, policy, window),
        )
      }
      const report = await handoffReportFor(repository, policy, ALL_TIME)
      expect(report.byAe.reduce((sum, ae) => sum + ae.sqls, 0)).toBe(
        states.reduce(
          (sum, lead) => sum + lead.transitions.filter((t) => t.to === 'sql').length,
          0,
        ),
      )
      expect(report.byAe.some((ae) => ae.rejected > 0)).toBe(true)
    })
  })
}
