/**
 * The one way an instant enters Leadclock (event envelopes, payloads, query parameters): ISO 8601
 * with an offset or epoch milliseconds. Forms that are easy to misread are refused with a hint
 * instead of being guessed: a number that looks like epoch seconds would land in 1970, a time
 * without an offset would depend on the server's zone. Nothing before 1970 is kept, as a number
 * or as text, by the API and the import alike (both read instants only through these schemas).
 */
import { z } from 'zod'

/** Epoch milliseconds below this (1973-03-03) are taken for epoch seconds sent by mistake. */
export const EPOCH_SECONDS_BELOW = 1e11
const LATEST_INSTANT = 8.64e15

export const ACCEPTED_INSTANT_FORMS =
  'ISO 8601 with an offset (2026-03-03T14:00:00Z, 2026-03-03T09:00:00-05:00) or milliseconds since 1970 (1772546400000)'
export const ACCEPTED_DATE_FORMS = `a date (2026-03-31, read as 00:00 UTC) or ${ACCEPTED_INSTANT_FORMS}`

const withOffset = z.iso.datetime({ offset: true })
const withoutOffset = z.iso.datetime({ local: true })
const calendarDate = z.iso.date()

type Refinement = z.core.$RefinementCtx

function refuse(context: Refinement, rule: string, message: string): typeof z.NEVER {
  context.addIssue({ code: 'custom', message, params: { rule } })
  return z.NEVER
}

/**
 * An instant Leadclock keeps: a whole number of milliseconds from 1970 on (before 1970 is refused
 * the same whether it came as a number or as text). `given` is how the caller wrote it.
 */
function keptInstant(instant: number, given: string, context: Refinement): number {
  if (!Number.isInteger(instant) || instant > LATEST_INSTANT) {
    return refuse(context, 'instant', `${given} is not an instant; send ${ACCEPTED_INSTANT_FORMS}`)
  }
  if (instant < 0) {
    return refuse(
      context,
      'instant-before-1970',
      `${given} is before 1970-01-01T00:00:00Z; Leadclock keeps instants from 1970 on`,
    )
  }
  return instant
}

function fromMilliseconds(value: number, context: Refinement): number {
  if (value >= 0 && value < EPOCH_SECONDS_BELOW) {
    return refuse(
      context,
      'instant-epoch-seconds',
      `${value} looks like seconds since 1970; send milliseconds or ISO 8601 with an offset`,
    )
  }
  return keptInstant(value, String(value), context)
}

function fromText(text: string, context: Refinement, dateMeant: boolean): number {
  if (withOffset.safeParse(text).success) {
    return keptInstant(Date.parse(text), `"${text}"`, context)
  }
  if (dateMeant && calendarDate.safeParse(text).success) {
    return keptInstant(Date.parse(`${text}T00:00:00Z`), `"${text}"`, context)
  }
  const accepted = dateMeant ? ACCEPTED_DATE_FORMS : ACCEPTED_INSTANT_FORMS
  if (withoutOffset.safeParse(text).success) {
    return refuse(
      context,
      'instant-offset',
      `"${text}" has no offset, so its zone is unknown; send ${accepted}`,
    )
  }
  return refuse(context, 'instant', `"${text}" is not an instant; send ${accepted}`)
}

function instantOf(dateMeant: boolean, numericText: boolean) {
  return z
    .union([z.number(), z.string()])
    .transform((value, context) =>
      typeof value === 'number'
        ? fromMilliseconds(value, context)
        : numericText && /^\d+$/.test(value)
          ? fromMilliseconds(Number(value), context)
          : fromText(value, context, dateMeant),
    )
    .meta({ description: dateMeant ? ACCEPTED_DATE_FORMS : ACCEPTED_INSTANT_FORMS })
}

/** An instant in a JSON body: epoch milliseconds or ISO 8601 with an offset, as epoch ms. */
export const instantSchema = instantOf(false, false)

/** Where a calendar date is meant (an opportunity's close date): also `YYYY-MM-DD`, as 00:00 UTC. */
export const dateOrInstantSchema = instantOf(true, false)

/**
 * Every date query parameter (`from`, `to`, `due_before`…): the forms of `dateOrInstantSchema`,
 * milliseconds arriving as text.
 */
export const instantQuerySchema = instantOf(true, true)
