/**
 * Validated YAML: text → a value checked by a zod schema and by cross-reference rules, frozen, or
 * problems located by file, line and column. Shared by the policy and the roster. Pure.
 */
import type { Document } from 'yaml'
import { isNode, LineCounter, parseDocument } from 'yaml'
import type { z } from 'zod'

export type DocumentPath = readonly (string | number)[]

export interface LocatedProblem {
  readonly file: string
  readonly line: number
  readonly column: number
  /** Where in the document, e.g. `slaItems[3].target`. */
  readonly path: string
  readonly message: string
}

/** A problem found by a rule, before it is located in the text. */
export interface UnlocatedProblem {
  readonly path: DocumentPath
  readonly message: string
}

export type ParsedYaml<T> =
  | {
      readonly ok: true
      readonly value: T
      readonly raw: unknown
      /** Locates a problem found later (e.g. against a file the document describes). */
      readonly locate: (problem: UnlocatedProblem) => LocatedProblem
    }
  | { readonly ok: false; readonly problems: readonly LocatedProblem[] }

export function formatDocumentPath(path: DocumentPath): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('')
}

export function formatLocatedProblem(problem: LocatedProblem): string {
  const where = problem.path === '' ? '' : ` ${problem.path}:`
  return `${problem.file}:${problem.line}:${problem.column}${where} ${problem.message}`
}

export function parseValidatedYaml<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  check: (value: z.output<S>) => UnlocatedProblem[],
): ParsedYaml<z.output<S>> {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0])
        return {
          file,
          line: position.line,
          column: position.col,
          path: '',
          message: `YAML syntax error: ${error.message.split('\n')[0] ?? error.code}`,
        }
      }),
    }
  }
  const raw: unknown = document.toJS({ maxAliasCount: 1000 })
  const locate = (problem: UnlocatedProblem): LocatedProblem =>
    locateProblem(problem, document, lineCounter, file)

  const parsed = schema.safeParse(raw, { reportInput: true })
  if (!parsed.success) {
    return {
      ok: false,
      problems: sortByPosition(parsed.error.issues.flatMap(describeIssue).map(locate)),
    }
  }
  const problems = check(parsed.data)
  if (problems.length > 0) {
    return { ok: false, problems: sortByPosition(problems.map(locate)) }
  }
  return { ok: true, value: deepFreeze(parsed.data), raw, locate }
}

function describeIssue(issue: z.core.$ZodIssue): UnlocatedProblem | UnlocatedProblem[] {
  const path = issue.path.filter(
    (segment): segment is string | number => typeof segment !== 'symbol',
  )
  switch (issue.code) {
    case 'unrecognized_keys': {
      // One problem per key, located at the key itself.
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown key "${key}"; check its spelling (the JSON Schema lists every key)`,
      }))
    }
    case 'invalid_type': {
      return issue.input === undefined
        ? { path, message: `is required (expected ${issue.expected})` }
        : { path, message: `expected ${issue.expected}, got ${describeValue(issue.input)}` }
    }
    case 'invalid_value': {
      return {
        path,
        message: `${describeValue(issue.input)} is not allowed; allowed: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`,
      }
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
        // zod puts the discriminator in the path; `input` is the object that holds it.
        const input = issue.input as Record<string, unknown> | undefined
        return {
          path,
          message: `unknown ${issue.discriminator} ${describeValue(input?.[issue.discriminator])}; allowed: ${issue.options.map((option) => JSON.stringify(option)).join(', ')}`,
        }
      }
      return { path, message: issue.message }
    }
    default:
      return { path, message: issue.message }
  }
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return 'a list'
  }
  if (typeof value === 'object') {
    return 'a mapping'
  }
  return value === undefined ? 'nothing' : JSON.stringify(value)
}

/** The closest node that exists on the path gives the line; a missing key points at its parent. */
function locateProblem(
  problem: UnlocatedProblem,
  document: Document,
  lineCounter: LineCounter,
  file: string,
): LocatedProblem {
  let offset = 0
  for (let depth = problem.path.length; depth >= 0; depth -= 1) {
    const node: unknown = document.getIn(problem.path.slice(0, depth), true)
    if (isNode(node) && node.range) {
      offset = node.range[0]
      break
    }
  }
  const position = lineCounter.linePos(offset)
  return {
    file,
    line: position.line,
    column: position.col,
    path: formatDocumentPath(problem.path),
    message: problem.message,
  }
}

function sortByPosition(problems: LocatedProblem[]): LocatedProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column)
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) {
      deepFreeze(child)
    }
  }
  return value
}
