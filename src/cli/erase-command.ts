/**
 * `leadclock erase --lead ID | --email ADDRESS`: the right to erasure from the command line. Like
 * `leadclock lead`, it asks the server holding the embedded store when one does (POST
 * /privacy/erase with this machine's CLI token); otherwise it erases in the store itself, audited
 * as the command line's.
 */
import type { ErasureOutcome, ErasureRequest } from '../app/erase-personal-data.js'
import type { CliOutput } from './cli-output.js'
import type { HeldServer } from './held-server.js'
import { askServer, heldServer, problemDetail } from './held-server.js'
import type { RuntimeOptions } from './runtime-commands.js'

export interface EraseOptions extends RuntimeOptions {
  readonly lead?: string
  readonly email?: string
}

type Erased = Exclude<ErasureOutcome, { status: 'not-found' }>

function report(erased: Omit<Erased, 'status'> | undefined, output: CliOutput): void {
  if (erased === undefined) {
    output.error('nothing to erase: no lead matches the lead id or email given')
    output.exitCode(1)
    return
  }
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  output.print(
    `Erased the personal data of ${erased.leadIds.join(', ')}: ${count(erased.events, 'event', 'events')} and ${count(erased.auditEntries, 'audit entry', 'audit entries')} rewritten.`,
  )
  output.print(
    erased.fields.length === 0
      ? 'Nothing personal was left (erased before).'
      : `Fields: ${erased.fields.join(', ')}.`,
  )
}

/** POST /privacy/erase of the server; undefined when nothing matches. */
async function eraseOnServer(
  server: HeldServer,
  request: ErasureRequest,
): Promise<Omit<Erased, 'status'> | undefined> {
  const path = '/privacy/erase'
  const response = await askServer(server, 'POST', path, request)
  if (response.status === 404) {
    return undefined
  }
  if (!response.ok) {
    throw new Error(
      `${server.url}${path} answered ${response.status}: ${await problemDetail(response)}`,
    )
  }
  return ((await response.json()) as { erased: Omit<Erased, 'status'> }).erased
}

export async function erase(options: EraseOptions, output: CliOutput): Promise<void> {
  if (options.lead === undefined && options.email === undefined) {
    output.error('error: say whose data to erase: --lead <leadId>, --email <address> or both')
    output.exitCode(2)
    return
  }
  const request: ErasureRequest = {
    ...(options.lead === undefined ? {} : { leadId: options.lead }),
    ...(options.email === undefined ? {} : { email: options.email }),
  }
  const server = await heldServer(options)
  if (server !== undefined) {
    report(await eraseOnServer(server, request), output)
    return
  }
  const [{ withRuntime }, { erasePersonalData }, { COMMAND_LINE }] = await Promise.all([
    import('./runtime-actions.js'),
    import('../app/erase-personal-data.js'),
    import('../app/api-tokens.js'),
  ])
  await withRuntime(options, async (runtime) => {
    const outcome = await erasePersonalData(
      {
        repository: runtime.repository,
        policy: runtime.policy,
        roster: () => runtime.rosterSource.current(),
      },
      request,
      { mayErase: () => true, by: COMMAND_LINE },
      runtime.now(),
    )
    report(outcome.status === 'not-found' ? undefined : outcome, output)
  })
}
