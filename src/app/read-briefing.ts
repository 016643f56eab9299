/** Use case: the SQL briefing document of a lead (appendix C), with the SQL gate's completeness. */
import type { Briefing } from '../domain/briefing/sql-briefing.js'
import { briefingCompleteness, buildBriefing } from '../domain/briefing/sql-briefing.js'
import { replayLead } from '../domain/lifecycle/engine.js'
import { prospectCalendar } from '../domain/sla-clock-view.js'
import { findPerson } from '../domain/team/roster.js'
import type { ReadDependencies } from './read-lead.js'
import { renderBriefingHtml, renderBriefingMarkdown } from './render-briefing.js'

export interface BriefingView {
  readonly briefing: Briefing
  readonly completeness: ReturnType<typeof briefingCompleteness>
  readonly markdown: string
  readonly html: string
}

export async function readBriefing(
  deps: ReadDependencies,
  leadId: string,
): Promise<BriefingView | undefined> {
  const { state } = replayLead(
    await deps.repository.listLeadEvents(leadId),
    deps.policy,
    'validated',
  )
  if (!state) {
    return undefined
  }
  const roster = deps.roster?.()
  const nameOf = (id: string | null): string | undefined =>
    id === null || roster === undefined ? undefined : findPerson(roster, id)?.name
  const sdrName = nameOf(state.ownerId)
  const aeName = nameOf(state.aeId)
  const calendar = prospectCalendar(deps.policy, state.profile)
  const timeZone =
    state.profile.timeZone ??
    ('calendarId' in calendar
      ? deps.calendars.byId.get(calendar.calendarId)?.timeZone
      : undefined) ??
    'UTC'
  const briefing = buildBriefing(
    state,
    deps.policy,
    { ...(sdrName === undefined ? {} : { sdrName }), ...(aeName === undefined ? {} : { aeName }) },
    timeZone,
  )
  return {
    briefing,
    completeness: briefingCompleteness(state, briefing, deps.policy),
    markdown: renderBriefingMarkdown(briefing),
    html: renderBriefingHtml(briefing),
  }
}
