import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { defaultPolicyPath } from './load-policy-file.js'
import type { PolicyProblem } from './parse-policy.js'
import { formatPolicyProblem, parsePolicy } from './parse-policy.js'

const defaultText = readFileSync(defaultPolicyPath(), 'utf8')

/** Replaces one exact, unique snippet of the default policy. */
function edit(before: string, after: string): string {
  expect(defaultText.split(before), `snippet must occur once: ${before}`).toHaveLength(2)
  return defaultText.replace(before, after)
}

/** 1-based line of the first line containing `needle`, counted independently of the parser. */
function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n')
  const index = lines.findIndex((line, i) => i >= after && line.includes(needle))
  expect(index, `line containing ${needle}`).toBeGreaterThanOrEqual(0)
  return index + 1
}

function problemsOf(text: string): readonly PolicyProblem[] {
  const result = parsePolicy(text, 'policy.yaml')
  if (result.ok) {
    throw new Error('expected the policy to be refused')
  }
  return result.problems
}

describe('parsePolicy', () => {
  it('accepts the default policy and freezes it', () => {
    const result = parsePolicy(defaultText, 'default.yaml')
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.policy.version).toBe('2.1.0')
      expect(result.policy.slaItems).toHaveLength(18)
      expect(Object.isFrozen(result.policy.slaItems[0])).toBe(true)
      expect(result.policy.slaItems[2]?.target).toEqual({
        amount: 5,
        unit: 'minute',
        business: true,
      })
      expect(result.policy.responseTiers['tier-2']?.afterHours).toEqual({
        kind: 'next-business-day-at',
        localTime: '10:00',
      })
    }
  })

  it('names file, line, column, path and the rule when an SLA target exceeds its breach', () => {
    const text = edit(
      '    target: 2 business hours\n    breach: 4 business hours',
      '    target: 6 business hours\n    breach: 4 business hours',
    )
    const [problem, ...others] = problemsOf(text)
    expect(others).toEqual([])
    expect(problem).toEqual({
      file: 'policy.yaml',
      line: lineOf(text, 'target: 6 business hours'),
      column: 13,
      path: 'slaItems[3].target',
      message:
        'SLA target "6 business hours" is longer than its breach threshold "4 business hours"; allowed: target ≤ breach',
    })
    expect(formatPolicyProblem(problem!)).toBe(
      `policy.yaml:${problem!.line}:13 slaItems[3].target: SLA target "6 business hours" is longer than its breach threshold "4 business hours"; allowed: target ≤ breach`,
    )
  })

  it('refuses a calendar selection by a time zone that does not exist', () => {
    const text = edit('Europe/Vienna: dach', 'Europe/Wien: dach')
    expect(problemsOf(text).map((problem) => [problem.path, problem.message])).toEqual([
      [
        'calendarSelection.byTimeZone.Europe/Wien',
        '"Europe/Wien" is not an IANA time zone; use one such as "Europe/London"',
      ],
    ])
  })

  it('refuses an unknown reason code and lists the allowed ones', () => {
    const text = edit('codes: [AE-REJ-01, AE-REJ-02]', 'codes: [AE-REJ-01, AE-REJ-09]')
    expect(problemsOf(text)).toEqual([
      {
        file: 'policy.yaml',
        line: lineOf(text, 'AE-REJ-09'),
        column: (text.split('\n')[lineOf(text, 'AE-REJ-09') - 1] ?? '').indexOf('AE-REJ-09') + 1,
        path: 'rejection.aeRejectionReviewThreshold.codes[1]',
        message:
          'unknown reason code "AE-REJ-09"; allowed: AE-REJ-01, AE-REJ-02, AE-REJ-03, AE-REJ-04, AE-REJ-05',
      },
    ])
  })

  it('refuses a metric that rates an unknown SLA item, and response bands out of order', () => {
    const text = edit('slaItem: sdr-response-tier-2 }', 'slaItem: sdr-response-tier-9 }').replace(
      '{ within: 15 business minutes, points: 8',
      '{ within: 3 business minutes, points: 8',
    )
    const problems = problemsOf(text)
    expect(problems.map((problem) => problem.path)).toEqual([
      'metrics[1].slaItem',
      'measurement.responseScoring.bands[1]',
    ])
    expect(problems[0]?.message).toMatch(/^unknown SLA item "sdr-response-tier-9"; allowed: /)
    expect(problems[1]?.message).toBe(
      'each band must reach further than the one before it; only the last may omit within',
    )
  })

  it('refuses escalation steps out of order', () => {
    const text = edit('        at: 48 business hours', '        at: 20 business hours')
    const problems = problemsOf(text)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({
      line: lineOf(text, 'at: 20 business hours'),
      path: 'escalationChains.mql-response.steps[4].at',
      message:
        'escalation step out of order: "20 business hours" does not come after the previous "24 business hours"; allowed: strictly increasing times',
    })
  })

  it('refuses a routine step that escalates', () => {
    const text = edit(
      '        notify: [owner]\n        routine: true\n        requiredAction: Accept within 15 minutes',
      '        notify: [owner]\n        routine: true\n        severity: formal-breach\n        requiredAction: Accept within 15 minutes',
    )
    const problems = problemsOf(text)
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'escalationChains.mql-response.steps[0].routine',
        message:
          'a routine step only notifies; allowed without severity, managerActions, rootCauseDue, reassign and outcome',
      }),
    ])
  })

  it('refuses an unknown time zone', () => {
    const text = edit('timeZone: Asia/Kolkata', 'timeZone: Asia/Bangalore')
    const [problem] = problemsOf(text)
    expect(problem).toMatchObject({
      line: lineOf(text, 'Asia/Bangalore'),
      path: 'calendars.india.timeZone',
    })
    expect(problem?.message).toContain('"Asia/Bangalore"')
  })

  it('refuses overlapping opening hours within a day', () => {
    const text = edit(
      "      mon: [{ start: '08:00', end: '18:00' }]",
      "      mon: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '18:00' }]",
    )
    const problems = problemsOf(text)
    expect(problems.length).toBeGreaterThanOrEqual(1)
    expect(problems[0]?.path).toMatch(/^calendars\.us-east\.weeklyHours\.mon/)
    expect(problems[0]?.message).toMatch(/overlap/)
  })

  it('refuses a misspelt key, a malformed duration and a wrong type, all at once', () => {
    let text = edit('  threshold: 60\n', '  treshold: 60\n')
    text = text.replace('trailingWindow: 30 days', 'trailingWindow: 30 dayz')
    text = text.replace('capacityPerRepPerDay: 15', 'capacityPerRepPerDay: fifteen')
    const problems = problemsOf(text)
    expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
      ['scoring.threshold', 'is required (expected number)'],
      [
        'scoring.treshold',
        'unknown key "treshold"; check its spelling (the JSON Schema lists every key)',
      ],
      [
        'surge.trailingWindow',
        '"30 dayz" is not a duration; allowed: "<number> [business] minutes|hours|days|weeks|months", e.g. "5 business minutes" or "90 days"',
      ],
      ['routing.capacityPerRepPerDay', 'expected number, got "fifteen"'],
    ])
    expect(problems[3]?.line).toBe(lineOf(text, 'capacityPerRepPerDay'))
  })

  it('refuses an unknown rule kind, naming the allowed kinds', () => {
    const text = edit('rule: { kind: territory-active }', 'rule: { kind: territory-staffed }')
    expect(problemsOf(text)[0]).toMatchObject({
      path: 'mqlEntryCriteria[5].rule.kind',
      message:
        'unknown kind "territory-staffed"; allowed: "min-fit-score", "persona-in", "intent-actions", "required-fields", "email-valid", "territory-active"',
    })
  })

  it('reports YAML syntax errors with their position, never a stack trace', () => {
    const problems = problemsOf('version: "2.1.0\nname: [unclosed\n')
    expect(problems.length).toBeGreaterThan(0)
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /)
    expect(problems[0]?.line).toBeGreaterThanOrEqual(1)
  })

  it('refuses a manager-review band that reaches the MQL threshold', () => {
    const text = edit(
      'managerReviewBand: { min: 40, max: 59 }',
      'managerReviewBand: { min: 40, max: 60 }',
    )
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: 'scoring.managerReviewBand.max',
        message: 'manager review band must end below the MQL threshold 60; got max 60',
      }),
    ])
  })

  it('refuses metric thresholds that contradict their direction', () => {
    const text = edit('better: lower, green: 5, red: 15', 'better: lower, green: 15, red: 5')
    expect(problemsOf(text)[0]?.message).toBe(
      'green 15 and red 5 contradict better: lower; allowed: green < red',
    )
  })
  it('refuses a SAL rejection window that disagrees with the sal-accept-reject target, at the window', () => {
    const text = edit(
      'window: 4 business hours, from: receipt',
      'window: 5 business hours, from: receipt',
    )
    const [problem, ...others] = problemsOf(text)
    expect(others).toEqual([])
    expect(problem).toEqual({
      file: 'policy.yaml',
      line: lineOf(text, 'window: 5 business hours'),
      column: 166,
      path: 'salActions[1].window',
      message:
        'window "5 business hours" disagrees with the target "4 business hours" of SLA item sal-accept-reject; the two are one deadline',
    })
  })

  it('refuses a policy without the activity-logging window, or with a keyword for it', () => {
    const withoutRow = edit('- { id: activity-logging,', '- { id: activity-logged,')
    expect(problemsOf(withoutRow).map((problem) => [problem.path, problem.message])).toEqual([
      [
        'salActions',
        'needs the activity-logging row: its window is when an activity is flagged late-logged',
      ],
    ])
    const keyword = edit(
      'window: 30 minutes, from: attempt',
      'window: same business day, from: attempt',
    )
    expect(problemsOf(keyword).map((problem) => [problem.path, problem.message])).toEqual([
      [
        'salActions[2].window',
        '"same business day" is not a duration; the activity-logging window flags late-logged activities',
      ],
    ])
  })
  it('refuses a SAL action naming an unknown SLA item or owner role', () => {
    const text = edit(
      'owner: sdr, window: 4 business hours, from: receipt, slaItem: sal-accept-reject',
      'owner: sdrs, window: 4 business hours, from: receipt, slaItem: sal-accept',
    )
    expect(
      problemsOf(text).map((problem) => [problem.path, problem.message.split(';')[0]]),
    ).toEqual([
      ['salActions[1].owner', 'unknown role "sdrs"'],
      ['salActions[1].slaItem', 'unknown SLA item "sal-accept"'],
    ])
  })
})
