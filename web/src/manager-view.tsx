/**
 * A manager's team: the queue at risk and in breach, and the open breaches waiting for a
 * documented action — taken here in one click with its required note (formal breaches), or a
 * root cause (critical ones); the SQLs waiting for an AE's acceptance, reassignable here; who of
 * the team is out of office or at capacity (GET /team).
 */
import { useState } from 'preact/hooks'

import type { OpenClock } from './api'
import { api, ApiError } from './api'
import { instantText, VIEWER_ZONE } from './format'
import { Failure, freshKey, LeadLink, Loading, Section } from './parts'
import { atRisk, ClockQueue } from './queue'
import type { TeamMember } from './reassign-form'
import { ReassignForm } from './reassign-form'
import { Table } from './table'
import { useApi } from './use-api'

interface OpenEscalation {
  readonly stepKey: string
  readonly leadId: string
  readonly record: {
    readonly title: string
    readonly severity: string
    readonly repId: string | null
    readonly firedAt: number
    readonly managerActions: readonly string[]
    readonly resolution: unknown
    readonly rootCauseDueAt: number | null
    readonly rootCause: unknown
  }
}

const iso = (instant: number) => new Date(instant).toISOString()

/** Waits for a manager action (formal breach), else for its root cause (critical breach). */
const needsAction = (row: OpenEscalation) =>
  row.record.resolution === null && row.record.managerActions.length > 0

