/**
 * Text that JSON can carry but the event log cannot store: PostgreSQL's `jsonb` refuses the NUL
 * character (`\u0000`) and lone UTF-16 surrogates (`\ud800` without its pair), and the refusal
 * would fail the whole transaction of the batch the value arrived in. Such values are refused
 * one by one instead, naming the field.
 */
import type { InputProblem } from './event-input.js'

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
 * Every string and key in a parsed JSON value that cannot be stored, by dotted field path, in the
 * order they appear.
 */
export function unstorableTextProblems(value: unknown): InputProblem[] {
  const problems: InputProblem[] = []
  // Iterative (a hostile line may nest thousands of levels deep); children are pushed last
  // first, so that they are visited in document order.
  const pending: { value: unknown; path: string; key?: string }[] = [{ value, path: '' }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.key !== undefined) {
      problems.push(...problemsOfText(next.key, next.path, 'the field name'))
    }
    if (typeof next.value === 'string') {
      problems.push(...problemsOfText(next.value, next.path, 'the value'))
    } else if (typeof next.value === 'object' && next.value !== null) {
      for (const [key, inner] of Object.entries(next.value).reverse()) {
        const path = next.path === '' ? printable(key) : `${next.path}.${printable(key)}`
        pending.push({ value: inner, path, key })
      }
    }
  }
  return problems
}
