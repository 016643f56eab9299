/**
 * One process at a time per PGlite data folder. PGlite itself does not stop a second instance
 * from opening the same folder (in this process or another), and two instances writing one
 * folder lose acknowledged commits and number two events alike.
 *
 * The exclusion is a kernel lock, flock(2), on the file `<folder>.lock` (in the runtime folder,
 * beside PGlite's own): it belongs to a descriptor this process keeps open while it uses the
 * folder, so the kernel ends it with the process however it ends (a crash, kill -9), and it
 * holds between processes that cannot see each other's ids (PID namespaces, containers sharing
 * the folder), where checking whether a recorded pid is alive does not. Node has no flock(2): the
 * util-linux `flock` command takes the lock on that descriptor, handed to it as its fd 3, and
 * exits; the lock stays with the open file, which is ours (the shell's `flock -n 9` idiom).
 *
 * The file also says who holds it — the pid, and on a second line the URL when the holder serves
 * HTTP — for the refusal message and for read commands to ask that server. It is rewritten in
 * place and never deleted: a process that opened it just before a deletion would lock the old
 * file while another locks a new one.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { open, readFile } from 'node:fs/promises'
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

/** The holder a lock file names; a line is read only once it is whole (ends with a newline). */
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
  const [pidLine, serverUrl] = text.split('\n')
  const pid = Number.parseInt(pidLine ?? '', 10)
  const urlIsWhole = serverUrl !== undefined && serverUrl !== '' && text.endsWith('\n')
  return text.includes('\n') && Number.isSafeInteger(pid) && pid > 0
    ? { pid, serverUrl: urlIsWhole ? serverUrl : undefined }
    : undefined
}

function lockPathOf(dataDir: string): string {
  return `${resolve(dataDir)}.lock`
}

/**
 * The lock files this process holds (by path), with the descriptor that holds each; a path is
 * entered before its lock is taken, so two opens in this process cannot both try.
 */
const heldLocks = new Map<string, FileHandle | undefined>()

/**
 * The process holding `dataDir`, as its lock file names it, if that process is alive. A hint for
 * finding a running server: the exclusion itself is the flock.
 */
export async function dataDirHolder(dataDir: string): Promise<DataDirHolder | undefined> {
  const holder = await readLock(lockPathOf(dataDir))
  return holder !== undefined && processIsAlive(holder.pid) ? holder : undefined
}

/** Rewrites what the lock file says, in place (the lock belongs to this very file). */
async function writeHolder(handle: FileHandle, text: string): Promise<void> {
  await handle.truncate(0)
  await handle.write(text, 0)
}

/** Adds to the lock this process holds on `dataDir` the URL its HTTP server answers on. */
export async function recordServerUrl(dataDir: string, serverUrl: string): Promise<void> {
  const handle = heldLocks.get(lockPathOf(dataDir))
  if (handle === undefined) {
    throw new StoreError(`this process does not hold the data folder ${dataDir}`)
  }
  await writeHolder(handle, `${process.pid}\n${serverUrl}\n`)
}

/** Exit code of `flock --nonblock` when another open file holds the lock. */
const LOCK_CONFLICT = 75

/**
 * Takes an exclusive flock on the open file of `handle` without waiting: true when taken, false
 * when another open file (another process, or another open in this one) holds it.
 */
function flockOpenFile(handle: FileHandle, lockPath: string): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const flock = spawn(
      'flock',
      ['--exclusive', '--nonblock', '--conflict-exit-code', String(LOCK_CONFLICT), '3'],
      { stdio: ['ignore', 'ignore', 'pipe', handle.fd] },
    )
    let stderr = ''
    flock.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    flock.on('error', (error) => {
      reject(
        new StoreError(
          `cannot lock ${lockPath}: the flock command (util-linux) is needed to lock the embedded store`,
          { cause: error },
        ),
      )
    })
    flock.on('close', (code) => {
      if (code === 0 || code === LOCK_CONFLICT) {
        resolvePromise(code === 0)
      } else {
        reject(
          new StoreError(`cannot lock ${lockPath}: flock exited with ${code}: ${stderr.trim()}`),
        )
      }
    })
  })
}

/** Who holds the folder, as its lock file says, and what to do. */
function inUse(dataDir: string, holder: DataDirHolder | undefined): string {
  if (holder === undefined) {
    return `the data folder ${dataDir} is in use by another process; stop it first`
  }
  const serving = holder.serverUrl === undefined ? '' : ` (serving ${holder.serverUrl})`
  return `the data folder ${dataDir} is in use by process ${holder.pid}${serving}; stop it first`
}

/** Takes the lock of `dataDir`; the returned function releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = lockPathOf(dataDir)
  if (heldLocks.has(lockPath)) {
    throw new StoreError(`the data folder ${dataDir} is in use by this process already`)
  }
  heldLocks.set(lockPath, undefined)
  let handle: FileHandle | undefined
  try {
    // Opened without truncating: what a holder wrote stays readable to the refused.
    handle = await open(lockPath, constants.O_RDWR | constants.O_CREAT, 0o644)
    if (!(await flockOpenFile(handle, lockPath))) {
      throw new StoreError(inUse(dataDir, await readLock(lockPath)))
    }
    await writeHolder(handle, `${process.pid}\n`)
  } catch (error) {
    heldLocks.delete(lockPath)
    await handle?.close()
    throw error
  }
  heldLocks.set(lockPath, handle)
  const locked = handle
  return async () => {
    if (heldLocks.get(lockPath) === locked) {
      heldLocks.delete(lockPath)
      // Emptied first: a stale holder must not be asked for after this process has gone.
      await locked.truncate(0)
      await locked.close()
    }
  }
}
