/** A rep's day: their open clocks counting down in business time, what is due next, tasks. */
import type { OpenClock, Task } from './api'
import type { MetricsReport, RatedRatio } from './ratios'
import { Rag, ratioColumns, ratioText } from './ratios'
import { instantText, timeLeftText, VIEWER_ZONE } from './format'
import { Failure, LeadLink, Loading, Section } from './parts'
import { ClockQueue } from './queue'
import { instantColumn, Table } from './table'
import { useApi } from './use-api'
import { useState } from 'preact/hooks'

/** The countdowns come from the API (business time needs the calendars): asked again each 30 s. */
const REFRESH_MS = 30_000

/** Monday 00:00 of this week in the viewer's zone: where "this week" starts. */
function startOfWeek(now: Date): string {
  const monday = new Date(now)
  monday.setHours(0, 0, 0, 0)
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7))
  return monday.toISOString()
}

/** The caller's own measures since Monday (GET /reports/metrics/mine): compliance per SLA item. */
function MyCompliance() {
  const [from] = useState(() => startOfWeek(new Date()))
  const { data: report, error } = useApi<MetricsReport>(
    `/reports/metrics/mine?from=${encodeURIComponent(from)}`,
  )
  if (report === undefined) {
    return error === undefined ? <Loading what="my compliance" /> : <Failure message={error} />
  }
  return (
    <>
      <p>
        Since {instantText(report.window.from, VIEWER_ZONE)}: overall{' '}
        <strong data-testid="my-compliance">{ratioText(report.slaCompliance.overall)}</strong>{' '}
        <Rag status={report.slaCompliance.overall.status} /> (
        {report.slaCompliance.overall.numerator} of {report.slaCompliance.overall.denominator}{' '}
        clocks on time); first responses weighted by tier{' '}
        {ratioText(report.responseCompliance.weighted)}{' '}
        <Rag status={report.responseCompliance.weighted.status} />.
      </p>
      <Table<RatedRatio>
        caption="My SLA items this week"
        testId="my-compliance-items"
        rows={report.slaCompliance.items.filter((item) => item.denominator > 0)}
        rowKey={(row) => row.id}
        empty="No clock of mine was decided this week."
        columns={ratioColumns}
      />
    </>
  )
}

export function RepView() {
  const clocks = useApi<{ asOf: string; clocks: OpenClock[] }>('/clocks?limit=200', REFRESH_MS)
  const tasks = useApi<{ tasks: Task[] }>('/tasks?state=open&limit=200', REFRESH_MS)
  const running = (clocks.data?.clocks ?? []).filter(
    (row) => row.clock.status === 'running' && (row.clock.leftToTargetMs ?? 0) > 0,
  )
  const next = [...running].sort(
    (a, b) => (a.clock.leftToTargetMs ?? 0) - (b.clock.leftToTargetMs ?? 0),
  )[0]
  return (
    <div>
      <h1>My leads</h1>
      <Failure message={clocks.error ?? tasks.error} />
      <Section title="Due next">
        {clocks.data === undefined ? (
          <Loading what="clocks" />
        ) : next === undefined ? (
          <p>Nothing is counting down.</p>
        ) : (
          <p class="due-next" data-testid="due-next">
            <LeadLink leadId={next.leadId} /> {next.company ?? ''} — {next.clock.name}:{' '}
            <strong>{timeLeftText(next.clock.leftToTargetMs, 'target', next.clock.measure)}</strong>{' '}
            (due {instantText(next.clock.targetAt, next.timeZone)})
          </p>
        )}
      </Section>
      <Section title="My SLA clocks">
        {clocks.data === undefined ? null : (
          <>
            <p>
              As of {instantText(clocks.data.asOf, VIEWER_ZONE)}: {clocks.data.clocks.length} open,{' '}
              <span data-testid="breached-count">
                {clocks.data.clocks.filter((row) => row.clock.status === 'breached').length}
              </span>{' '}
              breached.
            </p>
            <ClockQueue
              caption="My open clocks"
              rows={clocks.data.clocks}
              showOwner={false}
              testId="my-clocks"
            />
          </>
        )}
      </Section>
      <Section title="My compliance this week">
        <MyCompliance />
      </Section>
      <Section title="My tasks">
        {tasks.data === undefined ? null : (
          <Table<Task>
            caption="Open tasks"
            testId="my-tasks"
            rows={tasks.data.tasks}
            rowKey={(task) => task.taskId}
            empty="No open task."
            columns={[
              {
                title: 'Lead',
                value: (task) => task.leadId,
                cell: (task) => <LeadLink leadId={task.leadId} />,
              },
              { title: 'Task', value: (task) => task.text },
              instantColumn('Due', (task) => task.dueAt, VIEWER_ZONE),
            ]}
          />
        )}
      </Section>
    </div>
  )
}
