/**
 * A server holding the embedded store (PGlite allows one process per data folder), found at the
 * URL it recorded in the folder's lock, and requests to it with this machine's CLI token. Loads
 * neither the store nor the engine.
 */
import { pgliteFolderOf, runtimeDirOf } from '../runtime-folders.js'
import { dataDirHolder } from '../store/data-dir-lock.js'
import { localTokenPath, readLocalToken } from './local-token.js'
import type { RuntimeOptions } from './runtime-commands.js'

export interface HeldServer {
  readonly url: string
  readonly runtimeDir: string
}

/** The server holding the data folder of `options`, if one does (never with DATABASE_URL). */
export async function heldServer(options: RuntimeOptions): Promise<HeldServer | undefined> {
  if (process.env.DATABASE_URL) {
    return undefined
  }
  const runtimeDir = runtimeDirOf(process.env, options.dataDir)
  const url = (await dataDirHolder(pgliteFolderOf(runtimeDir)))?.serverUrl
  return url === undefined ? undefined : { url, runtimeDir }
}

/** The answer of the server; a failure to reach it or to authenticate is an error that says so. */
export async function askServer(
  server: HeldServer,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Response> {
  const token = await readLocalToken(process.env, server.runtimeDir)
  if (token === undefined) {
    throw new Error(
      `the server holding the data folder needs a token: set LEADCLOCK_TOKEN, or keep one in ${localTokenPath(server.runtimeDir)} (the first leadclock start writes it)`,
    )
  }
  let response: Response
  try {
    response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch (error) {
    throw new Error(`the server holding the data folder does not answer at ${server.url}`, {
      cause: error,
    })
  }
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `${server.url}${path} answered ${response.status}: ${await problemDetail(response)}`,
    )
  }
  return response
}

/** The `detail` of a problem answer, else its status text. */
export async function problemDetail(response: Response): Promise<string> {
  const problem = (await response.json().catch(() => ({}))) as { detail?: unknown }
  return typeof problem.detail === 'string' ? problem.detail : response.statusText
}
