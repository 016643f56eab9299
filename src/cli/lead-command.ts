/**
 * `leadclock lead ID`. While a server holds the embedded store (PGlite allows one process per data
 * folder), the lead is read from that server over HTTP, at the address it recorded in the folder's
 * lock, with this machine's CLI token; otherwise from the store. The HTTP path loads neither the
 * store nor the engine. Both print the same JSON view (`leadViewJson`), so the times read the same
 * either way.
 */
import type { LeadViewJson } from '../app/lead-view-json.js'
import type { CliOutput } from './cli-output.js'
import type { HeldServer } from './held-server.js'
import { askServer, heldServer, problemDetail } from './held-server.js'
import type { RuntimeOptions } from './runtime-commands.js'
import { leadViewText } from './lead-view-text.js'

function show(view: LeadViewJson | undefined, leadId: string, output: CliOutput): void {
  if (view === undefined) {
    output.error(`no lead ${leadId}`)
    output.exitCode(1)
    return
  }
  for (const line of leadViewText(view)) {
    output.print(line)
  }
}

/** GET /leads/{id} of the server; undefined when it has no such lead. */
async function fetchLead(server: HeldServer, leadId: string): Promise<LeadViewJson | undefined> {
  const path = `/leads/${encodeURIComponent(leadId)}`
  const response = await askServer(server, 'GET', path)
  if (response.status === 404) {
    return undefined
  }
  if (!response.ok) {
    throw new Error(
      `${server.url}${path} answered ${response.status}: ${await problemDetail(response)}`,
    )
  }
  return (await response.json()) as LeadViewJson
}

export async function showLead(
  leadId: string,
  options: RuntimeOptions,
  output: CliOutput,
): Promise<void> {
  const server = await heldServer(options)
  if (server !== undefined) {
    show(await fetchLead(server, leadId), leadId, output)
    return
  }
  const [{ withRuntime }, { readDependenciesOf }, { readLead }, { leadViewJson }] =
    await Promise.all([
      import('./runtime-actions.js'),
      import('../main.js'),
      import('../app/read-lead.js'),
      import('../app/lead-view-json.js'),
    ])
  await withRuntime(options, async (runtime) => {
    const view = await readLead(readDependenciesOf(runtime), leadId, runtime.now())
    show(view === undefined ? undefined : leadViewJson(view), leadId, output)
  })
}
