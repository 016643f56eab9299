/**
 * JSON that can be parsed but not kept. PostgreSQL refuses the NUL character (`\u0000`) in text
 * and `jsonb`, and lone UTF-16 surrogates (`\ud800` without its pair) are not text at all; either
 * would fail the whole transaction of the batch it arrived in. Values nested deeper than
 * MAX_NESTING_DEPTH are refused too: no event or roster needs more, and every level costs a stack
 * frame wherever the value is written out again (JSON.stringify, PostgreSQL's jsonb input). Such
 * values are refused one by one instead, naming the field — by the import and by the HTTP API
 * alike.
 */
import type { InputProblem } from './event-input.js'

/** Objects and arrays inside each other, counting the outermost. */
export const MAX_NESTING_DEPTH = 32

const NUL = '\u0000'
/** A surrogate code unit that is not half of a pair (with `u`, a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u

function problemsOfText(text: string, field: string, what: string): InputProblem[] {
  const problems: InputProblem[] = []
  if (text.includes(NUL)) {
    problems.push({
      field,
      rule: 'nul-character',
      message: `${what} contains a NUL character (U+0000), which cannot be stored`,
    })
  }
  if (LONE_SURROGATE.test(text)) {
    problems.push({
      field,
      rule: 'lone-surrogate',
      message: `${what} contains a lone UTF-16 surrogate (half of a character), which is not text`,
    })
  }
  return problems
}

/** A field name as it can be printed: control characters and lone surrogates as `\u` escapes. */
function printable(key: string): string {
  return key.replace(
    /[\p{Cc}\p{Cs}]/gu,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/**
 * Every string and key in a parsed JSON value that cannot be stored, and every object or array
 * nested too deep, by dotted field path (under `at`, if given), in the order they appear.
 */
export function unstorableJsonProblems(value: unknown, at = ''): InputProblem[] {
  const problems: InputProblem[] = []
  // Iterative (a hostile value may nest thousands of levels deep); children are pushed last
  // first, so that they are visited in document order.
  const pending: { value: unknown; path: string; depth: number; key?: string }[] = [
    { value, path: at, depth: 0 },
  ]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.key !== undefined) {
      problems.push(...problemsOfText(next.key, next.path, 'the field name'))
    }
    if (typeof next.value === 'string') {
      problems.push(...problemsOfText(next.value, next.path, 'the value'))
    } else if (typeof next.value === 'object' && next.value !== null) {
      const depth = next.depth + 1
      if (depth > MAX_NESTING_DEPTH) {
        problems.push({
          field: next.path,
          rule: 'max-depth',
          message: `objects and arrays are nested more than ${MAX_NESTING_DEPTH} levels deep here`,
        })
        continue
      }
      for (const [key, inner] of Object.entries(next.value).reverse()) {
        const path = next.path === '' ? printable(key) : `${next.path}.${printable(key)}`
        pending.push({ value: inner, path, depth, key })
      }
    }
  }
  return problems
}
