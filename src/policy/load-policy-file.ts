/** Reads a policy file from disk; the only policy code that does I/O. */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import type { ParsePolicyResult } from './parse-policy.js'
import { parsePolicy } from './parse-policy.js'

/** A file shipped with this package (e.g. `policies/default.yaml`), found from the running module. */
export function packageFilePath(...segments: string[]): string {
  let directory = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(directory, ...segments)
    if (existsSync(candidate)) {
      return candidate
    }
    const parent = dirname(directory)
    if (parent === directory) {
      throw new Error(`${segments.join('/')} not found above the Leadclock installation`)
    }
    directory = parent
  }
}

export function defaultPolicyPath(): string {
  return packageFilePath('policies', 'default.yaml')
}

/**
 * The policy in `path`, parsed and checked. A file that cannot be read is thrown (with the reason
 * as its cause), not returned as a problem: there is nothing in it to locate.
 */
export async function loadPolicyFile(path: string): Promise<ParsePolicyResult> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`cannot read the policy ${path}`, { cause: error })
  })
  return parsePolicy(text, path)
}
