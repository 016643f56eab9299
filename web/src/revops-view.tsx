/**
 * RevOps: compliance per SLA item with RAG (GET /reports/metrics), routing decisions by rule and
 * the exceptions to route by hand (GET /reports/routing), notification deliveries with the dead
 * ones replayable (GET /notifications, POST /notifications/{key}/replay), and the policy in use
 * with every replacement and its changes (GET /policy, GET /audit?action=policy.replaced).
 */
import { useState } from 'preact/hooks'

import { api, ApiError } from './api'
import { VIEWER_ZONE } from './format'
import { Failure, LeadLink, Loading, Section } from './parts'
import type { MetricsReport, RatedRatio } from './ratios'
import { Rag, ratioColumns, ratioText } from './ratios'
import { instantColumn, Table } from './table'
import { useApi } from './use-api'

interface RoutingReport {
  readonly routed: number
  readonly byRule: Readonly<Record<string, number>>
  readonly exceptions: number
  readonly triage: number
  readonly nurtured: number
  readonly misroutes: number
  readonly abmLeakage: readonly string[]
  readonly exceptionDecisions: readonly {
    readonly leadId: string
    readonly kind: string
    readonly queue: string | null
    readonly reason: string
    readonly decidedAt: string
    readonly dueAt: string | null
  }[]
}

type ExceptionDecision = RoutingReport['exceptionDecisions'][number]

interface Delivery {
  readonly deliveryKey: string
  readonly leadId: string
  readonly channel: string
  readonly state: 'pending' | 'sending' | 'delivered' | 'dead'
  readonly attempts: number
  readonly lastError: string | null
  readonly createdAt: number
}

interface PolicyInUse {
  readonly version: string
  readonly effectiveFrom: string
  readonly fingerprint: string
  readonly source: string
  readonly savedAt: string
}

interface PolicyReplacement {
  readonly seq: number
  readonly at: string
  readonly personId: string | null
  readonly before: { readonly version: string } | null
  readonly after: { readonly version: string; readonly effectiveFrom: string }
  readonly detail: { readonly changes: readonly string[] | null }
}

const iso = (instant: number) => new Date(instant).toISOString()

function ReplayButton({
  delivery,
  onDone,
}: {
  readonly delivery: Delivery
  readonly onDone: () => void
}) {
  const [message, setMessage] = useState<string | undefined>(undefined)
  const replay = async () => {
    try {
      await api.post(`/notifications/${encodeURIComponent(delivery.deliveryKey)}/replay`, {})
      onDone()
    } catch (failure) {
      setMessage(failure instanceof ApiError ? failure.message : String(failure))
    }
  }
  return (
    <>
      <button
        type="button"
        onClick={() => void replay()}
        aria-label={`Replay ${delivery.deliveryKey}`}
      >
        Replay
      </button>
      <Failure message={message} />
    </>
  )
}

function Compliance() {
  const { data: report, error } = useApi<MetricsReport>('/reports/metrics')
  if (report === undefined) {
    return error === undefined ? <Loading what="the metrics" /> : <Failure message={error} />
  }
  return (
    <>
      <p>
        From {report.window.from.slice(0, 10)} to {report.window.to.slice(0, 10)} (UTC): overall{' '}
        <strong data-testid="revops-overall">{ratioText(report.slaCompliance.overall)}</strong>{' '}
        <Rag status={report.slaCompliance.overall.status} />
      </p>
      <Table<RatedRatio>
        caption="Compliance per SLA item"
        testId="revops-compliance"
        rows={report.slaCompliance.items}
        rowKey={(row) => row.id}
        empty="No clock started in the period."
        columns={ratioColumns}
      />
    </>
  )
}

function Routing() {
  const { data: report, error } = useApi<RoutingReport>('/reports/routing')
  if (report === undefined) {
    return error === undefined ? <Loading what="routing" /> : <Failure message={error} />
  }
  return (
    <>
      <p data-testid="routing-summary">
        {report.routed} decisions in 30 days: {report.exceptions} exceptions, {report.triage} to
        triage, {report.nurtured} to nurture, {report.misroutes} misroutes,{' '}
        {report.abmLeakage.length} named-account leads leaked to round robin.
      </p>
      <Table<[string, number]>
        caption="Decisions by rule"
        testId="routing-rules"
        rows={Object.entries(report.byRule)}
        rowKey={([rule]) => rule}
        empty="No routing decision in the period."
        columns={[
          { title: 'Rule', value: ([rule]) => rule },
          { title: 'Decisions', value: ([, count]) => count },
        ]}
      />
      <Table<ExceptionDecision>
        caption="Routing exceptions"
        testId="routing-exceptions"
        rows={report.exceptionDecisions}
        rowKey={(row) => `${row.leadId} ${row.decidedAt}`}
        empty="No exception in the period."
        columns={[
          {
            title: 'Lead',
            value: (row) => row.leadId,
            cell: (row) => <LeadLink leadId={row.leadId} />,
          },
          { title: 'Queue', value: (row) => row.queue ?? row.kind },
          { title: 'Reason', value: (row) => row.reason },
          instantColumn('Decided', (row) => row.decidedAt, VIEWER_ZONE),
          instantColumn('Due', (row) => row.dueAt, VIEWER_ZONE),
        ]}
      />
    </>
  )
}

