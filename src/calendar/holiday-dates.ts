import Holidays from 'date-holidays'
import type { CalendarProblem, HolidaySelection } from './calendar-definition.js'
import { parseLocalDate } from './civil-time.js'

const HOLIDAY_TYPES: readonly string[] = ['public', 'bank', 'optional', 'school', 'observance']
const DEFAULT_HOLIDAY_TYPES: readonly string[] = ['public']

let catalogue: Holidays | undefined

/** The date-holidays country/state/region index, loaded on first use. */
function holidayCatalogue(): Holidays {
  catalogue ??= new Holidays()
  return catalogue
}

function listCodes(codes: Record<string, string>): string {
  return Object.keys(codes).join(', ')
}

/** Problems with a holiday selection; paths are relative to the calendar definition. */
export function holidaySelectionProblems(selection: HolidaySelection): CalendarProblem[] {
  const problems: CalendarProblem[] = []
  const { country, state, region } = selection
  const unknownRegion = (field: string, message: string): void => {
    problems.push({ path: ['holidays', field], code: 'CALENDAR.UNKNOWN_HOLIDAY_REGION', message })
  }
  if (!Object.hasOwn(holidayCatalogue().getCountries(), country)) {
    unknownRegion(
      'country',
      `holiday country "${country}" is not supported; use an ISO 3166-1 alpha-2 code known to date-holidays, e.g. "US", "GB" or "DE"`,
    )
  } else if (state !== undefined) {
    const states = holidayCatalogue().getStates(country) as Record<string, string> | undefined
    if (!states) {
      unknownRegion('state', `holiday country "${country}" has no states; omit holidays.state`)
    } else if (!Object.hasOwn(states, state)) {
      unknownRegion(
        'state',
        `holiday state "${state}" is not a state of "${country}"; use one of: ${listCodes(states)}`,
      )
    } else if (region !== undefined) {
      const regions = holidayCatalogue().getRegions(country, state) as
        Record<string, string> | undefined
      if (!regions) {
        unknownRegion(
          'region',
          `holiday state "${country}-${state}" has no regions; omit holidays.region`,
        )
      } else if (!Object.hasOwn(regions, region)) {
        unknownRegion(
          'region',
          `holiday region "${region}" is not a region of "${country}-${state}"; use one of: ${listCodes(regions)}`,
        )
      }
    }
  }
  if (region !== undefined && state === undefined) {
    unknownRegion('region', `holiday region "${region}" needs a state; set holidays.state as well`)
  }
  selection.types?.forEach((type, index) => {
    if (!HOLIDAY_TYPES.includes(type)) {
      problems.push({
        path: ['holidays', 'types', index],
        code: 'CALENDAR.UNKNOWN_HOLIDAY_TYPE',
        message: `holiday type "${type}" is unknown; use ${HOLIDAY_TYPES.join(', ')}`,
      })
    }
  })
  return problems
}

/**
 * Epoch days closed by the selected holidays, per local year. date-holidays lists a holiday under the
 * year of its `date`, including observed days that move into the previous year (2027-12-31 for
 * New Year's Day 2028), so one lookup per year is enough. date-holidays takes tens of
 * milliseconds per year, and calendars often share a selection (every US zone), so results are
 * kept per selection and year for the process's life.
 */
export function holidayDaysByYear(
  selection: HolidaySelection,
): (year: number) => ReadonlySet<number> {
  const types = selection.types ?? DEFAULT_HOLIDAY_TYPES
  const key = JSON.stringify([selection.country, selection.state, selection.region, types])
  let byYear = holidayDaysOfSelections.get(key)
  if (byYear === undefined) {
    const holidays = new Holidays({
      country: selection.country,
      state: selection.state,
      region: selection.region,
    })
    const cache = new Map<number, ReadonlySet<number>>()
    byYear = (year) => {
      let days = cache.get(year)
      if (!days) {
        days = new Set(
          holidays
            .getHolidays(year)
            .filter((holiday) => types.includes(holiday.type))
            .map((holiday) => parseLocalDate(holiday.date.slice(0, 10)))
            .filter((epochDay) => epochDay !== undefined),
        )
        cache.set(year, days)
      }
      return days
    }
    holidayDaysOfSelections.set(key, byYear)
  }
  return byYear
}

const holidayDaysOfSelections = new Map<string, (year: number) => ReadonlySet<number>>()
