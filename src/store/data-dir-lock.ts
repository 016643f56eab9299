/**
 * One process at a time per PGlite data folder. PGlite itself does not stop a second instance
 * from opening the same folder (in this process or another), and two instances writing one
 * folder corrupt it. The lock is a file beside the folder holding the owner's pid, created
 * atomically (link of a complete temporary file); a lock whose process is gone (a crash, a
 * SIGKILL) is stale and taken over. A holder that serves HTTP adds its URL on a second line, so
 * that read commands can ask it instead of opening the folder.
 */
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'

import { StoreError } from './store-error.js'

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM'
  }
}

/** What a lock file says: the process holding the folder and, when it serves HTTP, where. */
export interface DataDirHolder {
  readonly pid: number
  readonly serverUrl: string | undefined
}

async function readLock(lockPath: string): Promise<DataDirHolder | undefined> {
  let text: string
  try {
    text = await readFile(lockPath, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return undefined
    }
    throw error
  }
  const [pidLine = '', serverUrl = ''] = text.split('\n')
  const pid = Number.parseInt(pidLine, 10)
  return Number.isSafeInteger(pid) && pid > 0
    ? { pid, serverUrl: serverUrl === '' ? undefined : serverUrl }
    : undefined
}

async function lockHolder(lockPath: string): Promise<number | undefined> {
  return (await readLock(lockPath))?.pid
}

function lockPathOf(dataDir: string): string {
  return `${resolve(dataDir)}.lock`
}

/** The live process holding `dataDir`, if any. */
export async function dataDirHolder(dataDir: string): Promise<DataDirHolder | undefined> {
  const holder = await readLock(lockPathOf(dataDir))
  return holder !== undefined && processIsAlive(holder.pid) ? holder : undefined
}

/** Adds to the lock this process holds on `dataDir` the URL its HTTP server answers on. */
export async function recordServerUrl(dataDir: string, serverUrl: string): Promise<void> {
  const lockPath = lockPathOf(dataDir)
  if ((await lockHolder(lockPath)) !== process.pid) {
    throw new StoreError(`this process does not hold the data folder ${dataDir}`)
  }
  // Replaced whole (rename), so a reader never sees half a file.
  const next = `${lockPath}.${process.pid}.server`
  await writeFile(next, `${process.pid}\n${serverUrl}\n`)
  await rename(next, lockPath)
}

/** Who holds the folder, and what to do: stop it, or clear a lock that a crash left to another process's id. */
function inUse(dataDir: string, lockPath: string, holder: DataDirHolder): string {
  if (holder.pid === process.pid) {
    return `the data folder ${dataDir} is in use by this process already`
  }
  const serving = holder.serverUrl === undefined ? '' : ` (serving ${holder.serverUrl})`
  return (
    `the data folder ${dataDir} is in use by process ${holder.pid}${serving}; stop it first ` +
    `(if that process is not Leadclock, the lock ${lockPath} was left by a crash: delete it)`
  )
}

/** Takes the lock of `dataDir`; the returned function releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = lockPathOf(dataDir)
  const candidate = `${lockPath}.${process.pid}.${Date.now()}`
  await writeFile(candidate, `${process.pid}\n`)
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await link(candidate, lockPath)
        return async () => {
          if ((await lockHolder(lockPath)) === process.pid) {
            await rm(lockPath, { force: true })
          }
        }
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') {
          throw error
        }
      }
      const holder = await readLock(lockPath)
      if (holder !== undefined && processIsAlive(holder.pid)) {
        throw new StoreError(inUse(dataDir, lockPath, holder))
      }
      await rm(lockPath, { force: true })
    }
    throw new StoreError(`could not lock the data folder ${dataDir} (${lockPath})`)
  } finally {
    await rm(candidate, { force: true })
  }
}
