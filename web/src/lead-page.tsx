/**
 * One lead: its clocks (target, breach, time left, status), the score breakdown, escalations
 * fired and ahead, tasks, the timeline — and the transitions a person may ask for, whose
 * refusal shows the rule's own message.
 */
import { useState } from 'preact/hooks'

import type { Clock, LeadView, Principal, Task } from './api'
import { api, ApiError } from './api'
import { elapsedText, timeLeftText } from './format'
import { ClockStatus, Failure, freshKey, Loading, Section } from './parts'
import { instantColumn, Table } from './table'
import { ReassignForm } from './reassign-form'
import { useApi } from './use-api'

type FiredStep = LeadView['firedEscalations'][number]
type UpcomingStep = LeadView['upcomingEscalations'][number]
type TimelineEvent = LeadView['timeline'][number]

/** The transitions a person asks for here (POST /leads/{id}/transitions), with a payload hint. */
const TRANSITIONS: Readonly<Record<string, string>> = {
  'sal.accepted': '{}',
  'sal.rejected': '{ "reasonCode": "", "note": "" }',
  'sql.promoted': '{ "aeId": "" }',
  'ae.accepted': '{ "briefingRead": true }',
  'ae.rejected': '{ "reasonCode": "", "note": "" }',
  'opportunity.created': '{}',
  'lead.recycled': '{ "scenario": "not-ready" }',
  'lead.disqualified': '{ "reasonCode": "" }',
  'clock.paused': '{ "item": "", "reason": "" }',
  'clock.resumed': '{ "item": "" }',
}

const MAY_REASSIGN: ReadonlySet<Principal['role']> = new Set(['manager', 'revops', 'admin'])

