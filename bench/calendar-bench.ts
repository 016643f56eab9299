import Holidays from 'date-holidays'
import moment from 'moment-timezone'
import type { Moment, unitOfTime } from 'moment-timezone'
import 'moment-business-time'
import { createBusinessCalendar } from '../src/calendar/index.js'
import type { BusinessCalendar } from '../src/calendar/index.js'
import { newYorkSales } from '../src/calendar/sample-calendars.js'
import type { BenchTarget } from './bench-harness.js'
import {
  formatCount,
  measureOpsPerSecond,
  measurementChecksum,
  seededRandom,
} from './bench-harness.js'

/** The methods moment-business-time adds to moment. */
interface BusinessMoment extends Moment {
  addWorkingTime(amount: number, unit: unitOfTime.Base): BusinessMoment
  workingDiff(other: Moment, unit: unitOfTime.Base, precise: boolean): number
}

const SEED = 0x5eed
const INPUT_COUNT = 200_000
/** moment-business-time takes about a millisecond per operation, so it runs on a subset. */
const PEER_INPUT_COUNT = 2_000
const REPETITIONS = 5
const MIN_OPS_PER_SECOND = 2_000_000
const MIN_SPEEDUP = 20
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const ZONE = newYorkSales.timeZone
const FIRST = Date.parse('2025-01-01T00:00:00-05:00')
const LAST = Date.parse('2029-01-01T00:00:00-05:00')

interface Inputs {
  starts: Float64Array
  durations: Float64Array
  ends: Float64Array
}

/**
 * Instants over 2025–2028, durations to add up to 5 business days, spans up to 7 days. Three in
 * four are minute-aligned; one in four uses whole hours, as SLAs are usually written, which makes
 * budgets that run out exactly at closing time common.
 */
function generateInputs(): Inputs {
  const random = seededRandom(SEED)
  const starts = new Float64Array(INPUT_COUNT)
  const durations = new Float64Array(INPUT_COUNT)
  const ends = new Float64Array(INPUT_COUNT)
  for (let i = 0; i < INPUT_COUNT; i++) {
    const step = i % 4 === 0 ? HOUR : MINUTE
    const start = FIRST + Math.floor((random() * (LAST - FIRST)) / step) * step
    starts[i] = start
    durations[i] = step * (1 + Math.floor((random() * 50 * HOUR) / step))
    ends[i] = start + Math.floor((random() * 7 * 24 * HOUR) / step) * step
  }
  return { starts, durations, ends }
}

/** moment-business-time configured as the same calendar: same hours, same US public holidays. */
function configurePeer(): void {
  const open = ['08:00:00', '18:00:00']
  const holidays = new Holidays('US')
  const holidayDates = [2024, 2025, 2026, 2027, 2028, 2029].flatMap((year) =>
    holidays
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      .map((holiday) => holiday.date.slice(0, 10)),
  )
  moment.updateLocale('en', {
    workinghours: { 0: null, 1: open, 2: open, 3: open, 4: open, 5: open, 6: null },
    holidays: holidayDates,
  })
}

const peerMoment = (t: number): BusinessMoment => moment.tz(t, ZONE) as BusinessMoment
const peerAdd = (t: number, ms: number): number =>
  peerMoment(t)
    .addWorkingTime(ms / MINUTE, 'minutes')
    .valueOf()
const peerElapsed = (from: number, to: number): number =>
  Math.round(peerMoment(to).workingDiff(peerMoment(from), 'minutes', true)) * MINUTE

interface Agreement {
  compared: number
  equal: number
  /** Budget used up exactly at closing: the peer returns the closing, leadclock the next opening. */
  closingConvention: number
  mismatches: string[]
}

function compareAdd(calendar: BusinessCalendar, inputs: Inputs): Agreement {
  const agreement: Agreement = { compared: 0, equal: 0, closingConvention: 0, mismatches: [] }
  for (let i = 0; i < PEER_INPUT_COUNT; i++) {
    const start = inputs.starts[i] ?? 0
    const duration = inputs.durations[i] ?? 0
    const ours = calendar.add(start, duration)
    const peer = peerAdd(start, duration)
    agreement.compared++
    if (ours === peer) {
      agreement.equal++
    } else if (!calendar.isOpen(peer) && calendar.nextOpening(peer) === ours) {
      agreement.closingConvention++
    } else {
      agreement.mismatches.push(
        `add(${new Date(start).toISOString()}, ${duration / MINUTE} min): leadclock ${new Date(ours).toISOString()}, peer ${new Date(peer).toISOString()}`,
      )
    }
  }
  return agreement
}

