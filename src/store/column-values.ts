/**
 * Checks and conversions at the edge between JavaScript values and columns. Every bigint column
 * becomes a `number` here (and only here); a value that cannot be one exactly is an error, never
 * a silent rounding.
 */
import type { Int8Value } from './database-schema.js'
import { StoreError } from './store-error.js'

/** A bigint column as a number, whichever form the driver returned it in. */
export function int8ToNumber(value: Int8Value, column: string): number {
  let result: number
  if (typeof value === 'number') {
    result = value
  } else if (typeof value === 'bigint') {
    result = Number(value)
  } else if (/^-?\d+$/.test(value)) {
    result = Number(value)
  } else {
    throw new StoreError(`${column}: expected an integer from the database, got "${value}"`)
  }
  if (!Number.isSafeInteger(result)) {
    throw new StoreError(`${column}: ${String(value)} is not a safe integer`)
  }
  return result
}

/** A number bound for a bigint or integer column: it must be an exact integer. */
export function checkInteger(value: number, field: string, min = Number.MIN_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min) {
    const bound = min === Number.MIN_SAFE_INTEGER ? '' : ` ≥ ${min}`
    throw new StoreError(`${field}: expected an integer${bound}, got ${value}`)
  }
  return value
}

const MAX_INT4 = 2_147_483_647

export function checkInt4(value: number, field: string, min = -MAX_INT4 - 1): number {
  checkInteger(value, field, min)
  if (value > MAX_INT4) {
    throw new StoreError(`${field}: ${value} does not fit a 32-bit integer column`)
  }
  return value
}

export function checkText(value: string, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new StoreError(`${field}: expected a non-empty string`)
  }
  return value
}

export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON text for a jsonb column; the value must be a JSON object. */
export function jsonObjectText(value: unknown, field: string): string {
  if (!isJsonObject(value)) {
    throw new StoreError(`${field}: expected a JSON object`)
  }
  return JSON.stringify(value)
}

/** A jsonb column that must hold an object. */
export function jsonObjectColumn(
  value: unknown,
  column: string,
): Readonly<Record<string, unknown>> {
  if (!isJsonObject(value)) {
    throw new StoreError(`${column}: expected a JSON object from the database`)
  }
  return value
}

/** A jsonb column that must hold an array of strings. */
export function stringArrayColumn(value: unknown, column: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new StoreError(`${column}: expected a JSON array of strings from the database`)
  }
  return value
}

/**
 * Bind parameters one statement may carry on both stores. PostgreSQL takes 65,535, but PGlite's
 * client reads the count as a signed 16-bit number: past 32,767 it throws (`Invalid array length`)
 * instead of running the statement.
 */
export const MAX_BIND_PARAMETERS = 32_767

/** Rows of `columns` bound parameters each that fit in one statement on both stores. */
export function rowsPerStatement(columns: number): number {
  return Math.floor(MAX_BIND_PARAMETERS / columns)
}