function TransitionForm({
  leadId,
  onDone,
}: {
  readonly leadId: string
  readonly onDone: () => void
}) {
  const [type, setType] = useState('sal.accepted')
  const [payload, setPayload] = useState(TRANSITIONS['sal.accepted'] ?? '{}')
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>(undefined)
  const submit = async (event: Event) => {
    event.preventDefault()
    let body: unknown
    try {
      body = JSON.parse(payload)
    } catch {
      setOutcome({ ok: false, text: 'payload: not JSON (write an object, e.g. {})' })
      return
    }
    try {
      await api.post(`/leads/${encodeURIComponent(leadId)}/transitions`, {
        type,
        idempotencyKey: freshKey('dashboard'),
        payload: body,
      })
      setOutcome({ ok: true, text: `${type} recorded` })
      onDone()
    } catch (failure) {
      const problem = failure instanceof ApiError ? failure.problem : undefined
      const fields = problem?.problems?.map((item) => `${item.field}: ${item.message}`) ?? []
      setOutcome({
        ok: false,
        text: [
          `${problem?.title ?? 'Refused'}${problem?.rule === undefined ? '' : ` (rule ${problem.rule})`}: ${problem?.detail ?? String(failure)}`,
          ...fields,
        ].join(' — '),
      })
    }
  }
  return (
    <form
      onSubmit={(event) => void submit(event)}
      class="action-form"
      aria-label="Ask for a transition"
    >
      <label>
        Transition
        <select
          value={type}
          onChange={(event) => {
            setType(event.currentTarget.value)
            setPayload(TRANSITIONS[event.currentTarget.value] ?? '{}')
          }}
        >
          {Object.keys(TRANSITIONS).map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Payload (JSON)
        <textarea
          rows={2}
          value={payload}
          onInput={(event) => setPayload(event.currentTarget.value)}
        />
      </label>
      <button type="submit">Submit transition</button>
      {outcome === undefined ? null : (
        <p
          role={outcome.ok ? 'status' : 'alert'}
          class={outcome.ok ? 'done' : 'failure'}
          data-testid="transition-outcome"
        >
          {outcome.text}
        </p>
      )}
    </form>
  )
}

export function LeadPage({
  leadId,
  principal,
}: {
  readonly leadId: string
  readonly principal: Principal
}) {
  const { data: view, error, reload } = useApi<LeadView>(`/leads/${encodeURIComponent(leadId)}`)
  if (view === undefined) {
    return error === undefined ? <Loading what={leadId} /> : <Failure message={error} />
  }
  const zone = view.timeZone
  const { profile } = view.lead
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ')
  return (
    <div>
      <h1>
        Lead {view.lead.leadId}
        {name === '' ? '' : ` — ${name}`}
        {profile.company === undefined ? '' : `, ${profile.company}`}
      </h1>
      <Failure message={error} />
      <dl class="facts">
        <dt>Stage</dt>
        <dd data-testid="lead-stage">{view.lead.stage}</dd>
        <dt>Tier</dt>
        <dd>{view.lead.tier ?? '—'}</dd>
        <dt>Owner</dt>
        <dd data-testid="lead-owner">{view.lead.ownerId ?? 'unassigned'}</dd>
        <dt>Lead’s zone</dt>
        <dd>{zone}</dd>
        <dt>Score now</dt>
        <dd data-testid="score-total">{view.scoreNow.total}</dd>
        <dt>Policy</dt>
        <dd>{view.lead.policyVersion}</dd>
      </dl>
      <Section title="SLA clocks">
        <Table<Clock>
          caption="Clocks"
          testId="lead-clocks"
          rows={view.clocks}
          rowKey={(clock) => clock.itemId}
          empty="No clock has started."
          columns={[
            { title: 'Item', value: (clock) => clock.name },
            {
              title: 'Status',
              value: (clock) => clock.status,
              cell: (clock) => (
                <>
                  <ClockStatus status={clock.status} />
                  {clock.pausedSince === null ? '' : ` (${clock.pausedSince.reason})`}
                  {clock.problem === null ? '' : ` — ${clock.problem}`}
                </>
              ),
            },
            instantColumn('Started', (clock) => clock.startedAt, zone),
            instantColumn('Target', (clock) => clock.targetAt, zone),
            instantColumn('Breach', (clock) => clock.breachAt, zone),
            {
              title: 'Elapsed',
              value: (clock) => clock.elapsedMs,
              cell: (clock) => elapsedText(clock.elapsedMs),
            },
            {
              title: 'Left to target',
              value: (clock) => clock.leftToTargetMs,
              cell: (clock) => timeLeftText(clock.leftToTargetMs, 'target', clock.measure),
            },
            {
              title: 'Left to breach',
              value: (clock) => clock.leftToBreachMs,
              cell: (clock) => timeLeftText(clock.leftToBreachMs, 'breach', clock.measure),
            },
          ]}
        />
        {view.clockWaits.length === 0 ? null : (
          <ul aria-label="Clocks not started">
            {view.clockWaits.map((wait) => (
              <li key={wait.itemId}>
                {wait.name}: {wait.reason}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Score breakdown">
        <p>
          Fit {view.scoreNow.fitPoints} (ICP fit {view.scoreNow.fitScore}/100), intent{' '}
          {view.scoreNow.intentPoints}, decay {view.scoreNow.decayPoints}, penalties{' '}
          {view.scoreNow.penaltyPoints}: total {view.scoreNow.total}.
        </p>
        <Table
          caption="Score lines"
          rows={view.scoreNow.lines}
          rowKey={(line) => `${line.signal}-${line.reason}`}
          empty="No signal scored."
          columns={[
            { title: 'Signal', value: (line) => line.signal },
            { title: 'Points', value: (line) => line.points },
            { title: 'Why', value: (line) => line.reason },
          ]}
        />
      </Section>
      <Section title="Escalations">
        <Table
          caption="Escalations fired"
          rows={view.firedEscalations}
          rowKey={(step) => step.stepKey}
          empty="None fired."
          columns={[
            { title: 'Step', value: (step) => step.title },
            { title: 'Severity', value: (step) => step.severity },
            instantColumn<FiredStep>('Due', (step) => step.dueAt, zone),
            instantColumn<FiredStep>('Fired', (step) => step.firedAt, zone),
            {
              title: 'Action',
              value: (step) => step.resolution?.action ?? null,
              cell: (step) =>
                step.resolution === null
                  ? step.managerActions.length === 0
                    ? '—'
                    : 'waiting for a manager action'
                  : `${step.resolution.action}: ${step.resolution.note}`,
            },
          ]}
        />
        <Table
          caption="Escalations ahead"
          rows={view.upcomingEscalations}
          rowKey={(step) => `${step.title}-${step.dueAt}`}
          empty="None ahead."
          columns={[
            { title: 'Step', value: (step) => step.title },
            { title: 'Severity', value: (step) => step.severity },
            instantColumn<UpcomingStep>('Due', (step) => step.dueAt, zone),
          ]}
        />
      </Section>
      <Section title="Tasks">
        <Table
          caption="Tasks"
          rows={view.tasks}
          rowKey={(task) => task.taskId}
          empty="No task."
          columns={[
            { title: 'Task', value: (task) => task.text },
            {
              title: 'Owner',
              value: (task) => task.ownerId ?? task.ownerRole,
            },
            instantColumn<Task>('Due', (task) => task.dueAt, zone),
            { title: 'State', value: (task) => task.state },
          ]}
        />
      </Section>
      {principal.role === 'leadership' ? null : (
        <Section title="Act on this lead">
          <TransitionForm leadId={view.lead.leadId} onDone={reload} />
          {MAY_REASSIGN.has(principal.role) ? (
            <ReassignForm leadId={view.lead.leadId} onDone={reload} />
          ) : null}
        </Section>
      )}
      <Section title="Timeline">
        <Table
          caption="Events"
          rows={view.timeline}
          rowKey={(event) => event.eventId}
          empty="No event."
          columns={[
            instantColumn<TimelineEvent>('When', (event) => event.occurredAt, zone),
            { title: 'Event', value: (event) => event.type },
            {
              title: 'By',
              value: (event) => event.actor?.id ?? null,
              cell: (event) => event.actor?.id ?? 'system',
            },
          ]}
        />
      </Section>
    </div>
  )
}
