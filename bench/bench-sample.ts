/** The sample events the store benches feed in: the same events on every run. */
import type { NewLeadEvent } from '../src/domain/recorded-event.js'
import { defaultPolicyPath, loadPolicyFile } from '../src/policy/load-policy-file.js'
import { generateSampleEvents, writeSampleJsonl } from '../src/sample/generate-sample.js'

/** The sample averages fewer events than this per lead: enough leads to cut N events from. */
const LEADS_PER_EVENT = 1 / 6
const SAMPLE_END = Date.parse('2026-03-02T00:00:00Z')

/** The first `count` events, by occurrence, of a sample with enough leads. */
export async function sampleEvents(count: number): Promise<NewLeadEvent[]> {
  const loaded = await loadPolicyFile(defaultPolicyPath())
  if (!loaded.ok) {
    throw new Error('the default policy is invalid')
  }
  const events = generateSampleEvents({
    seed: 20_261_202,
    leads: Math.ceil(count * LEADS_PER_EVENT),
    days: 90,
    end: SAMPLE_END,
    policy: loaded.policy,
  })
  if (events.length < count) {
    throw new Error(`the sample gave ${events.length} events, fewer than ${count}`)
  }
  return events.slice(0, count)
}

/**
 * The events as a client posts them to the API: the lines `leadclock import` reads, without
 * `receivedAt`, which live intake assigns itself.
 */
export function apiInputsOf(events: readonly NewLeadEvent[]): Record<string, unknown>[] {
  return writeSampleJsonl(events)
    .trimEnd()
    .split('\n')
    .map((line) => {
      const { receivedAt: _receivedAt, ...input } = JSON.parse(line) as Record<string, unknown>
      return input
    })
}

/**
 * The same inputs for other leads: lead ids (and the references to them) and idempotency keys
 * prefixed, so that a store already holding a sample takes them as new leads.
 */
export function asOtherLeads(
  inputs: readonly Record<string, unknown>[],
  prefix: string,
): Record<string, unknown>[] {
  return inputs.map((input) => {
    const payload = input.payload as Record<string, unknown>
    return {
      ...input,
      idempotencyKey: `${prefix}${String(input.idempotencyKey)}`,
      leadId: `${prefix}${String(input.leadId)}`,
      payload:
        typeof payload.duplicateOfLeadId === 'string'
          ? { ...payload, duplicateOfLeadId: `${prefix}${payload.duplicateOfLeadId}` }
          : payload,
    }
  })
}
