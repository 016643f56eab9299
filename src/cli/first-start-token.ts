/**
 * The first `leadclock start` — no token exists yet — creates an admin token, prints it once and
 * keeps it for this machine's CLI in the runtime folder (mode 0600), so the quick start works with
 * every route closed to anonymous callers. Later starts create nothing.
 */
import { rm } from 'node:fs/promises'

import type { AccessDependencies } from '../app/api-tokens.js'
import { COMMAND_LINE, createApiToken } from '../app/api-tokens.js'
import type { CliOutput } from './cli-output.js'
import { localTokenPath, saveLocalToken } from './local-token.js'

export async function keepFirstAdminToken(
  access: AccessDependencies,
  runtimeDir: string,
  now: number,
  output: CliOutput,
): Promise<void> {
  if ((await access.store.countTokens()) > 0) {
    return
  }
  const created = await createApiToken(
    access,
    { role: 'admin', personId: null, expiresAt: null, label: 'local CLI (first start)' },
    now,
    COMMAND_LINE,
  )
  if (!created.ok) {
    throw new Error(`cannot create the first admin token: ${created.message}`)
  }
  const path = localTokenPath(runtimeDir)
  // A file left from a store since deleted holds a token that no longer exists.
  await rm(path, { force: true })
  await saveLocalToken(runtimeDir, created.secret)
  output.print(
    `Admin token ${created.token.tokenId}, shown this once (the CLI keeps it in ${path}):`,
  )
  output.print(`  ${created.secret}`)
  output.print(
    `  Every API call needs a token: curl -H "authorization: Bearer $(cat ${path})" …; leadclock token create makes one per person.`,
  )
}