function EscalationAction({
  row,
  onDone,
}: {
  readonly row: OpenEscalation
  readonly onDone: () => void
}) {
  const actionNeeded = needsAction(row)
  const [action, setAction] = useState(row.record.managerActions[0] ?? '')
  const [text, setText] = useState('')
  const [message, setMessage] = useState<string | undefined>(undefined)
  const label = actionNeeded ? 'Note' : 'Root cause'
  const submit = async (event: Event) => {
    event.preventDefault()
    try {
      await api.post(`/leads/${encodeURIComponent(row.leadId)}/transitions`, {
        idempotencyKey: freshKey('escalation'),
        ...(actionNeeded
          ? { type: 'escalation.resolved', payload: { stepKey: row.stepKey, action, note: text } }
          : { type: 'escalation.root-caused', payload: { stepKey: row.stepKey, rootCause: text } }),
      })
      setMessage(undefined)
      onDone()
    } catch (failure) {
      setMessage(failure instanceof ApiError ? failure.message : String(failure))
    }
  }
  return (
    <form
      class="inline-action"
      onSubmit={(event) => void submit(event)}
      aria-label={`Act on ${row.record.title} of ${row.leadId}`}
    >
      {actionNeeded ? (
        <label>
          Action
          <select value={action} onChange={(event) => setAction(event.currentTarget.value)}>
            {row.record.managerActions.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        {label}
        <input required value={text} onInput={(event) => setText(event.currentTarget.value)} />
      </label>
      <button type="submit">{actionNeeded ? 'Record action' : 'Record root cause'}</button>
      <Failure message={message} />
    </form>
  )
}

/** The policy's AE-acceptance SLA item (seed 000 appendix A: AEs accept SQLs within 4 h). */
const AE_ACCEPTANCE_ITEM = 'ae-sql-acceptance'

function TeamStatus({ people }: { readonly people: readonly TeamMember[] }) {
  return (
    <Table<TeamMember>
      caption="Team availability"
      testId="team-status"
      rows={people}
      rowKey={(person) => person.personId}
      empty="Nobody in the team."
      columns={[
        { title: 'Person', value: (person) => person.name },
        { title: 'Role', value: (person) => person.role },
        {
          title: 'Availability',
          value: (person) => person.availability,
          cell: (person) => (
            <span class={`availability availability-${person.availability.replace(/ /g, '-')}`}>
              {person.availability}
            </span>
          ),
        },
        {
          title: 'Out of office',
          value: (person) =>
            person.outOfOffice === null
              ? null
              : `${person.outOfOffice.from} to ${person.outOfOffice.to}`,
          cell: (person) =>
            person.outOfOffice === null
              ? '—'
              : `${person.outOfOffice.from} to ${person.outOfOffice.to}`,
        },
        {
          title: 'Assigned today',
          value: (person) => person.assignedToday,
          cell: (person) => `${person.assignedToday} / ${person.capacityPerDay}`,
        },
      ]}
    />
  )
}

export function ManagerView() {
  const queue = useApi<{ asOf: string; clocks: OpenClock[] }>('/clocks?limit=200', 30_000)
  const open = useApi<{ escalations: OpenEscalation[] }>('/escalations?open=true&limit=500')
  const team = useApi<{ people: TeamMember[] }>('/team')
  const awaitingAe = useApi<{ clocks: OpenClock[] }>(
    `/clocks?item=${AE_ACCEPTANCE_ITEM}&limit=200`,
    30_000,
  )
  const rows = queue.data?.clocks ?? []
  const backlog = awaitingAe.data?.clocks ?? []
  const breached = rows.filter((row) => row.clock.status === 'breached')
  const risky = rows.filter(atRisk)
  return (
    <div>
      <h1>My team</h1>
      <Failure message={queue.error ?? open.error ?? team.error ?? awaitingAe.error} />
      <Section title="Team queue">
        {queue.data === undefined ? (
          <Loading what="the queue" />
        ) : (
          <>
            <p>
              As of {instantText(queue.data.asOf, VIEWER_ZONE)}:{' '}
              <span data-testid="team-breached">{breached.length}</span> in breach,{' '}
              <span data-testid="team-at-risk">{risky.length}</span> at risk (past target).
            </p>
            <ClockQueue
              caption="In breach or at risk"
              rows={[...breached, ...risky]}
              showOwner
              testId="team-queue"
            />
          </>
        )}
      </Section>
      <Section title="AE-acceptance backlog">
        {awaitingAe.data === undefined ? (
          <Loading what="the backlog" />
        ) : (
          <>
            <p>
              <span data-testid="ae-backlog-count">{backlog.length}</span> SQL
              {backlog.length === 1 ? '' : 's'} waiting for an AE to accept.
            </p>
            <ClockQueue
              caption="SQLs waiting for AE acceptance"
              rows={backlog}
              showOwner
              testId="ae-backlog"
              action={(row) => (
                <ReassignForm
                  leadId={row.leadId}
                  onDone={queue.reload}
                  people={team.data?.people}
                />
              )}
            />
          </>
        )}
      </Section>
      <Section title="Who is out of office or at capacity">
        {team.data === undefined ? (
          <Loading what="the team" />
        ) : (
          <>
            <p>
              <span data-testid="team-away">
                {
                  team.data.people.filter((person) => person.availability === 'out of office')
                    .length
                }
              </span>{' '}
              out of office,{' '}
              <span data-testid="team-at-capacity">
                {team.data.people.filter((person) => person.availability === 'at capacity').length}
              </span>{' '}
              at capacity.
            </p>
            <TeamStatus people={team.data.people} />
          </>
        )}
      </Section>
      <Section title="Open breaches">
        {open.data === undefined ? (
          <Loading what="open breaches" />
        ) : (
          <Table<OpenEscalation>
            caption="Waiting for a documented action"
            testId="open-breaches"
            rows={open.data.escalations}
            rowKey={(row) => row.stepKey}
            empty="No breach is waiting."
            columns={[
              {
                title: 'Lead',
                value: (row) => row.leadId,
                cell: (row) => <LeadLink leadId={row.leadId} />,
              },
              {
                title: 'Breach',
                value: (row) => row.record.title,
              },
              {
                title: 'Severity',
                value: (row) => row.record.severity,
              },
              {
                title: 'Rep',
                value: (row) => row.record.repId,
                cell: (row) => row.record.repId ?? '—',
              },
              {
                title: 'Fired',
                value: (row) => row.record.firedAt,
                cell: (row) => instantText(iso(row.record.firedAt), VIEWER_ZONE),
              },
              {
                title: 'Waits for',
                value: (row) => (needsAction(row) ? 'action' : 'root cause'),
                cell: (row) => <EscalationAction row={row} onDone={open.reload} />,
              },
            ]}
          />
        )}
      </Section>
    </div>
  )
}
