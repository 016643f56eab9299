/** The moments SLA clocks start, stop and restart on; named in the policy (`clock.startsOn`…). */
import type { CLOCK_EVENTS } from '../policy/policy-schema.js'

export type ClockEventName = (typeof CLOCK_EVENTS)[number]
