/**
 * Event ids: `evt_` and a ULID, so ids sort by the time this process minted them. The factory is
 * monotonic: ids minted within one millisecond still increase.
 */
import { monotonicFactory } from 'ulid'

const nextUlid = monotonicFactory()

export const EVENT_ID_PATTERN = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/

export function newEventId(): string {
  return `evt_${nextUlid()}`
}
