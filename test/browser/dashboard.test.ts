/**
 * The dashboard in a real browser: headless Debian Chromium (playwright-core) against a real
 * `leadclock start` on loopback with a sample store. Each view is loaded and its numbers are
 * compared with the API's answers; a manager records the action a formal breach waits for and
 * sees it close; a rep asks for a transition the gate refuses and sees the rule's message; axe
 * finds no serious or critical violation in any view; no script is refused by the CSP.
 * Screenshots go to artifacts/dashboard/ (git-ignored); each view's first render is printed.
 * Without /usr/bin/chromium the suite skips with a message, except in CI (CI=true), where it fails.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'

import type { Browser, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { REPO_ROOT, startLeadclock } from '../integration/cli-process.js'
import { removeDir, tempDir } from '../integration/dialects.js'

const CHROMIUM = '/usr/bin/chromium'
/** Small enough to load in seconds on a busy machine; LEADCLOCK_DASHBOARD_SAMPLE=2000 for the full one. */
const SAMPLE_LEADS = Number(process.env.LEADCLOCK_DASHBOARD_SAMPLE ?? '200')
const ARTIFACTS = join(REPO_ROOT, 'artifacts', 'dashboard')

const available = existsSync(CHROMIUM)
if (!available && process.env.CI === 'true') {
  throw new Error(
    `${CHROMIUM} is missing: CI must install chromium (.ci/run) for the browser suite`,
  )
}
if (!available) {
  console.warn(`browser suite skipped: ${CHROMIUM} is missing (apt-get install chromium)`)
}

interface Problem {
  readonly status: number
  readonly title: string
  readonly detail: string
  readonly rule?: string
}

/** Resolves with the dashboard's URL once `start` prints it (rejects if it exits first). */
function dashboardUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const watch = (chunk: Buffer) => {
      output += chunk.toString()
      const found = /Dashboard {2}(http\S+)\/\n/.exec(output)
      if (found?.[1] !== undefined) {
        resolve(found[1])
      }
    }
    server.stdout?.on('data', watch)
    server.stderr?.on('data', watch)
    server.on('close', (code) => reject(new Error(`start exited with ${code}:\n${output}`)))
  })
}

