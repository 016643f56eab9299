/**
 * The life of one sample lead: marketing's intake (intent, enrichment), routing, the SDR's first
 * response and cadence, the SAL decision, qualification and the SQL, the AE's acceptance, the
 * opportunity. Only events the lifecycle engine accepts in the state the lead is in: intake is
 * replayed through the engine to learn when (and whether) the lead became an MQL, and every later
 * step follows the gates (SAL from MQL, SQL from SAL with meeting + qualification + MEDDPIC, AE
 * acceptance with the briefing read, opportunity after acceptance).
 */
import type { BusinessCalendar } from '../calendar/index.js'
import { applyLeadEvent } from '../domain/lifecycle/engine.js'
import type { LeadEventPayload, LeadProfile } from '../domain/lead-events.js'
import type { LeadState } from '../domain/lead-state.js'
import type { Policy } from '../policy/policy-schema.js'
import type { LeadStory, PlannedEvent } from './lead-story.js'
import type { CalendarLookup } from './prospect-calendar.js'
import type { Random } from './random.js'
import type { LeadDraft, Prospect } from './sample-leads.js'
import { asciiSlug } from './sample-profiles.js'
import type { SamplePerson, SampleRegion } from './sample-team.js'
import { SAMPLE_TEAM } from './sample-team.js'
import {
  CLOSED_LOST_REASONS,
  CLOSED_WON_REASONS,
  MEDDPIC_NOTES,
  NOTES_FOR_AE,
  PAIN_STATEMENTS,
  SAL_REJECTION_NOTES,
  TIMELINES,
} from './sample-text.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export interface LifecycleContext {
  readonly policy: Policy
  /** The 'now' of the sample. */
  readonly end: number
  readonly calendars: CalendarLookup
  /** Round robin over the people of a role in a region. */
  nextOwner(role: 'sdr' | 'ae', region: SampleRegion): SamplePerson
}

type ActivityPayload = LeadEventPayload<'activity.logged'>
type Outcome = NonNullable<ActivityPayload['outcome']>

/** How often each SAL rejection effect is chosen (codes picked through their effect). */
const SAL_REJECTION_WEIGHTS: Readonly<Record<string, number>> = {
  'suppress-company': 30,
  'do-not-route': 22,
  'data-cleanup': 16,
  'route-to-territory': 9,
  'suppress-contact': 7,
  'route-to-account-team': 6,
  'suppress-domain-permanently': 2,
}
const AE_REJECTION_WEIGHTS: Readonly<Record<string, number>> = {
  'return-to-sal': 35,
  'long-term-nurture': 20,
  're-engage-contact': 20,
  reschedule: 15,
  'revops-arbitration': 10,
}

/** Share of human activities logged well after they happened. */
const LATE_LOGGING_SHARE = 0.07
/** First touches mostly come from the dialer or the email tool, logged as they happen. */
const FIRST_TOUCH_LATE_SHARE = 0.03

export class LeadLife {
  private readonly calendar: BusinessCalendar
  private readonly profile: LeadProfile

  constructor(
    private readonly context: LifecycleContext,
    private readonly draft: LeadDraft,
    private readonly prospect: Prospect,
    private readonly story: LeadStory,
    private readonly random: Random,
  ) {
    this.profile = { ...prospect.created, ...prospect.enrichment }
    this.calendar = context.calendars.forProspect(prospect.created)
  }