function Notifications() {
  const { data, error, reload } = useApi<{ deliveries: Delivery[] }>('/notifications?limit=500')
  if (data === undefined) {
    return error === undefined ? <Loading what="notifications" /> : <Failure message={error} />
  }
  const dead = data.deliveries.filter((delivery) => delivery.state === 'dead').length
  return (
    <>
      <p>
        <span data-testid="dead-count">{dead}</span> dead of {data.deliveries.length} listed.
      </p>
      <Table<Delivery>
        caption="Notification deliveries"
        testId="deliveries"
        rows={data.deliveries}
        rowKey={(delivery) => delivery.deliveryKey}
        empty="No notification was sent."
        columns={[
          {
            title: 'Lead',
            value: (row) => row.leadId,
            cell: (row) => <LeadLink leadId={row.leadId} />,
          },
          { title: 'Channel', value: (row) => row.channel },
          { title: 'State', value: (row) => row.state },
          { title: 'Attempts', value: (row) => row.attempts },
          {
            title: 'Last error',
            value: (row) => row.lastError,
            cell: (row) => row.lastError ?? '—',
          },
          instantColumn('Queued', (row) => iso(row.createdAt), VIEWER_ZONE),
          {
            title: 'Replay',
            value: (row) => (row.state === 'dead' ? 'dead' : null),
            cell: (row) =>
              row.state === 'dead' ? <ReplayButton delivery={row} onDone={reload} /> : '—',
          },
        ]}
      />
    </>
  )
}

function PolicyVersions() {
  const current = useApi<PolicyInUse>('/policy')
  const history = useApi<{ entries: PolicyReplacement[] }>('/audit?action=policy.replaced&limit=50')
  if (current.data === undefined || history.data === undefined) {
    const failure = current.error ?? history.error
    return failure === undefined ? <Loading what="the policy" /> : <Failure message={failure} />
  }
  return (
    <>
      <p>
        In use: version <strong data-testid="policy-version">{current.data.version}</strong>,
        effective from {current.data.effectiveFrom}, from {current.data.source} (fingerprint{' '}
        <code>{current.data.fingerprint.slice(0, 12)}</code>).
      </p>
      <Table<PolicyReplacement>
        caption="Policy replacements"
        testId="policy-versions"
        rows={history.data.entries}
        rowKey={(entry) => String(entry.seq)}
        empty="The policy was never replaced through the API."
        columns={[
          instantColumn('When', (entry) => entry.at, VIEWER_ZONE),
          { title: 'By', value: (entry) => entry.personId, cell: (entry) => entry.personId ?? '—' },
          {
            title: 'Version',
            value: (entry) => entry.after.version,
            cell: (entry) => `${entry.before?.version ?? '?'} → ${entry.after.version}`,
          },
          {
            title: 'Changes',
            value: (entry) => (entry.detail.changes ?? []).join('\n'),
            cell: (entry) =>
              entry.detail.changes === null ? (
                'not comparable (the former policy no longer parses)'
              ) : (
                <ul class="changes">
                  {entry.detail.changes.map((change) => (
                    <li key={change}>{change}</li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
    </>
  )
}

export function RevopsView() {
  return (
    <div>
      <h1>Operations</h1>
      <Section title="Compliance per SLA item">
        <Compliance />
      </Section>
      <Section title="Routing decisions and exceptions">
        <Routing />
      </Section>
      <Section title="Notification deliveries">
        <Notifications />
      </Section>
      <Section title="Policy versions">
        <PolicyVersions />
      </Section>
      {/*
        LEAD: after merge, add here the sections of the other helpers' endpoints:
        the rejection feedback loop (GET /reports/rejections, M3), the daily flash (M4) and
        calibration (M5).
      */}
    </div>
  )
}
