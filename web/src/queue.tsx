/** Open SLA clocks (GET /clocks) as a table: the rep's own leads, or a manager's team queue. */
import type { ComponentChildren } from 'preact'

import type { OpenClock } from './api'
import { instantText, timeLeftText } from './format'
import { ClockStatus, LeadLink } from './parts'
import { Table } from './table'

/** Past its target but not yet breached: the clocks a person can still save. */
export function atRisk(row: OpenClock): boolean {
  return (
    row.clock.status === 'running' &&
    row.clock.leftToTargetMs !== null &&
    row.clock.leftToTargetMs <= 0
  )
}

export function ClockQueue({
  caption,
  rows,
  showOwner,
  testId,
  action,
}: {
  readonly caption: string
  readonly rows: readonly OpenClock[]
  readonly showOwner: boolean
  readonly testId: string
  /** What a person can do about a row (e.g. reassign it), in a last column. */
  readonly action?: (row: OpenClock) => ComponentChildren
}) {
  return (
    <Table<OpenClock>
      caption={caption}
      testId={testId}
      rows={rows}
      rowKey={(row) => `${row.leadId} ${row.clock.itemId}`}
      empty="No open clock."
      columns={[
        {
          title: 'Lead',
          value: (row) => row.leadId,
          cell: (row) => <LeadLink leadId={row.leadId} />,
        },
        { title: 'Company', value: (row) => row.company, cell: (row) => row.company ?? '—' },
        ...(showOwner
          ? [
              {
                title: 'Owner',
                value: (row: OpenClock) => row.ownerId,
                cell: (row: OpenClock) => row.ownerId ?? '—',
              },
            ]
          : []),
        { title: 'SLA', value: (row) => row.clock.name },
        {
          title: 'Status',
          value: (row) => (atRisk(row) ? 'at risk' : row.clock.status),
          cell: (row) => (
            <>
              <ClockStatus status={row.clock.status} />
              {atRisk(row) ? <span class="status status-at-risk"> at risk</span> : null}
            </>
          ),
        },
        {
          title: 'Target',
          value: (row) => row.clock.leftToTargetMs,
          cell: (row) => (
            <>
              <strong>{timeLeftText(row.clock.leftToTargetMs, 'target', row.clock.measure)}</strong>
              <br />
              <small>{instantText(row.clock.targetAt, row.timeZone)}</small>
            </>
          ),
        },
        {
          title: 'Breach',
          value: (row) => row.clock.leftToBreachMs,
          cell: (row) => (
            <>
              <strong>{timeLeftText(row.clock.leftToBreachMs, 'breach', row.clock.measure)}</strong>
              <br />
              <small>{instantText(row.clock.breachAt, row.timeZone)}</small>
            </>
          ),
        },
        ...(action === undefined ? [] : [{ title: 'Action', value: () => null, cell: action }]),
      ]}
    />
  )
}
