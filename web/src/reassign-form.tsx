/** Reassigning a lead (owner.assigned, a manager's decision), from the lead page or a queue. */
import { useState } from 'preact/hooks'

import { api, ApiError } from './api'
import { Failure, freshKey } from './parts'

/** A person a lead can go to, as GET /team lists them. */
export interface TeamMember {
  readonly personId: string
  readonly name: string
  readonly role: string
  readonly managerId: string | null
  readonly availability: 'available' | 'inactive' | 'out of office' | 'at capacity'
  readonly outOfOffice: { readonly from: string; readonly to: string } | null
  readonly assignedToday: number
  readonly capacityPerDay: number
}

/** With `people`, the new owner is picked among them (available ones first); else typed. */
export function ReassignForm({
  leadId,
  onDone,
  people,
}: {
  readonly leadId: string
  readonly onDone: () => void
  readonly people?: readonly TeamMember[]
}) {
  const [ownerId, setOwnerId] = useState('')
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<string | undefined>(undefined)
  const submit = async (event: Event) => {
    event.preventDefault()
    try {
      await api.post(`/leads/${encodeURIComponent(leadId)}/transitions`, {
        type: 'owner.assigned',
        idempotencyKey: freshKey('reassign'),
        payload: { ownerId, reason, reassignment: 'manager-decision' },
      })
      setMessage(undefined)
      onDone()
    } catch (failure) {
      setMessage(failure instanceof ApiError ? failure.message : String(failure))
    }
  }
  const choices = [...(people ?? [])].sort(
    (a, b) => Number(a.availability !== 'available') - Number(b.availability !== 'available'),
  )
  return (
    <form
      onSubmit={(event) => void submit(event)}
      class="action-form"
      aria-label={`Reassign ${leadId}`}
    >
      <label>
        New owner{people === undefined ? ' (person id)' : ''}
        {people === undefined ? (
          <input
            required
            value={ownerId}
            onInput={(event) => setOwnerId(event.currentTarget.value)}
          />
        ) : (
          <select
            required
            value={ownerId}
            onChange={(event) => setOwnerId(event.currentTarget.value)}
          >
            <option value="">Choose…</option>
            {choices.map((person) => (
              <option key={person.personId} value={person.personId}>
                {person.name} ({person.availability})
              </option>
            ))}
          </select>
        )}
      </label>
      <label>
        Reason
        <input required value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </label>
      <button type="submit">Reassign</button>
      <Failure message={message} />
    </form>
  )
}
