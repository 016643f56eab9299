/**
 * Instants as a person reads them: in the lead's own zone beside UTC. One module for the CLI and
 * the API, so both show the same zone and the same wording. Pure.
 */
import { DateTime } from 'luxon'

/** ISO 8601 with the zone's offset, e.g. 2026-03-04T08:30:00.000-05:00. */
export function localIso(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toISO() ?? new Date(instant).toISOString()
}

/** English locales that between them name the zones of the sales regions (EST, BST, CEST, AEDT, IST). */
const ABBREVIATING_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN'] as const

/** The zone's abbreviation in the first locale that has one; else its offset, e.g. GMT+9. */
function zoneAbbreviation(local: DateTime): string {
  const names = ABBREVIATING_LOCALES.map((locale) => local.setLocale(locale).offsetNameShort ?? '')
  return names.find((name) => name !== '' && !/^GMT[+-]/.test(name)) ?? names[0] ?? ''
}

/**
 * e.g. `Wed 4 Mar 08:30 EST (13:30Z)`; the UTC weekday is added when the UTC date differs:
 * `Tue 3 Mar 20:00 EST (Wed 01:00Z)`.
 */
export function readableInstant(instant: number, zone: string): string {
  const local = DateTime.fromMillis(instant, { zone }).setLocale('en-US')
  const utc = DateTime.fromMillis(instant, { zone: 'utc' }).setLocale('en-US')
  const utcText =
    utc.toISODate() === local.toISODate() ? utc.toFormat('HH:mm') : utc.toFormat('ccc HH:mm')
  return `${local.toFormat('ccc d LLL HH:mm')} ${zoneAbbreviation(local)} (${utcText}Z)`
}

/**
 * The shape every instant of the lead view takes in JSON: each top-level `at` or `…At` field that
 * holds epoch ms becomes an ISO 8601 UTC instant, with an `atLocal` / `…AtLocal` sibling in the
 * lead's zone (null stays null on both). Nested objects (event payloads) are left as they are.
 */
export function withLocalInstants(record: object, zone: string): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record) as [string, unknown][]) {
    if ((key === 'at' || key.endsWith('At')) && (typeof value === 'number' || value === null)) {
      result[key] = value === null ? null : new Date(value).toISOString()
      result[`${key}Local`] = value === null ? null : localIso(value, zone)
    } else {
      result[key] = value
    }
  }
  return result
}
