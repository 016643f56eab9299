import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, describe, expect, it, vi } from 'vitest'

import { parseEventInput } from '../app/event-input.js'
import { loadDefaultPolicy } from '../domain/test-support.js'
import { SAMPLE_TEAM, standardSampleEvents } from '../sample/generate-sample.js'
import type { CliOutput } from './cli-output.js'
import { createProgram } from './program.js'

const policy = loadDefaultPolicy()
const directory = mkdtempSync(join(tmpdir(), 'leadclock-sample-'))
/** Friday 2026-11-20: `sample` runs in the afternoon, `start` ran in the morning. */
const SAMPLE_RUN = Date.parse('2026-11-20T17:30:00Z')
const START_RUN = Date.parse('2026-11-20T06:05:00Z')

async function run(...args: string[]) {
  const captured = { out: [] as string[], err: [] as string[], exitCode: 0 }
  const output: CliOutput = {
    print: (line) => captured.out.push(line),
    error: (line) => captured.err.push(line),
    exitCode: (code) => {
      captured.exitCode = code
    },
  }
  await createProgram(output).parseAsync(['node', 'leadclock', ...args])
  return captured
}

afterEach(() => {
  vi.useRealTimers()
})

describe('leadclock sample and the sample start loads', () => {
  it('are the same events on the same day, also after a round trip through JSON Lines', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(SAMPLE_RUN)
    const file = join(directory, 'sample.jsonl')
    const result = await run('sample', '--out', file)
    vi.useRealTimers()

    const loadedByStart = standardSampleEvents(policy, START_RUN)
    expect(result).toEqual({
      out: [
        `${file}: ${loadedByStart.length} events for 2000 leads — the sample \`start\` loads today`,
      ],
      err: [],
      exitCode: 0,
    })
    const people = new Set(SAMPLE_TEAM.map((person) => person.id))
    const imported = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) =>
        parseEventInput(JSON.parse(line), {
          now: SAMPLE_RUN,
          defaultSource: 'import',
          systemTimestamp: 'history-occurred-at',
          people,
        }),
      )
    expect(imported.filter((parsed) => !parsed.ok)).toEqual([])
    expect(imported.map((parsed) => (parsed.ok ? parsed.event : undefined))).toEqual(loadedByStart)
  })

  it('ends the sample at 00:00 UTC of the day it is made, nothing dated after it', () => {
    const events = standardSampleEvents(policy, START_RUN)
    expect(Math.max(...events.map((event) => event.occurredAt))).toBeLessThanOrEqual(
      Date.parse('2026-11-20T00:00:00Z'),
    )
    expect(events.filter((event) => event.type === 'lead.created')).toHaveLength(2000)
  })
})