// A browser round trip on a busy 2-core machine takes seconds; a test drives several.
describe.skipIf(!available)('the dashboard in Chromium', { timeout: 120_000 }, () => {
  let dir: string
  let server: ChildProcess
  let base: string
  let browser: Browser
  const tokens = new Map<string, string>()
  const renders: string[] = []

  /** The API's answer to `path` for a person's token. */
  async function apiAs<T>(person: string, path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${tokens.get(person)}`,
        'content-type': 'application/json',
      },
    })
    return (await response.json()) as T
  }

  /** A signed-in page of `person`, with the CSP refusals and page errors it meets. */
  async function pageOf(person: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      // The browser logs every 4xx answer; the views show those (a refusal, no session yet).
      if (
        message.type() === 'error' &&
        !/the server responded with a status of 4\d\d/.test(message.text())
      ) {
        problems.push(message.text())
      }
    })
    await page.goto(`${base}/`)
    await page.getByLabel('API token').fill(tokens.get(person) ?? '')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    return { page, problems }
  }

  /** Opens `hash`, waits for `ready`, prints the first render and keeps a screenshot. */
  async function openView(page: Page, hash: string, ready: string, name: string): Promise<void> {
    const started = performance.now()
    await page.goto(`${base}/${hash}`)
    await page.reload()
    await page.getByTestId(ready).first().waitFor()
    renders.push(`${name}: first render ${Math.round(performance.now() - started)} ms`)
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    const axeSource = await readFile(
      createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
      'utf8',
    )
    // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays on.
    await page.evaluate(axeSource)
    return page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: {
            run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>
          }
        }
      ).axe
      const result = await axe.run()
      return result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) => `${violation.id} (${violation.impact}, ${violation.nodes.length} nodes)`,
        )
    })
  }

  beforeAll(async () => {
    await build({ configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' })
    await mkdir(ARTIFACTS, { recursive: true })
    dir = await tempDir('leadclock-dashboard-')
    server = startLeadclock(
      ['start', '--sample-leads', String(SAMPLE_LEADS), '--port', '0', '--data-dir', dir],
      { DATABASE_URL: '' },
    )
    base = await dashboardUrl(server)
    const admin = (await readFile(join(dir, 'cli-token'), 'utf8')).trim()
    for (const [role, personId] of [
      ['rep', 'sdr-ana-lopez'],
      ['manager', 'mgr-carla-reyes'],
      ['leadership', 'vp-grace-okafor'],
      ['manager', 'mgr-david-chen'],
      ['revops', 'revops-mei-tanaka'],
    ] as const) {
      const response = await fetch(`${base}/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role, personId }),
      })
      const created = (await response.json()) as { secret: string }
      tokens.set(personId, created.secret)
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // As root (CI containers) Chromium runs only without its sandbox.
      args: ['--no-sandbox'],
    })
  }, 600_000)

  afterAll(async () => {
    console.log(`Dashboard first renders (${SAMPLE_LEADS}-lead sample):\n  ${renders.join('\n  ')}`)
    await browser?.close()
    if (server !== undefined) {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
    if (dir !== undefined) {
      await removeDir(dir)
    }
  })

  it('serves the dashboard at / under the CSP, and its API answers stay as they were', async () => {
    const page = await fetch(`${base}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    const bundle = await fetch(`${base}${asset}`)
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await fetch(`${base}/leads`)).status).toBe(401)
    // A path out of the assets folder is refused, whatever its spelling.
    expect((await fetch(`${base}/assets/%2e%2e/package.json`)).status).toBeGreaterThanOrEqual(400)
    expect((await fetch(`${base}/assets/%2e%2e/package.json`)).headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    )
  })

  it('shows a rep their open clocks with the business time left, as the API counts them', async () => {
    const { page, problems } = await pageOf('sdr-ana-lopez')
    await openView(page, '#/rep', 'my-clocks', 'rep')
    const answer = await apiAs<{
      clocks: {
        leadId: string
        clock: { status: string; leftToTargetMs: number | null; measure: string }
      }[]
    }>('sdr-ana-lopez', '/clocks?limit=200')
    const breached = answer.clocks.filter((row) => row.clock.status === 'breached').length
    await expect.poll(() => page.getByTestId('breached-count').textContent()).toBe(String(breached))
    expect(await page.getByTestId('my-clocks').locator('tbody tr').count()).toBe(
      Math.max(1, answer.clocks.length),
    )
    expect(await page.getByTestId('my-clocks').locator('caption').textContent()).toBe(
      `My open clocks (${answer.clocks.length})`,
    )
    const next = answer.clocks
      .filter((row) => row.clock.status === 'running' && (row.clock.leftToTargetMs ?? 0) > 0)
      .sort((a, b) => (a.clock.leftToTargetMs ?? 0) - (b.clock.leftToTargetMs ?? 0))[0]
    if (next !== undefined) {
      expect(await page.getByTestId('due-next').textContent()).toContain(next.leadId)
      // "business minutes" only for a clock that counts business time.
      expect(await page.getByTestId('due-next').textContent()).toMatch(
        next.clock.measure === 'business'
          ? /business (minute|hour)s? .*left/
          : / (minute|hour)s? .*left/,
      )
      if (next.clock.measure === 'wall-clock') {
        expect(await page.getByTestId('due-next').textContent()).not.toContain('business')
      }
    }
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  })

  it('shows a lead page whose stage, score and clocks are the API’s', async () => {
    const { clocks } = await apiAs<{ clocks: { leadId: string }[] }>(
      'sdr-ana-lopez',
      '/clocks?limit=1',
    )
    const { leads } = await apiAs<{ leads: { leadId: string }[] }>(
      'sdr-ana-lopez',
      '/leads?limit=1',
    )
    const leadId = clocks[0]?.leadId ?? leads[0]?.leadId ?? ''
    const view = await apiAs<{
      lead: { stage: string; ownerId: string }
      scoreNow: { total: number }
      clocks: unknown[]
    }>('sdr-ana-lopez', `/leads/${leadId}`)
    const { page, problems } = await pageOf('sdr-ana-lopez')
    await openView(page, `#/leads/${leadId}`, 'lead-clocks', 'lead')
    expect(await page.getByTestId('lead-stage').textContent()).toBe(view.lead.stage)
    expect(await page.getByTestId('lead-owner').textContent()).toBe(view.lead.ownerId)
    expect(await page.getByTestId('score-total').textContent()).toBe(String(view.scoreNow.total))
    expect(await page.getByTestId('lead-clocks').locator('caption').textContent()).toBe(
      `Clocks (${view.clocks.length})`,
    )
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  })

  it('shows the rule’s message when the gate refuses a transition, and records nothing', async () => {
    const { leads } = await apiAs<{ leads: { leadId: string }[] }>(
      'sdr-ana-lopez',
      '/leads?stage=mql&limit=1',
    )
    const leadId = leads[0]?.leadId ?? ''
    const before = await apiAs<{ timeline: unknown[] }>('sdr-ana-lopez', `/leads/${leadId}`)
    const refusal = await apiAs<Problem>('sdr-ana-lopez', `/leads/${leadId}/transitions`, {
      method: 'POST',
      body: JSON.stringify({
        type: 'sql.promoted',
        idempotencyKey: 'browser-suite-probe',
        payload: { aeId: 'ae-omar-haddad' },
      }),
    })
    expect(refusal.status).toBe(422)
    const { page, problems } = await pageOf('sdr-ana-lopez')
    await openView(page, `#/leads/${leadId}`, 'lead-clocks', 'lead-refusal')
    await page.getByRole('combobox', { name: /^Transition/ }).selectOption('sql.promoted')
    await page.getByLabel('Payload (JSON)').fill('{ "aeId": "ae-omar-haddad" }')
    await page.getByRole('button', { name: 'Submit transition', exact: true }).click()
    const outcome = page.getByTestId('transition-outcome')
    await outcome.waitFor()
    expect(await outcome.textContent()).toBe(
      `Transition refused (rule ${refusal.rule}): ${refusal.detail}`,
    )
    expect(await outcome.getAttribute('role')).toBe('alert')
    await page.screenshot({ path: join(ARTIFACTS, 'lead-refused.png'), fullPage: true })
    const after = await apiAs<{ timeline: unknown[] }>('sdr-ana-lopez', `/leads/${leadId}`)
    expect(after.timeline.length).toBe(before.timeline.length)
    expect(problems).toEqual([])
  })

  it('lets a manager record a formal breach’s action in one click and sees the breach close', async () => {
    type Open = {
      escalations: {
        stepKey: string
        leadId: string
        record: { title: string; managerActions: string[] }
      }[]
    }
    const open = await apiAs<Open>('mgr-carla-reyes', '/escalations?open=true&limit=500')
    const { page, problems } = await pageOf('mgr-carla-reyes')
    await openView(page, '#/manager', 'open-breaches', 'manager')
    const table = page.getByTestId('open-breaches')
    expect(await table.locator('caption').textContent()).toBe(
      `Waiting for a documented action (${open.escalations.length})`,
    )
    const queue = await apiAs<{ clocks: { clock: { status: string } }[] }>(
      'mgr-carla-reyes',
      '/clocks?limit=200',
    )
    expect(await page.getByTestId('team-breached').textContent()).toBe(
      String(queue.clocks.filter((row) => row.clock.status === 'breached').length),
    )
    expect(await seriousViolations(page)).toEqual([])
    const formal = open.escalations.find((row) => row.record.managerActions.length > 0)
    expect(formal).toBeDefined()
    if (formal === undefined) {
      return
    }
    const form = page.getByRole('form', {
      name: `Act on ${formal.record.title} of ${formal.leadId}`,
      exact: true,
    })
    await form.getByRole('textbox', { name: 'Note' }).fill('Coached on the Tier 1 response window.')
    await form.getByRole('button', { name: 'Record action' }).click()
    await expect
      .poll(() => table.locator('caption').textContent())
      .toBe(`Waiting for a documented action (${open.escalations.length - 1})`)
    const still = await apiAs<Open>('mgr-carla-reyes', '/escalations?open=true&limit=500')
    const closed = open.escalations.filter(
      (row) => !still.escalations.some((left) => left.stepKey === row.stepKey),
    )
    expect(closed.map((row) => row.leadId)).toEqual([formal.leadId])
    const lead = await apiAs<{ firedEscalations: { stepKey: string; resolution: unknown }[] }>(
      'mgr-carla-reyes',
      `/leads/${formal.leadId}`,
    )
    expect(
      lead.firedEscalations.find((step) => step.stepKey === closed[0]?.stepKey)?.resolution,
    ).toMatchObject({
      action: formal.record.managerActions[0],
      note: 'Coached on the Tier 1 response window.',
    })
    await page.screenshot({ path: join(ARTIFACTS, 'manager-after-action.png'), fullPage: true })
    expect(problems).toEqual([])
  })

  it('shows leadership the compliance per SLA item and the funnel of /reports/metrics', async () => {
    const report = await apiAs<{
      slaCompliance: { items: unknown[]; overall: { value: number | null } }
      cohort: { mql: number; sal: number; sql: number; opportunity: number }
    }>('vp-grace-okafor', '/reports/metrics')
    const { page, problems } = await pageOf('vp-grace-okafor')
    await openView(page, '#/reports', 'compliance', 'reports')
    const { value } = report.slaCompliance.overall
    expect(await page.getByTestId('overall-compliance').textContent()).toBe(
      value === null ? '—' : `${value.toFixed(1)} %`,
    )
    expect(await page.getByTestId('compliance').locator('caption').textContent()).toBe(
      `SLA items (${report.slaCompliance.items.length})`,
    )
    const { mql, sal, sql, opportunity } = report.cohort
    expect(await page.getByTestId('funnel-counts').textContent()).toBe(
      `MQL ${mql} → SAL ${sal} → SQL ${sql} → Opportunity ${opportunity}`,
    )
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  })
  it('shows a rep their compliance this week as /reports/metrics/mine counts it', async () => {
    const { page, problems } = await pageOf('sdr-ana-lopez')
    await openView(page, '#/rep', 'my-compliance-items', 'rep-compliance')
    // This week starts on Monday 00:00 in the browser's zone, as the view computes it.
    const monday = await page.evaluate(() => {
      const day = new Date()
      day.setHours(0, 0, 0, 0)
      day.setDate(day.getDate() - ((day.getDay() + 6) % 7))
      return day.toISOString()
    })
    const mine = await apiAs<{
      slaCompliance: {
        overall: { value: number | null }
        items: { denominator: number }[]
      }
    }>('sdr-ana-lopez', `/reports/metrics/mine?from=${encodeURIComponent(monday)}`)
    const { value } = mine.slaCompliance.overall
    expect(await page.getByTestId('my-compliance').textContent()).toBe(
      value === null ? '—' : `${value.toFixed(1)} %`,
    )
    expect(await page.getByTestId('my-compliance-items').locator('caption').textContent()).toBe(
      `My SLA items this week (${mine.slaCompliance.items.filter((item) => item.denominator > 0).length})`,
    )
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  })

  it('shows a manager the AE-acceptance backlog and the team’s availability, and reassigns from it', async () => {
    const { clocks: backlog } = await apiAs<{ clocks: { leadId: string }[] }>(
      'mgr-david-chen',
      '/clocks?item=ae-sql-acceptance&limit=200',
    )
    const team = await apiAs<{
      people: { personId: string; role: string; availability: string }[]
    }>('mgr-david-chen', '/team')
    const { page, problems } = await pageOf('mgr-david-chen')
    await openView(page, '#/manager', 'team-status', 'manager-backlog')
    await page.getByTestId('ae-backlog').waitFor()
    expect(await page.getByTestId('ae-backlog-count').textContent()).toBe(String(backlog.length))
    expect(await page.getByTestId('team-status').locator('caption').textContent()).toBe(
      `Team availability (${team.people.length})`,
    )
    expect(await page.getByTestId('team-away').textContent()).toBe(
      String(team.people.filter((person) => person.availability === 'out of office').length),
    )
    expect(await page.getByTestId('team-at-capacity').textContent()).toBe(
      String(team.people.filter((person) => person.availability === 'at capacity').length),
    )
    expect(await seriousViolations(page)).toEqual([])
    const first = backlog[0]
    if (first !== undefined) {
      const before = await apiAs<{ lead: { ownerId: string } }>(
        'mgr-david-chen',
        `/leads/${first.leadId}`,
      )
      const to = team.people.find(
        (person) => person.role === 'ae' && person.personId !== before.lead.ownerId,
      )
      const form = page.getByRole('form', { name: `Reassign ${first.leadId}` }).first()
      await form.getByRole('combobox').selectOption(to?.personId ?? '')
      await form.getByRole('textbox', { name: 'Reason' }).fill('Balancing the AE backlog.')
      await form.getByRole('button', { name: 'Reassign' }).click()
      await expect
        .poll(
          async () =>
            (await apiAs<{ lead: { ownerId: string } }>('mgr-david-chen', `/leads/${first.leadId}`))
              .lead.ownerId,
        )
        .toBe(to?.personId)
    }
    expect(problems).toEqual([])
  })

  it('shows revops compliance, routing, deliveries and the policy version as the API gives them', async () => {
    const report = await apiAs<{
      slaCompliance: { items: unknown[]; overall: { value: number | null } }
    }>('revops-mei-tanaka', '/reports/metrics')
    const routing = await apiAs<{
      routed: number
      exceptions: number
      exceptionDecisions: unknown[]
      byRule: Record<string, number>
    }>('revops-mei-tanaka', '/reports/routing')
    const deliveries = await apiAs<{ deliveries: { state: string }[] }>(
      'revops-mei-tanaka',
      '/notifications?limit=500',
    )
    const policy = await apiAs<{ version: string }>('revops-mei-tanaka', '/policy')
    const { page, problems } = await pageOf('revops-mei-tanaka')
    await openView(page, '#/revops', 'revops-compliance', 'revops')
    const { value } = report.slaCompliance.overall
    expect(await page.getByTestId('revops-overall').textContent()).toBe(
      value === null ? '—' : `${value.toFixed(1)} %`,
    )
    expect(await page.getByTestId('revops-compliance').locator('caption').textContent()).toBe(
      `Compliance per SLA item (${report.slaCompliance.items.length})`,
    )
    await page.getByTestId('routing-rules').waitFor()
    expect(await page.getByTestId('routing-summary').textContent()).toMatch(
      new RegExp(`^${routing.routed} decisions in 30 days: ${routing.exceptions} exceptions`),
    )
    expect(await page.getByTestId('routing-rules').locator('caption').textContent()).toBe(
      `Decisions by rule (${Object.keys(routing.byRule).length})`,
    )
    expect(await page.getByTestId('routing-exceptions').locator('caption').textContent()).toBe(
      `Routing exceptions (${routing.exceptionDecisions.length})`,
    )
    await page.getByTestId('deliveries').waitFor()
    expect(await page.getByTestId('dead-count').textContent()).toBe(
      String(deliveries.deliveries.filter((delivery) => delivery.state === 'dead').length),
    )
    await page.getByTestId('policy-versions').waitFor()
    expect(await page.getByTestId('policy-version').textContent()).toBe(policy.version)
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  })

  it('shows leadership the north star, the funnel to Won, the trends and the contact curve', async () => {
    const report = await apiAs<{
      mqlToOpportunity: { value: number | null }
      cohort: { mql: number; sal: number; sql: number; opportunity: number; won: number }
      contactByResponseTime: unknown[]
    }>('vp-grace-okafor', '/reports/metrics')
    const trend = await apiAs<{ weeks: unknown[] }>('vp-grace-okafor', '/reports/metrics/trends')
    const { page, problems } = await pageOf('vp-grace-okafor')
    await openView(page, '#/leadership', 'north-star', 'leadership')
    const { value } = report.mqlToOpportunity
    expect(await page.getByTestId('north-star').textContent()).toBe(
      value === null ? '—' : `${value.toFixed(1)} %`,
    )
    const { mql, sal, sql, opportunity, won } = report.cohort
    expect(await page.getByTestId('leadership-funnel').textContent()).toBe(
      `MQL ${mql} → SAL ${sal} → SQL ${sql} → Opportunity ${opportunity} → Won ${won}`,
    )
    expect(await page.getByTestId('contact-curve').locator('caption').textContent()).toBe(
      `Contact rate per response band (${report.contactByResponseTime.length})`,
    )
    await page.getByTestId('trend-weeks').waitFor()
    expect(await page.getByTestId('trend-weeks').textContent()).toMatch(
      new RegExp(`^${trend.weeks.length} weeks, new MQLs:`),
    )
    expect(await page.getByTestId('trend-chart').locator('svg').count()).toBe(1)
    expect(await seriousViolations(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
