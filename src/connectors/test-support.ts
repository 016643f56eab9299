/** A connector's default mapping for tests, with the owner mappings a test gives. */
import { readFileSync } from 'node:fs'

import type { ParsedYaml } from '../policy/yaml-document.js'

export function defaultMappingWithOwners<T extends { readonly owners: Record<string, string> }>(
  path: string,
  parse: (text: string, file: string) => ParsedYaml<T>,
  owners: Readonly<Record<string, string>>,
): T {
  const parsed = parse(readFileSync(path, 'utf8'), path)
  if (!parsed.ok) {
    throw new Error(`the default mapping ${path} is invalid: ${JSON.stringify(parsed.problems)}`)
  }
  return { ...parsed.value, owners: { ...parsed.value.owners, ...owners } }
}
