import { IANAZone } from 'luxon'

const MS_PER_DAY = 86_400_000
const MS_PER_MINUTE = 60_000
const MS_PER_SECOND = 1000
/**
 * Offsets are resolved a week at a time. A zone changing offset twice within one week and back to
 * where it was would go unseen; no zone does (the closest, Ramadan suspensions of daylight saving
 * time, last about a month).
 */
const MS_PER_BLOCK = 7 * MS_PER_DAY

/** A zone's offset over one block of time: `before` until `changeAt`, `after` from it on. */
interface BlockOffsets {
  readonly before: number
  readonly after: number
  /** The first instant of the day with the `after` offset; Infinity when the offset holds. */
  readonly changeAt: number
}

/**
 * A time zone's UTC offsets (minutes east of UTC), resolved one week at a time and kept: one offset
 * lookup per new week (its end is the next week's start), and a search to the second (changes
 * happen on whole seconds) in the few weeks a zone changes offset. Luxon's own local-time
 * resolution asks the Intl API several times per conversion, which made building a calendar's
 * year cost tens of milliseconds.
 */
export class ZoneOffsets {
  readonly #zone: IANAZone
  readonly #blocks = new Map<number, BlockOffsets>()
  /** The offset at each block boundary asked so far: a block's end is the next one's start. */
  readonly #boundaries = new Map<number, number>()

  constructor(timeZone: string) {
    this.#zone = IANAZone.create(timeZone)
  }

  offsetAt(t: number): number {
    const block = Math.floor(t / MS_PER_BLOCK)
    let offsets = this.#blocks.get(block)
    if (offsets === undefined) {
      offsets = this.#resolveBlock(block)
      this.#blocks.set(block, offsets)
    }
    return t < offsets.changeAt ? offsets.before : offsets.after
  }

  /**
   * The instant of a local wall time (`localMs`: the wall time read as if it were UTC). A time the
   * clocks skip (spring forward) moves forward by the gap; a time they show twice (fall back) takes
   * the offset in force after the change, i.e. the later instant. Decided here rather than by
   * Luxon, whose choice for a repeated time depends on the offset at the moment the code runs.
   */
  instantOfLocal(localMs: number): number {
    const offsetBefore = this.offsetAt(localMs - MS_PER_DAY)
    const offsetAfter = this.offsetAt(localMs + MS_PER_DAY)
    const withOffsetBefore = localMs - offsetBefore * MS_PER_MINUTE
    if (offsetBefore === offsetAfter) {
      return withOffsetBefore
    }
    const withOffsetAfter = localMs - offsetAfter * MS_PER_MINUTE
    if (this.offsetAt(withOffsetAfter) === offsetAfter) {
      return withOffsetAfter
    }
    // Either only the earlier offset shows this wall time, or none does (a gap): read with the
    // earlier offset, a skipped time lands the gap's length later.
    return withOffsetBefore
  }

  /** The local wall time of `t`, read as if it were UTC (the inverse of `instantOfLocal`). */
  localOf(t: number): number {
    return t + this.offsetAt(t) * MS_PER_MINUTE
  }

  #resolveBlock(block: number): BlockOffsets {
    const start = block * MS_PER_BLOCK
    const end = start + MS_PER_BLOCK
    const before = this.#offsetAtBoundary(start)
    const after = this.#offsetAtBoundary(end)
    if (before === after) {
      return { before, after, changeAt: Infinity }
    }
    // offset(low) = before, offset(high) = after: halve to the first second of `after`.
    let low = start
    let high = end
    while (high - low > MS_PER_SECOND) {
      const middle = low + Math.floor((high - low) / 2 / MS_PER_SECOND) * MS_PER_SECOND
      if (this.#zone.offset(middle) === before) {
        low = middle
      } else {
        high = middle
      }
    }
    return { before, after, changeAt: high }
  }

  #offsetAtBoundary(boundary: number): number {
    let offset = this.#boundaries.get(boundary)
    if (offset === undefined) {
      offset = this.#zone.offset(boundary)
      this.#boundaries.set(boundary, offset)
    }
    return offset
  }
}

const zoneOffsets = new Map<string, ZoneOffsets>()

/** The offsets of a valid IANA zone, one instance per zone for the process's life. */
export function zoneOffsetsOf(timeZone: string): ZoneOffsets {
  let offsets = zoneOffsets.get(timeZone)
  if (offsets === undefined) {
    offsets = new ZoneOffsets(timeZone)
    zoneOffsets.set(timeZone, offsets)
  }
  return offsets
}
