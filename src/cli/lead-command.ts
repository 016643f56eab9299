/**
 * `leadclock lead ID`. While a server holds the embedded store (PGlite allows one process per data
 * folder), the lead is read from that server over HTTP, at the address it recorded in the folder's
 * lock; otherwise from the store. The HTTP path loads neither the store nor the engine.
 */
import type { LeadView } from '../app/read-lead.js'
import { pgliteFolderOf, runtimeDirOf } from '../runtime-folders.js'
import { dataDirHolder } from '../store/data-dir-lock.js'
import type { CliOutput } from './cli-output.js'
import type { RuntimeOptions } from './runtime-commands.js'
import { textTable } from './text-table.js'

function printLead(view: LeadView, output: CliOutput): void {
  const { lead, scoreNow, clocks, timeline } = view
  const iso = (instant: number | null): string =>
    instant === null ? '—' : new Date(instant).toISOString()
  output.print(
    `${lead.leadId} — ${lead.profile.firstName ?? ''} ${lead.profile.lastName ?? ''} at ${lead.profile.company ?? '?'}`,
  )
  output.print(
    `Stage ${lead.stage.toUpperCase()} · tier ${lead.tier ?? '—'} · owner ${lead.ownerId ?? '—'} · policy ${lead.policyVersion}`,
  )
  output.print(
    `Score now ${scoreNow.total} (fit ${scoreNow.fitScore}/100): ${scoreNow.lines.map((l) => `${l.signal} ${l.points > 0 ? '+' : ''}${l.points}`).join(', ')}`,
  )
  output.print('')
  output.print(
    textTable(
      ['SLA clock', 'Status', 'Started', 'Target', 'Breach', 'Elapsed (min)'],
      clocks.map((clock) => [
        clock.name,
        // Why a clock cannot run, or why it waits, belongs next to its status.
        [clock.status, clock.problem ?? clock.pausedSince?.reason].filter(Boolean).join(': '),
        iso(clock.startedAt),
        iso(clock.targetAt),
        iso(clock.breachAt),
        String(Math.round(clock.elapsedMs / 60_000)),
      ]),
    ),
  )
  output.print('')
  if (view.tasks.length > 0) {
    output.print(
      textTable(
        ['Task', 'Owner', 'Due', 'State'],
        view.tasks.map((task) => [
          task.text,
          task.ownerId ?? task.ownerRole,
          iso(task.dueAt),
          task.state,
        ]),
      ),
    )
    output.print('')
  }
  output.print(
    textTable(
      ['Occurred', 'Event', 'Actor'],
      timeline.map((event) => [iso(event.occurredAt), event.type, event.actor?.id ?? '—']),
    ),
  )
}

function show(view: LeadView | undefined, leadId: string, output: CliOutput): void {
  if (view === undefined) {
    output.error(`no lead ${leadId}`)
    output.exitCode(1)
    return
  }
  printLead(view, output)
}

/** GET /leads/{id} of the server; undefined when it has no such lead. */
async function fetchLead(serverUrl: string, leadId: string): Promise<LeadView | undefined> {
  const url = `${serverUrl}/leads/${encodeURIComponent(leadId)}`
  let response: Response
  try {
    response = await fetch(url)
  } catch (error) {
    throw new Error(
      `the server holding the data folder does not answer at ${serverUrl} (${error instanceof Error ? error.message : String(error)})`,
    )
  }
  if (response.status === 404) {
    return undefined
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: unknown }
    throw new Error(
      `${url} answered ${response.status}${typeof problem.detail === 'string' ? `: ${problem.detail}` : ''}`,
    )
  }
  return (await response.json()) as LeadView
}

export async function showLead(
  leadId: string,
  options: RuntimeOptions,
  output: CliOutput,
): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const folder = pgliteFolderOf(runtimeDirOf(process.env, options.dataDir))
    const serverUrl = (await dataDirHolder(folder))?.serverUrl
    if (serverUrl !== undefined) {
      show(await fetchLead(serverUrl, leadId), leadId, output)
      return
    }
  }
  const [{ withRuntime }, { readLead }] = await Promise.all([
    import('./runtime-actions.js'),
    import('../app/read-lead.js'),
  ])
  await withRuntime(options, async (runtime) =>
    show(await readLead(runtime, leadId, runtime.now()), leadId, output),
  )
}
