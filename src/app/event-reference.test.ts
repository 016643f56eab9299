import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { LEAD_EVENT_TYPES } from '../domain/lead-events.js'
import { packageFilePath } from '../policy/load-policy-file.js'
import { eventReferenceTable, eventTypeFields } from './event-reference.js'

/** A Markdown table's cells, without the padding a formatter adds. */
function cellsOf(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^-+$/, '---')),
    )
}

describe('the README event reference', () => {
  it('lists every event type with the required and optional fields of its payload schema', () => {
    const readme = readFileSync(packageFilePath('README.md'), 'utf8')
    const table = /<!-- event-reference:start -->([\s\S]*?)<!-- event-reference:end -->/.exec(
      readme,
    )?.[1]
    // On a difference, paste the table this prints between the markers and run prettier:
    // npx tsx -e "import('./src/app/event-reference.ts').then((m) => console.log(m.eventReferenceTable()))"
    expect(cellsOf(table ?? '')).toEqual(cellsOf(eventReferenceTable()))
    expect(
      cellsOf(table ?? '')
        .slice(2)
        .map((row) => row[0]),
    ).toEqual(LEAD_EVENT_TYPES.map((type) => `\`${type}\``))
  })

  it('takes a field as required exactly when leaving it out fails validation', () => {
    const byType = new Map(eventTypeFields().map((fields) => [fields.type, fields]))
    expect(byType.get('meeting.booked')).toEqual({
      type: 'meeting.booked',
      required: ['meetingAt'],
      optional: ['link', 'format', 'durationMinutes', 'attendees'],
    })
    expect(byType.get('owner.assigned')).toEqual({
      type: 'owner.assigned',
      required: ['ownerId', 'reason'],
      optional: ['reassignment', 'slaStretch'],
    })
    expect(byType.get('sal.accepted')).toEqual({ type: 'sal.accepted', required: [], optional: [] })
  })
})