  live(): void {
    const intake = this.intake()
    if (intake.mqlAt === null) {
      this.reviewIfQueued(intake.state, intake.lastAt)
      return
    }
    if (intake.mqlAt <= this.context.end) {
      this.sdrResponse(intake.state, intake.mqlAt)
    }
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────

  private get policy(): Policy {
    return this.context.policy
  }

  private between(min: number, max: number): number {
    return this.random.between(min, max)
  }

  /** `ms` of the prospect's business time after t. */
  private businessAfter(t: number, ms: number, calendar = this.calendar): number {
    return calendar.add(t, Math.round(ms))
  }

  private businessDays(days: number, calendar = this.calendar): number {
    return days * calendar.businessDayMs
  }

  private activity(
    at: number,
    actor: SamplePerson,
    activityType: ActivityPayload['activityType'],
    outcome?: Outcome,
    options: { automated?: boolean; onTime?: boolean; lateShare?: number } = {},
  ): number {
    const late =
      !options.automated &&
      !options.onTime &&
      this.random.chance(options.lateShare ?? LATE_LOGGING_SHARE)
    return this.story.add(
      'activity.logged',
      at,
      {
        activityType,
        ...(outcome === undefined ? {} : { outcome }),
        ...(options.automated ? { automated: true } : {}),
      },
      actor,
      late ? this.between(35 * MINUTE, 6 * HOUR) : 0,
    )
  }

  private hasScenario(id: string): boolean {
    return this.policy.recycling.scenarios.some((scenario) => scenario.id === id)
  }

  private codes(taxonomyId: string): readonly { code: string; effect: string; reason: string }[] {
    return this.policy.reasonTaxonomies[taxonomyId]?.codes ?? []
  }

  private codeWithEffect(taxonomyId: string, effect: string): string | undefined {
    return this.codes(taxonomyId).find((code) => code.effect === effect)?.code
  }

  private tierActions(rank: number): readonly string[] {
    return Object.values(this.policy.intentTiers)[rank]?.actions ?? []
  }

  private person(role: SamplePerson['role']): SamplePerson | undefined {
    return SAMPLE_TEAM.find((member) => member.role === role)
  }

  // ── intake ─────────────────────────────────────────────────────────────────────────────────

  private intake(): { state: LeadState | undefined; mqlAt: number | null; lastAt: number } {
    const { draft, prospect, story, random } = this
    const t0 = draft.createdAt
    story.add('lead.created', t0, { profile: prospect.created, source: draft.source.id })
    if (prospect.duplicateOf !== undefined) {
      story.add('lead.matched', t0 + SECOND, { duplicateOfLeadId: prospect.duplicateOf })
    }
    const firstAction = random.weighted(draft.source.firstActions)
    if (firstAction !== null) {
      story.add('intent.recorded', t0 + 2 * SECOND, { action: firstAction })
    }
    const enrichmentDelay = random.weighted([
      [() => this.between(30 * SECOND, 6 * MINUTE), 85],
      [() => this.between(6 * MINUTE, 30 * MINUTE), 10],
      [() => this.between(40 * MINUTE, 8 * HOUR), 5],
    ] as const)()
    story.add('lead.enriched', t0 + enrichmentDelay, { profile: prospect.enrichment })
    const ownerId = prospect.created.accountOwnerId
    const owner = SAMPLE_TEAM.find((member) => member.id === ownerId)
    if (owner && random.chance(0.7)) {
      story.add(
        'owner.assigned',
        t0 + this.between(2 * MINUTE, 40 * MINUTE),
        { ownerId: owner.id, reason: 'existing account: routed to the account owner' },
        null,
      )
    }
    if (firstAction === null || !this.tierActions(0).includes(firstAction)) {
      this.laterEngagement(t0, firstAction)
    }

    // Replay through the engine: when did it become an MQL? Engagement after that is not modelled.
    let state: LeadState | undefined
    let mqlAt: number | null = null
    let lastAt = t0
    const dropped: PlannedEvent[] = []
    for (const { planned, event } of story.ordered()) {
      if (mqlAt !== null && planned.type === 'intent.recorded') {
        dropped.push(planned)
        continue
      }
      state = applyLeadEvent(state, event, this.policy).state
      lastAt = event.occurredAt
      if (mqlAt === null && state?.stage === 'mql') {
        mqlAt = event.occurredAt
      }
    }
    story.drop(dropped)
    return { state, mqlAt, lastAt }
  }

  /** Often in the prospect's working hours, sometimes evenings. */
  private engagementMoment(t: number): number {
    return this.random.chance(0.75)
      ? this.businessAfter(t, this.between(0, 0.95 * this.calendar.businessDayMs))
      : t
  }

  /** What a lead that arrived without a hand-raise does next. */
  private laterEngagement(t0: number, firstAction: string | null): void {
    const { random, story } = this
    const tier1 = this.tierActions(0)
    const tier2 = this.tierActions(1)
    const tier3 = this.tierActions(2)
    let t = t0
    const next = (medianDays: number): number => {
      t = this.engagementMoment(t + random.logNormal(medianDays * DAY, 0.8))
      return t
    }
    const path = random.weighted([
      ['hand-raise', 66],
      ['research', 24],
      ['browse', 10],
    ] as const)
    if (path === 'hand-raise' && tier1.length > 0) {
      const warmups = random.int(0, 2)
      for (let i = 0; i < warmups; i++) {
        story.add('intent.recorded', next(2), {
          action: random.pick([...tier2, ...tier3, 'product-pages-multiple']),
        })
      }
      story.add('intent.recorded', next(4), {
        action: random.weighted([
          [tier1[0] ?? 'demo-request', 40],
          [tier1[2] ?? 'pricing-form', 30],
          [tier1[3] ?? 'contact-sales', 15],
          [tier1[1] ?? 'free-trial', 15],
        ]),
      })
      return
    }
    if (path === 'research' && tier2.length > 0) {
      const have = firstAction !== null && tier2.includes(firstAction) ? 1 : 0
      const count = 3 - have + (random.chance(0.3) ? 1 : 0)
      let last = firstAction
      for (let i = 0; i < count; i++) {
        const options = tier2.filter((action) => action !== last)
        last = random.pick(options.length > 0 ? options : tier2)
        story.add('intent.recorded', next(3), { action: last })
      }
      return
    }
    const browsing = [...tier3, 'product-pages-multiple']
    const count = random.int(1, 3)
    for (let i = 0; i < count; i++) {
      story.add('intent.recorded', next(5), { action: random.pick(browsing) })
    }
    if (random.chance(0.08)) {
      story.add('intent.recorded', next(6), { action: 'email-unsubscribe' })
    }
  }

  /** Scores of 40–59 wait in the manager review queue; a manager keeps some in nurture. */
  private reviewIfQueued(state: LeadState | undefined, lastAt: number): void {
    const manager = this.person('sdr-manager')
    const waiting = state?.stage === 'inquiry' && state.queues.includes('manager-review')
    if (!waiting || !manager || !this.random.chance(0.55)) {
      return
    }
    this.story.add(
      'review.decided',
      this.businessAfter(lastAt, this.between(HOUR, 16 * HOUR)),
      { decision: 'keep-in-nurture' },
      manager,
    )
  }

  // ── SDR: routing, first response, SAL decision ─────────────────────────────────────────────

  private tierRank(state: LeadState | undefined): number {
    const tiers = Object.keys(this.policy.intentTiers)
    const rank = tiers.indexOf(state?.tier ?? '')
    return rank === -1 ? tiers.length - 1 : rank
  }

  /** Business ms from Marketing's handoff to the SDR's first attempt; null: never touched. */
  private firstTouchDelay(rank: number): number | null {
    const minutes = (from: number, to: number) => () => this.between(from * MINUTE, to * MINUTE)
    const hours = (from: number, to: number) => () => this.between(from * HOUR, to * HOUR)
    const days = (from: number, to: number) => () =>
      this.between(this.businessDays(from), this.businessDays(to))
    const never = () => null
    const table =
      rank === 0
        ? ([
            [minutes(0.3, 4.5), 76],
            [minutes(5, 30), 10],
            [minutes(30, 120), 6],
            [hours(2, 24), 4],
            [days(1, 3), 2],
            [never, 2],
          ] as const)
        : rank === 1
          ? ([
              [minutes(3, 118), 72],
              [hours(2, 4), 14],
              [hours(4, 24), 9],
              [days(1, 3), 3],
              [never, 2],
            ] as const)
          : ([
              [hours(0.2, 23.5), 78],
              [hours(24, 48), 12],
              [days(2, 5), 7],
              [never, 3],
            ] as const)
    return this.random.weighted<() => number | null>(table)()
  }

  private firstTouch(at: number, sdr: SamplePerson): number {
    const channel = this.random.weighted([
      ['call', 78],
      ['email', 16],
      ['linkedin', 6],
    ] as const)
    if (channel === 'call') {
      const outcome = this.random.weighted<Outcome>([
        ['no-answer', 50],
        ['voicemail', 35],
        ['connected', 15],
      ])
      return this.activity(at, sdr, 'call', outcome, { lateShare: FIRST_TOUCH_LATE_SHARE })
    }
    return this.activity(at, sdr, channel, 'sent', { lateShare: FIRST_TOUCH_LATE_SHARE })
  }

  private sdrResponse(state: LeadState | undefined, mqlAt: number): void {
    const { random, story, prospect } = this
    const sdr = this.context.nextOwner('sdr', prospect.region)
    const routingDelay = random.weighted([
      [() => this.between(20 * SECOND, 4 * MINUTE), 80],
      [() => this.between(4 * MINUTE, 15 * MINUTE), 12],
      [() => this.between(15 * MINUTE, 60 * MINUTE), 6],
      [() => this.between(1 * HOUR, 6 * HOUR), 2],
    ] as const)()
    const routedAt = story.add(
      'owner.assigned',
      mqlAt + routingDelay,
      { ownerId: sdr.id, reason: `round robin: ${prospect.region.toUpperCase()} SDR pool` },
      null,
    )
    // Bilateral start: the SDR works the lead once Marketing's half is done.
    const handoffAt = Math.max(routedAt, state?.enrichedAt ?? routedAt)
    const rank = this.tierRank(state)
    const delay = this.firstTouchDelay(rank)
    let firstTouchAt: number | null = null
    if (delay !== null) {
      const eager = rank === 0 && !this.calendar.isOpen(handoffAt) && random.chance(0.12)
      firstTouchAt = eager
        ? handoffAt + this.between(3 * MINUTE, 25 * MINUTE)
        : this.businessAfter(handoffAt, delay) + this.between(0, 20 * SECOND)
    }
    // Some SDRs enrol first and call later: enrolment does not count as a response.
    let enrolled = false
    const enrolAt = routedAt + this.between(MINUTE, 10 * MINUTE)
    if (random.chance(0.15) && (firstTouchAt === null || enrolAt < firstTouchAt)) {
      this.activity(enrolAt, sdr, 'sequence-enrolment', undefined, { automated: true })
      enrolled = true
    }

    let decision = prospect.phoneInvalid && random.chance(0.85) ? 'reject-bad-data' : undefined
    decision ??= random.weighted([
      ['accept', 74],
      ['reject', 19],
      ['pending', 7],
    ] as const)
    if (firstTouchAt === null && decision === 'accept') {
      decision = random.chance(0.4) ? 'reject' : 'pending'
    }

    if (decision === 'pending') {
      if (firstTouchAt !== null) {
        const touched = this.firstTouch(firstTouchAt, sdr)
        if (random.chance(0.5)) {
          this.activity(this.businessAfter(touched, this.businessDays(1)), sdr, 'email', 'sent')
        }
      }
      return
    }
    if (decision === 'reject' || decision === 'reject-bad-data') {
      this.rejectSal(sdr, handoffAt, firstTouchAt, decision === 'reject-bad-data')
      return
    }
    if (firstTouchAt === null) {
      return
    }
    const touchedAt = this.firstTouch(firstTouchAt, sdr)
    const salAt = random.chance(0.88)
      ? touchedAt + this.between(MINUTE, 12 * MINUTE)
      : this.businessAfter(touchedAt, this.between(15 * MINUTE, 4 * HOUR))
    const acceptedAt = story.add('sal.accepted', salAt, {}, sdr)
    if (!enrolled && random.chance(0.6)) {
      this.activity(
        acceptedAt + this.between(MINUTE, 8 * MINUTE),
        sdr,
        'sequence-enrolment',
        undefined,
        {
          automated: true,
        },
      )
    }
    this.cadence(sdr, state, touchedAt, acceptedAt + 10 * MINUTE)
  }

  private rejectSal(
    sdr: SamplePerson,
    handoffAt: number,
    firstTouchAt: number | null,
    badData: boolean,
  ): void {
    const { random } = this
    const taxonomy = this.policy.rejection.sal
    const codes = this.codes(taxonomy)
    const code =
      (badData ? this.codeWithEffect(taxonomy, 'data-cleanup') : undefined) ??
      (codes.length > 0
        ? random.weighted(codes.map((c) => [c, SAL_REJECTION_WEIGHTS[c.effect] ?? 4] as const)).code
        : undefined)
    if (code === undefined) {
      return
    }
    const effect = codes.find((c) => c.code === code)?.effect ?? ''
    let rejectAt = random.chance(0.85)
      ? this.businessAfter(handoffAt, this.between(10 * MINUTE, 3.5 * HOUR))
      : this.businessAfter(handoffAt, this.between(4 * HOUR, 30 * HOUR))
    if (firstTouchAt !== null && random.chance(0.6)) {
      const touchedAt = this.firstTouch(firstTouchAt, sdr)
      rejectAt = Math.max(rejectAt, touchedAt + this.between(2 * MINUTE, 30 * MINUTE))
    }
    const notes = SAL_REJECTION_NOTES[effect]
    this.story.add(
      'sal.rejected',
      rejectAt,
      { reasonCode: code, ...(notes ? { note: random.pick(notes) } : {}) },
      sdr,
    )
  }

  // ── SAL: the cadence and its outcome ──────────────────────────────────────────────────────

  private touchPlan(tier: string): { day: number; channel: string }[] {
    const plan = this.policy.touchPlan
      .filter((touch) => touch.tiers.includes(tier))
      .sort((a, b) => a.touch - b.touch)
    return plan.length > 0
      ? plan
      : [
          { day: 1, channel: 'phone' },
          { day: 3, channel: 'email' },
          { day: 5, channel: 'phone' },
          { day: 8, channel: 'email' },
        ]
  }

  private touch(at: number, sdr: SamplePerson, channel: string): number {
    if (channel === 'phone') {
      const outcome = this.random.weighted<Outcome>([
        ['no-answer', 60],
        ['voicemail', 40],
      ])
      return this.activity(at, sdr, 'call', outcome)
    }
    return this.activity(at, sdr, channel === 'linkedin' ? 'linkedin' : 'email', 'sent')
  }

  private cadence(
    sdr: SamplePerson,
    state: LeadState | undefined,
    firstTouchAt: number,
    notBefore: number,
  ): void {
    const { random, story } = this
    const tier = state?.tier ?? Object.keys(this.policy.intentTiers).at(-1) ?? ''
    const rest = this.touchPlan(tier).slice(1)
    const weights = {
      sql: 25,
      'cadence-exhausted': this.hasScenario('cadence-exhausted') ? 45 : 0,
      'not-ready': this.hasScenario('not-ready') ? 7 : 0,
      disqualified: 8,
      stalled: 9,
    }
    const outcome = random.weighted(Object.entries(weights) as [keyof typeof weights, number][])
    const connects = outcome === 'sql' || outcome === 'not-ready' || outcome === 'disqualified'
    const connectIndex = connects ? random.int(0, Math.max(0, Math.min(3, rest.length - 1))) : -1
    const stopIndex =
      outcome === 'stalled' ? random.int(1, Math.max(1, Math.min(3, rest.length))) : rest.length

    let previous = notBefore
    let lastTouch = firstTouchAt
    let connectedAt: number | null = null
    for (let index = 0; index < rest.length && index < stopIndex; index++) {
      const step = rest[index]
      if (!step) {
        break
      }
      const planned =
        step.day <= 1
          ? previous + this.between(3 * MINUTE, 40 * MINUTE)
          : this.businessAfter(
              firstTouchAt,
              this.businessDays(step.day - 1) + this.between(0, 3 * HOUR),
            )
      const at = Math.max(planned, previous + 5 * MINUTE)
      previous = at
      if (index === connectIndex) {
        connectedAt = this.connect(at, sdr, step.channel)
        break
      }
      if (random.chance(0.08)) {
        continue // a skipped touch
      }
      lastTouch = this.touch(at, sdr, step.channel)
    }
    if (connects && connectedAt === null) {
      connectedAt = this.connect(this.businessAfter(previous, this.businessDays(1)), sdr, 'phone')
    }

    switch (outcome) {
      case 'cadence-exhausted': {
        const wait = random.chance(0.85)
          ? this.businessDays(this.between(1, 5))
          : this.businessDays(this.between(6, 15))
        story.add(
          'lead.recycled',
          this.businessAfter(Math.max(lastTouch, previous), wait),
          { scenario: 'cadence-exhausted' },
          sdr,
        )
        return
      }
      case 'stalled':
        return
      case 'sql':
        this.qualify(sdr, connectedAt ?? previous)
        return
      case 'not-ready': {
        const at = connectedAt ?? previous
        if (random.chance(0.9)) {
          this.activity(
            this.businessAfter(at, this.between(30 * MINUTE, 5 * HOUR)),
            sdr,
            'email',
            'sent',
          )
        }
        story.add(
          'lead.recycled',
          this.businessAfter(at, this.between(6 * HOUR, 14 * HOUR)),
          { scenario: 'not-ready' },
          sdr,
        )
        return
      }
      case 'disqualified': {
        const at = connectedAt ?? previous
        if (random.chance(0.6)) {
          this.activity(
            this.businessAfter(at, this.between(20 * MINUTE, 4 * HOUR)),
            sdr,
            'email',
            'sent',
          )
        }
        const taxonomy = this.policy.rejection.sal
        const code = this.codeWithEffect(
          taxonomy,
          random.chance(0.55) ? 'suppress-company' : 'do-not-route',
        )
        story.add(
          'lead.disqualified',
          this.businessAfter(at, this.between(5 * HOUR, 12 * HOUR)),
          code === undefined
            ? { reason: 'not a fit after the discovery call' }
            : { reasonCode: code, reason: 'not a fit after the discovery call' },
          sdr,
        )
        return
      }
    }
  }

  /** A live conversation: a connected call, or an email reply and then the call. */
  private connect(at: number, sdr: SamplePerson, channel: string): number {
    if (channel === 'phone') {
      return this.activity(at, sdr, 'call', 'connected')
    }
    const sent = this.activity(at, sdr, channel === 'linkedin' ? 'linkedin' : 'email', 'sent')
    const replied = this.activity(
      this.businessAfter(sent, this.between(HOUR, 10 * HOUR)),
      sdr,
      'email',
      'replied',
      { onTime: true },
    )
    return this.activity(
      this.businessAfter(replied, this.between(20 * MINUTE, 5 * HOUR)),
      sdr,
      'call',
      'connected',
      { onTime: true },
    )
  }

  // ── SQL: qualification, meeting, promotion ─────────────────────────────────────────────────

  private meddpic(): Record<string, string> {
    const gate = this.policy.gates.sql.requireMeddpic
    const confirmed: Record<string, string> = {}
    for (const element of this.policy.meddpic) {
      const needed =
        element.gate === 'required' || (gate === 'preferred' && element.gate === 'preferred')
      const likely = element.gate === 'preferred' ? 0.6 : 0.25
      if (needed || this.random.chance(likely)) {
        confirmed[element.id] = this.random.pick(
          MEDDPIC_NOTES[element.id] ?? ['Confirmed on the discovery call'],
        )
      }
    }
    return confirmed
  }

  private meetingLink(): string {
    const company = asciiSlug(this.profile.company ?? 'prospect')
    return `https://meet.example.com/${company}-${this.draft.leadId.replace(/\D/g, '')}`
  }

  private nextQuarterHour(t: number): number {
    const quarter = 15 * MINUTE
    return Math.ceil(t / quarter) * quarter
  }

  private qualify(sdr: SamplePerson, connectedAt: number): void {
    const { random, story } = this
    this.activity(
      this.businessAfter(connectedAt, this.between(10 * MINUTE, 3 * HOUR)),
      sdr,
      'email',
      'sent',
    )
    const meddpic = this.meddpic()
    const [firstElement, ...otherElements] = Object.entries(meddpic)
    const qualifiedAt = story.add(
      'qualification.updated',
      connectedAt + this.between(5 * MINUTE, 40 * MINUTE),
      {
        painStatement: random.pick(PAIN_STATEMENTS),
        timeline: random.pick(TIMELINES),
        ...(firstElement ? { meddpic: Object.fromEntries([firstElement]) } : {}),
      },
      sdr,
    )
    const bookedAt = Math.max(
      random.chance(0.7)
        ? connectedAt + this.between(10 * MINUTE, 60 * MINUTE)
        : this.businessAfter(connectedAt, this.between(2 * HOUR, 15 * HOUR)),
      qualifiedAt + MINUTE,
    )
    const meetingAt = this.nextQuarterHour(
      this.businessAfter(bookedAt, this.businessDays(this.between(1, 5))),
    )
    const link = this.meetingLink()
    const booked = story.add('meeting.booked', bookedAt, { meetingAt, link, format: 'video' }, sdr)
    let sqlAt = random.chance(0.8)
      ? this.businessAfter(booked, this.between(15 * MINUTE, 5 * HOUR))
      : this.businessAfter(booked, this.businessDays(this.between(1, 3)))
    if (sqlAt >= meetingAt) {
      sqlAt = booked + (meetingAt - booked) / 2
    }
    const ae = this.context.nextOwner('ae', this.prospect.region)
    const promotedAt = story.add(
      'sql.promoted',
      sqlAt,
      {
        aeId: ae.id,
        qualification: {
          meetingLink: link,
          meddpic: Object.fromEntries(otherElements),
          notesForAe: random.pick(NOTES_FOR_AE),
        },
      },
      sdr,
    )
    this.aeDecision(sdr, ae, promotedAt, meetingAt, link, 1)
  }

  // ── AE: acceptance or rejection, the opportunity ───────────────────────────────────────────

  private aeDecision(
    sdr: SamplePerson,
    ae: SamplePerson,
    sqlAt: number,
    meetingAt: number,
    link: string,
    attempt: number,
  ): void {
    const { random, story } = this
    const aeCalendar = this.context.calendars.byId(ae.calendar)
    const taxonomy = this.policy.rejection.ae
    const rejections = this.codes(taxonomy).filter(
      (code) => code.effect !== 'long-term-nurture' || this.hasScenario('not-ready'),
    )
    if (attempt === 1 && rejections.length > 0 && random.chance(0.15)) {
      const code = random.weighted(
        rejections.map((c) => [c, AE_REJECTION_WEIGHTS[c.effect] ?? 5] as const),
      )
      const rejectAt = this.businessAfter(sqlAt, this.between(20 * MINUTE, 6 * HOUR), aeCalendar)
      if (code.effect === 'reschedule') {
        story.add(
          'meeting.cancelled',
          sqlAt + (rejectAt - sqlAt) * this.between(0.2, 0.8),
          { byProspect: true },
          ae,
        )
      }
      const rejectedAt = story.add(
        'ae.rejected',
        rejectAt,
        { reasonCode: code.code, note: code.reason.slice(0, 200) },
        ae,
      )
      this.afterAeRejection(sdr, ae, code.effect, rejectedAt, link)
      return
    }
    const delay = random.weighted([
      [() => this.between(5 * MINUTE, 3.8 * HOUR), 80],
      [() => this.between(4 * HOUR, 8 * HOUR), 13],
      [() => this.between(8 * HOUR, 26 * HOUR), 7],
    ] as const)()
    const acceptedAt = story.add(
      'ae.accepted',
      this.businessAfter(sqlAt, delay, aeCalendar),
      { briefingRead: true },
      ae,
    )
    this.opportunity(ae, aeCalendar, acceptedAt, meetingAt)
  }

  private afterAeRejection(
    sdr: SamplePerson,
    ae: SamplePerson,
    effect: string,
    rejectedAt: number,
    link: string,
  ): void {
    const { random, story } = this
    if (effect === 'reschedule' && random.chance(0.65)) {
      const rebookAt = this.businessAfter(
        rejectedAt,
        this.between(3 * HOUR, this.businessDays(2.5)),
      )
      const meetingAt = this.nextQuarterHour(
        this.businessAfter(rebookAt, this.businessDays(this.between(1, 4))),
      )
      const booked = story.add(
        'meeting.booked',
        rebookAt,
        { meetingAt, link, format: 'video' },
        sdr,
      )
      const promotedAt = story.add(
        'sql.promoted',
        booked + this.between(10 * MINUTE, 90 * MINUTE),
        { aeId: ae.id },
        sdr,
      )
      this.aeDecision(sdr, ae, promotedAt, meetingAt, link, 2)
      return
    }
    if (
      (effect === 'return-to-sal' || effect === 're-engage-contact') &&
      this.hasScenario('cadence-exhausted') &&
      random.chance(0.5)
    ) {
      const touchAt = this.businessAfter(rejectedAt, this.businessDays(this.between(1, 3)))
      this.touch(touchAt, sdr, 'phone')
      story.add(
        'lead.recycled',
        this.businessAfter(rejectedAt, this.businessDays(this.between(5, 12))),
        { scenario: 'cadence-exhausted' },
        sdr,
      )
    }
  }

  private opportunity(
    ae: SamplePerson,
    aeCalendar: BusinessCalendar,
    acceptedAt: number,
    meetingAt: number,
  ): void {
    const { random, story } = this
    const { end } = this.context
    const firstTouch = random.chance(0.9)
      ? this.between(10 * MINUTE, 20 * HOUR)
      : this.between(24 * HOUR, 40 * HOUR)
    this.activity(this.businessAfter(acceptedAt, firstTouch, aeCalendar), ae, 'email', 'sent')
    const creation = random.weighted([
      ['same-session', 85],
      ['next-day', 8],
      ['never', 7],
    ] as const)
    if (creation === 'never') {
      return
    }
    let closeDate = Math.floor((acceptedAt + this.between(30, 100) * DAY) / DAY) * DAY
    const acv = (this.profile.acvEstimate ?? 20_000) * this.between(0.7, 1.3)
    const createdAt = story.add(
      'opportunity.created',
      creation === 'same-session'
        ? acceptedAt + this.between(3 * MINUTE, 45 * MINUTE)
        : this.businessAfter(acceptedAt, this.between(10 * HOUR, 16 * HOUR), aeCalendar),
      { acv: Math.round(acv / 500) * 500, closeDate },
      ae,
    )
    let cursor = createdAt
    if (meetingAt > createdAt) {
      const held = random.chance(0.9)
      this.activity(meetingAt, ae, 'meeting', held ? 'held' : 'none', { onTime: true })
      cursor = meetingAt
    }
    const goesDarkAfter = random.chance(0.1) ? random.int(1, 3) : Number.POSITIVE_INFINITY
    for (let stage = 1; cursor < end;) {
      if (stage >= goesDarkAfter) {
        return
      }
      const nextChange = cursor + this.between(6, 22) * DAY
      let t = this.businessAfter(
        cursor,
        this.businessDays(this.between(1, 5), aeCalendar),
        aeCalendar,
      )
      while (t < nextChange && t < end) {
        const [type, outcome] = random.weighted([
          [['call', 'connected'], 30],
          [['call', 'voicemail'], 10],
          [['email', 'sent'], 35],
          [['meeting', 'held'], 20],
          [['video', 'held'], 5],
        ] as const)
        this.activity(t, ae, type, outcome)
        t = this.businessAfter(t, this.businessDays(this.between(2, 7), aeCalendar), aeCalendar)
      }
      const changeAt = this.businessAfter(nextChange, this.between(0, 4 * HOUR), aeCalendar)
      if ((stage >= 2 && random.chance(0.14)) || (stage >= 5 && random.chance(0.15))) {
        story.add(
          'opportunity.closed',
          changeAt,
          { outcome: 'lost', reason: random.pick(CLOSED_LOST_REASONS) },
          ae,
        )
        return
      }
      if (stage >= 5) {
        story.add(
          'opportunity.closed',
          changeAt,
          { outcome: 'won', reason: random.pick(CLOSED_WON_REASONS) },
          ae,
        )
        return
      }
      stage += 1
      let pushed = random.chance(0.22)
      if (pushed) {
        closeDate += Math.round(this.between(14, 45)) * DAY
      }
      // Section 07 close-date rules: Proposal within 30 days, Commit within 14 (AEs who push the
      // date further get refused by the engine, so the sample keeps to the rule).
      const closeWithin = stage === 4 ? 28 : stage === 5 ? 12 : undefined
      if (closeWithin !== undefined && closeDate > changeAt + closeWithin * DAY) {
        closeDate = Math.round(changeAt + this.between(5, closeWithin) * DAY)
        pushed = true
      }
      story.add(
        'opportunity.stage-changed',
        changeAt,
        {
          stage,
          ...(pushed ? { closeDate } : {}),
          // Qualification: the economic-buyer meeting is on the calendar.
          ...(stage === 2 ? { ebMeetingAt: Math.round(changeAt + this.between(2, 9) * DAY) } : {}),
        },
        ae,
      )
      cursor = changeAt
    }
  }
}
