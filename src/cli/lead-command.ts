/**
 * `leadclock lead ID`. While a server holds the embedded store (PGlite allows one process per data
 * folder), the lead is read from that server over HTTP, at the address it recorded in the folder's
 * lock; otherwise from the store. The HTTP path loads neither the store nor the engine. Both print
 * the same JSON view (`leadViewJson`), so the times read the same either way.
 */
import type { LeadViewJson } from '../app/lead-view-json.js'
import { pgliteFolderOf, runtimeDirOf } from '../runtime-folders.js'
import { dataDirHolder } from '../store/data-dir-lock.js'
import type { CliOutput } from './cli-output.js'
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
async function fetchLead(serverUrl: string, leadId: string): Promise<LeadViewJson | undefined> {
  const url = `${serverUrl}/leads/${encodeURIComponent(leadId)}`
  let response: Response
  try {
    response = await fetch(url)
  } catch (error) {
    throw new Error(`the server holding the data folder does not answer at ${serverUrl}`, {
      cause: error,
    })
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
  return (await response.json()) as LeadViewJson
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
  const [{ withRuntime }, { readLead }, { leadViewJson }] = await Promise.all([
    import('./runtime-actions.js'),
    import('../app/read-lead.js'),
    import('../app/lead-view-json.js'),
  ])
  await withRuntime(options, async (runtime) => {
    const view = await readLead(runtime, leadId, runtime.now())
    show(view === undefined ? undefined : leadViewJson(view), leadId, output)
  })
}
