import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { describeError } from '../describe-error.js'
import { defaultPolicyPath, packageFilePath } from '../policy/load-policy-file.js'
import type { CliOutput } from './cli-output.js'
import { createProgram } from './program.js'

interface Captured {
  readonly out: string[]
  readonly err: string[]
  exitCode: number
}

async function run(...args: string[]): Promise<Captured> {
  const captured: Captured = { out: [], err: [], exitCode: 0 }
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

const directory = mkdtempSync(join(tmpdir(), 'leadclock-cli-'))
const defaultText = readFileSync(defaultPolicyPath(), 'utf8')

describe('leadclock policy', () => {
  it('validate: accepts the default policy', async () => {
    const result = await run('policy', 'validate', defaultPolicyPath())
    expect(result.exitCode).toBe(0)
    expect(result.out).toEqual([
      `${defaultPolicyPath()}: valid — Lead Lifecycle SLA Framework 2.1 version 2.1.0, effective from 2026-01-01`,
    ])
  })

  it('validate and show: the shipped ACV-tier example policy', async () => {
    const file = packageFilePath('policies', 'acv-tiers.yaml')
    const validated = await run('policy', 'validate', file)
    expect(validated.exitCode).toBe(0)
    expect(validated.out).toEqual([
      `${file}: valid — Lead Lifecycle SLA Framework 2.1 with ACV tiers version 2.2.0, effective from 2026-01-01`,
    ])
    const shown = (await run('policy', 'show', file)).out.join('\n')
    expect(shown).toContain(
      "ACV tiers (USD; Leadclock's tier wins over a supplied one; scores: Leadclock's)",
    )
    expect(shown).toMatch(
      /\$75K–\$200K ACV \(mid-enterprise\) +75000–200000 +70 +15 business minutes +ae\n/,
    )
  })

  it('validate: prints each located problem and exits 1', async () => {
    const file = join(directory, 'broken.yaml')
    writeFileSync(file, defaultText.replace('timeZone: Europe/Berlin', 'timeZone: Europe/Bonn'))
    const line = defaultText.split('\n').findIndex((text) => text.includes('Europe/Berlin')) + 1
    const result = await run('policy', 'validate', file)
    expect(result.exitCode).toBe(1)
    expect(result.err[0]).toBe(`${file}: 1 problem`)
    expect(result.err[1]).toMatch(
      new RegExp(`^  ${file}:${line}:\\d+ calendars\\.dach\\.timeZone: .*Europe/Bonn`),
    )
  })

  it('validate: a missing file is an error saying which file and why', async () => {
    const file = join(directory, 'nope.yaml')
    const failure: unknown = await run('policy', 'validate', file).then(
      () => 'no error',
      (error: unknown) => error,
    )
    expect(describeError(failure)).toBe(`cannot read the policy ${file}: no such file or directory`)
  })

  it('show: prints the SLA reference table of the default policy', async () => {
    const result = await run('policy', 'show')
    const text = result.out.join('\n')
    expect(text).toContain(
      'Lead Lifecycle SLA Framework 2.1 — version 2.1.0, effective from 2026-01-01',
    )
    expect(text).toMatch(
      /SDR Response — Tier 1\s+MQL to SAL\s+SDR\s+5 business minutes\s+2 business hours\s+SDR Manager\s+prospect/,
    )
    expect(text).toMatch(/T\+48h\s+T\+48 business hours\s+VP-Level Visibility/)
    expect(text).toMatch(
      /AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked\s+SDR\s+14 business days\s+SDR's manager/,
    )
    expect(text).toMatch(
      /AE-REJ-05: RevOps arbitrates; .*\s+RevOps\s+1 business day\s+RevOps's manager/,
    )
    expect(text).toMatch(
      /Check in: Not Ready — Timeline 12\+ Months\s+SDR\s+6 months\s+SDR's manager/,
    )
  })

  it('diff: lists semantic changes between two versions', async () => {
    const file = join(directory, 'v2.2.yaml')
    writeFileSync(
      file,
      defaultText
        .replace("version: '2.1.0'", "version: '2.2.0'")
        .replace("effectiveFrom: '2026-01-01'", "effectiveFrom: '2026-04-01'")
        .replace(
          '    target: 2 business hours\n    breach: 4 business hours',
          '    target: 90 business minutes\n    breach: 4 business hours',
        ),
    )
    const result = await run('policy', 'diff', defaultPolicyPath(), file)
    expect(result.out).toEqual([
      '2.1.0 (2026-01-01) → 2.2.0 (2026-04-01): 3 changes',
      '~ version: 2.1.0 → 2.2.0',
      '~ effectiveFrom: 2026-01-01 → 2026-04-01',
      '~ SLA item “SDR Response — Tier 2” › target: 2 business hours → 90 business minutes',
    ])
  })

  it('schema: prints a JSON Schema that knows every top-level section', async () => {
    const result = await run('policy', 'schema')
    const schema = JSON.parse(result.out.join('\n')) as {
      properties: Record<string, unknown>
      required: string[]
    }
    expect(Object.keys(schema.properties)).toContain('escalationChains')
    expect(schema.required).toContain('slaItems')
  })
})
