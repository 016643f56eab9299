import { describe, expect, it } from 'vitest'

import { describeError } from './describe-error.js'

/** A system error as Node's `net` raises it. */
const refused = (address: string, port: number) =>
  Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
    address,
    port,
  })

describe('describeError', () => {
  it('follows the cause chain, system errors in words', () => {
    const error = new Error('cannot connect to PostgreSQL at 127.0.0.1:5432', {
      cause: refused('127.0.0.1', 5432),
    })
    expect(describeError(error)).toBe(
      'cannot connect to PostgreSQL at 127.0.0.1:5432: connection refused',
    )
  })

  it('names the place of a system error that the text before does not', () => {
    const error = new Error('cannot connect to PostgreSQL at localhost:5432', {
      cause: refused('::1', 5432),
    })
    expect(describeError(error)).toBe(
      'cannot connect to PostgreSQL at localhost:5432: connection refused (::1:5432)',
    )
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open 'x.yaml'"), {
      code: 'ENOENT',
      path: 'x.yaml',
    })
    expect(describeError(missing)).toBe('no such file or directory (x.yaml)')
  })

  it('does not repeat a cause that its wrapper already quotes', () => {
    const cause = new Error('the roster is invalid')
    expect(describeError(new Error(`roster.yaml: ${cause.message}`, { cause }))).toBe(
      'roster.yaml: the roster is invalid',
    )
  })

  it('adds the detail and hint of a PostgreSQL error', () => {
    const error = Object.assign(new Error('relation "leads" does not exist'), {
      code: '42P01',
      detail: 'while migrating',
      hint: 'run the migrations',
    })
    expect(describeError(new Error('database migration 0004 failed', { cause: error }))).toBe(
      'database migration 0004 failed: relation "leads" does not exist (while migrating); hint: run the migrations',
    )
  })

  it('describes what is not an Error as it is, never as [object Object]', () => {
    expect(describeError({ status: 7, reason: 'exit' })).toBe("{ status: 7, reason: 'exit' }")
    expect(describeError('plain words')).toBe('plain words')
    expect(describeError(undefined)).toBe('undefined')
    expect(describeError(new Error('wrapped', { cause: { errno: 3 } }))).toBe(
      'wrapped: { errno: 3 }',
    )
  })

  it('an AggregateError without a message lists its errors; an empty message gives the name', () => {
    expect(describeError(new AggregateError([refused('::1', 1), new Error('second')], ''))).toBe(
      'connection refused (::1:1); second',
    )
    expect(describeError(new TypeError(''))).toBe('TypeError')
  })

  it('stops at a cause chain that loops', () => {
    const first = new Error('first')
    const second = new Error('second', { cause: first })
    first.cause = second
    expect(describeError(first)).toBe('first: second')
  })
})
