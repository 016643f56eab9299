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

export async function loadPolicyFile(path: string): Promise<ParsePolicyResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`
    return { ok: false, problems: [{ file: path, line: 0, column: 0, path: '', message: reason }] }
  }
  return parsePolicy(text, path)
}
