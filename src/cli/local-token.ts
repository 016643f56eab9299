/**
 * The token this machine's CLI sends to a server holding the data folder: LEADCLOCK_TOKEN, else
 * the admin token the first `leadclock start` kept in the runtime folder (`cli-token`, readable by
 * its owner only). Free of the store, like runtime-folders.ts: `lead` against a server loads
 * neither.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export function localTokenPath(runtimeDir: string): string {
  return join(runtimeDir, 'cli-token')
}

export async function readLocalToken(
  env: NodeJS.ProcessEnv,
  runtimeDir: string,
): Promise<string | undefined> {
  if (env.LEADCLOCK_TOKEN) {
    return env.LEADCLOCK_TOKEN
  }
  try {
    return (await readFile(localTokenPath(runtimeDir), 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined
    }
    throw error
  }
}

/** Writes the file for its owner only (0600); an existing file is never replaced. */
export async function saveLocalToken(runtimeDir: string, secret: string): Promise<void> {
  await mkdir(runtimeDir, { recursive: true })
  await writeFile(localTokenPath(runtimeDir), `${secret}\n`, { mode: 0o600, flag: 'wx' })
}