function compareElapsed(calendar: BusinessCalendar, inputs: Inputs): Agreement {
  const agreement: Agreement = { compared: 0, equal: 0, closingConvention: 0, mismatches: [] }
  for (let i = 0; i < PEER_INPUT_COUNT; i++) {
    const from = inputs.starts[i] ?? 0
    const to = inputs.ends[i] ?? 0
    const ours = calendar.elapsed(from, to)
    const peer = peerElapsed(from, to)
    agreement.compared++
    if (ours === peer) {
      agreement.equal++
    } else {
      agreement.mismatches.push(
        `elapsed(${new Date(from).toISOString()}, ${new Date(to).toISOString()}): leadclock ${ours / MINUTE} min, peer ${peer / MINUTE} min`,
      )
    }
  }
  return agreement
}

interface Throughput {
  operation: string
  ours: number
  peer: number
}

function measureThroughput(calendar: BusinessCalendar, inputs: Inputs): Throughput[] {
  const { starts, durations, ends } = inputs
  const addPass = (count: number, add: (t: number, ms: number) => number) => (): number => {
    let sum = 0
    for (let i = 0; i < count; i++) {
      sum += add(starts[i] ?? 0, durations[i] ?? 0) - (starts[i] ?? 0)
    }
    return sum
  }
  const elapsedPass =
    (count: number, elapsed: (from: number, to: number) => number) => (): number => {
      let sum = 0
      for (let i = 0; i < count; i++) {
        sum += elapsed(starts[i] ?? 0, ends[i] ?? 0)
      }
      return sum
    }
  return [
    {
      operation: 'add',
      ours: measureOpsPerSecond(
        INPUT_COUNT,
        addPass(INPUT_COUNT, (t, ms) => calendar.add(t, ms)),
        REPETITIONS,
      ),
      peer: measureOpsPerSecond(PEER_INPUT_COUNT, addPass(PEER_INPUT_COUNT, peerAdd), 1),
    },
    {
      operation: 'elapsed',
      ours: measureOpsPerSecond(
        INPUT_COUNT,
        elapsedPass(INPUT_COUNT, (from, to) => calendar.elapsed(from, to)),
        REPETITIONS,
      ),
      peer: measureOpsPerSecond(PEER_INPUT_COUNT, elapsedPass(PEER_INPUT_COUNT, peerElapsed), 1),
    },
  ]
}

function printAgreement(operation: string, agreement: Agreement): void {
  const convention =
    agreement.closingConvention > 0
      ? `, ${agreement.closingConvention} differ only by convention (budget used up exactly at closing: peer gives the closing instant, leadclock the next opening)`
      : ''
  console.log(
    `  ${operation}: ${agreement.compared} compared, ${agreement.equal} equal${convention}, ${agreement.mismatches.length} mismatches`,
  )
  for (const mismatch of agreement.mismatches.slice(0, 10)) {
    console.log(`    ${mismatch}`)
  }
}

export async function runBench(): Promise<BenchTarget[]> {
  configurePeer()
  const calendar = createBusinessCalendar(newYorkSales)
  const inputs = generateInputs()
  console.log(
    `Calendar: ${ZONE} Mon–Fri 08:00–18:00, US public holidays; ${formatCount(INPUT_COUNT)} seeded inputs over 2025–2028 (moment-business-time on the first ${formatCount(PEER_INPUT_COUNT)}); single thread, median of ${REPETITIONS} passes`,
  )
  const throughput = measureThroughput(calendar, inputs)
  console.log('')
  console.log('  operation   leadclock ops/s   moment-business-time ops/s     ratio')
  for (const { operation, ours, peer } of throughput) {
    console.log(
      `  ${operation.padEnd(9)} ${formatCount(ours).padStart(17)} ${formatCount(peer).padStart(28)} ${`${formatCount(ours / peer)}x`.padStart(9)}`,
    )
  }
  console.log('')
  console.log('Agreement with moment-business-time (minute-aligned inputs, minute resolution):')
  const addAgreement = compareAdd(calendar, inputs)
  const elapsedAgreement = compareElapsed(calendar, inputs)
  printAgreement('add', addAgreement)
  printAgreement('elapsed', elapsedAgreement)
  console.log(`  (checksum ${measurementChecksum()})`)
  await Promise.resolve()
  return [
    ...throughput.flatMap(({ operation, ours, peer }) => [
      {
        name: `${operation} >= ${formatCount(MIN_OPS_PER_SECOND)} ops/s`,
        passed: ours >= MIN_OPS_PER_SECOND,
      },
      {
        name: `${operation} >= ${MIN_SPEEDUP}x moment-business-time`,
        passed: ours >= MIN_SPEEDUP * peer,
      },
    ]),
    { name: 'add agrees with moment-business-time', passed: addAgreement.mismatches.length === 0 },
    {
      name: 'elapsed agrees with moment-business-time',
      passed: elapsedAgreement.mismatches.length === 0,
    },
  ]
}
