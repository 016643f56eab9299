/**
 * `leadclock import` of CRM exports exactly as HubSpot and Salesforce write them (fixtures in
 * fixtures/crm-exports/, written from the vendors' documented formats), with the default
 * mappings of connectors/: the format read from each header, the files imported leads first
 * whatever order they are given in, HubSpot times read in the portal's zone (--time-zone),
 * owners from --owners, a Salesforce contact, opportunity, task or event of a converted lead on
 * that lead. Every refused row is told with its physical line, column and reason; exit code 1;
 * importing the same files again records nothing.
 */
import { existsSync } from 'node:fs'
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { CliStore } from './cli-process.js'
import { cliStore, leadclock, REPO_ROOT } from './cli-process.js'
import { DIALECTS, removeDir, tempDir } from './dialects.js'

const FIXTURES = join(REPO_ROOT, 'test', 'integration', 'fixtures', 'crm-exports')

/** One stored event as `lead  instant  type  detail`, the detail the fields that tell it apart. */
function described(row: {
  lead_id: string
  type: string
  occurred_at: unknown
  actor: unknown
  payload: unknown
}): string {
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as
    Record<string, unknown> | undefined
  const actor = (typeof row.actor === 'string' ? JSON.parse(row.actor) : row.actor) as {
    id?: string
  } | null
  const detail = [
    payload?.source,
    payload?.ownerId,
    payload?.action,
    payload?.activityType,
    payload?.outcome,
    payload?.acv,
    ...[payload?.closeDate, payload?.meetingAt]
      .filter((instant) => instant !== undefined)
      .map((instant) => new Date(Number(instant)).toISOString()),
    payload?.reason,
    actor?.id,
  ]
    .filter((part) => part !== undefined)
    .map(String)
  return [row.lead_id, new Date(Number(row.occurred_at)).toISOString(), row.type, ...detail].join(
    ' ',
  )
}

async function storedEvents(store: CliStore): Promise<string[]> {
  const database = await store.openStore()
  try {
    const rows = await database.db
      .selectFrom('lead_events')
      .select(['lead_id', 'type', 'occurred_at', 'actor', 'payload'])
      .execute()
    return rows.map(described).sort()
  } finally {
    await database.close()
  }
}

const HUBSPOT_EVENTS = [
  // 2026-03-02 09:14 in New York (EST, before the 8 March change) is 14:14 UTC.
  'hubspot-contact-51001 2026-03-02T14:14:00.000Z lead.created hubspot-organic-search',
  'hubspot-contact-51001 2026-03-02T14:15:00.000Z intent.recorded contact-sales',
  'hubspot-contact-51001 2026-03-02T14:20:00.000Z owner.assigned sdr-ana-lopez owner in the HubSpot export',
  'hubspot-contact-51001 2026-03-02T14:25:00.000Z activity.logged call voicemail sdr-ana-lopez',
  'hubspot-contact-51001 2026-03-02T14:40:00.000Z activity.logged blank-task',
  'hubspot-contact-51001 2026-03-02T14:40:00.000Z activity.logged email sent sdr-ana-lopez',
  'hubspot-contact-51001 2026-03-03T16:00:00.000Z sal.accepted',
  // 2026-03-10 09:00 in New York (EDT) is 13:00 UTC; the deal lands on its first contact.
  'hubspot-contact-51001 2026-03-10T13:00:00.000Z opportunity.created 12000 ae-omar-haddad',
  'hubspot-contact-51002 2026-03-04T15:02:00.000Z lead.created hubspot-paid-social',
  'hubspot-contact-51002 2026-03-04T15:03:00.000Z intent.recorded contact-sales',
  'hubspot-contact-51002 2026-03-04T15:05:00.000Z owner.assigned sdr-jake-turner owner in the HubSpot export',
  'hubspot-contact-51002 2026-03-05T20:30:00.000Z activity.logged blank-task',
  'hubspot-contact-51002 2026-03-05T20:30:00.000Z activity.logged meeting held sdr-jake-turner',
  'hubspot-contact-51002 2026-03-05T20:30:00.000Z sal.accepted',
  'hubspot-contact-51002 2026-03-09T18:00:00.000Z opportunity.created 48000 ae-omar-haddad',
  'hubspot-contact-51002 2026-03-20T20:00:00.000Z opportunity.closed won ae-omar-haddad',
  'hubspot-contact-51003 2026-03-05T21:45:00.000Z lead.created hubspot-direct-traffic',
]

const SALESFORCE_EVENTS = [
  // The contact converted from lead AAA, its opportunity, task and meeting are the lead's.
  'salesforce-contact-0035f000001ConBBB 2026-03-05T08:00:00.000Z lead.created salesforce-partner-referral',
  'salesforce-contact-0035f000001ConBBB 2026-03-05T08:00:00.000Z owner.assigned sdr-ana-lopez owner in the Salesforce export',
  'salesforce-contact-0035f000001ConBBB 2026-03-12T13:00:00.000Z opportunity.created 9000 2026-05-29T00:00:00.000Z ae-omar-haddad',
  'salesforce-lead-00Q5f000001LeadAAA 2026-03-02T14:14:00.000Z lead.created salesforce-web',
  'salesforce-lead-00Q5f000001LeadAAA 2026-03-02T14:14:00.000Z owner.assigned sdr-ana-lopez owner in the Salesforce export',
  'salesforce-lead-00Q5f000001LeadAAA 2026-03-02T14:30:00.000Z activity.logged call sdr-ana-lopez',
  'salesforce-lead-00Q5f000001LeadAAA 2026-03-02T14:35:00.000Z meeting.booked 2026-03-04T15:00:00.000Z sdr-ana-lopez',
  'salesforce-lead-00Q5f000001LeadAAA 2026-03-06T16:00:00.000Z opportunity.created 36000 2026-03-27T00:00:00.000Z ae-omar-haddad',
  'salesforce-lead-00Q5f000001LeadAAA 2026-03-07T10:00:00.000Z activity.logged email ae-omar-haddad',
  'salesforce-lead-00Q5f000001LeadAAA 2026-03-27T00:00:00.000Z opportunity.closed won ae-omar-haddad',
  'salesforce-lead-00Q5f000001LeadBBB 2026-03-03T10:00:00.000Z lead.created salesforce-purchased-list',
  'salesforce-lead-00Q5f000001LeadBBB 2026-03-03T10:00:00.000Z owner.assigned sdr-jake-turner owner in the Salesforce export',
  'salesforce-lead-00Q5f000001LeadBBB 2026-03-10T12:00:00.000Z lead.disqualified Salesforce lead status Closed - Not Converted',
  // A LeadSource a standard org does not have is kept as written; a queue owns no lead.
  'salesforce-lead-00Q5f000001LeadCCC 2026-03-04T08:30:00.000Z lead.created Trade Show',
]

/**
 * The dialects' stores are independent, so their child processes run side by side; the tests of
 * one dialect build on one store, in order (`it.sequential`).
 */
const BESIDE_THE_OTHER_DIALECT = { timeout: 300_000, concurrent: true }

for (const dialect of DIALECTS) {
  describe(`leadclock import of CRM exports on ${dialect}`, BESIDE_THE_OTHER_DIALECT, () => {
    let store: CliStore
    let dir: string
    let env: NodeJS.ProcessEnv
    let storeArgs: string[]

    beforeAll(async () => {
      store = await cliStore(dialect, 'cli-import-crm')
      ;({ dir, env, storeArgs } = store)
      for (const name of await readdir(FIXTURES)) {
        await copyFile(join(FIXTURES, name), join(dir, name))
      }
    })
    afterAll(() => store.remove())

    it.sequential(
      'imports a HubSpot portal’s contacts, deals and activities in the portal’s zone, leads first; refuses each bad row with its line, column and reason; again, records nothing',
      async () => {
        const files = ['activities', 'deals', 'contacts'].map((name) =>
          join(dir, `hubspot-${name}.csv`),
        )
        const [activities, deals, contacts] = files
        const args = [
          'import',
          ...files,
          '--time-zone',
          'America/New_York',
          '--owners',
          join(dir, 'hubspot-owners.yaml'),
          ...storeArgs,
        ]
        const rejectsOf = (file = ''): string => file.replace(/\.csv$/, '.rejects.csv')

        const first = await leadclock(args, env)
        expect(first).toEqual({
          code: 1,
          stdout: [
            `${contacts} (hubspot-contacts): 10 lines — 11 events recorded, 0 duplicates ignored, 4 invalid (refused rows are in ${rejectsOf(contacts)})`,
            `${deals} (hubspot-deals): 4 lines — 3 events recorded, 0 duplicates ignored, 1 invalid (refused rows are in ${rejectsOf(deals)})`,
            `${activities} (hubspot-activities): 8 lines — 3 events recorded, 0 duplicates ignored, 2 invalid (refused rows are in ${rejectsOf(activities)})`,
          ],
          stderr: [
            '  line 7, column "Create Date": "03/06/2026 09:00" does not match the format "yyyy-MM-dd HH:mm"',
            '  line 8, column "Lifecycle Stage": "Prospect" is not in the mapping\'s map lifecycleStages; mapped: Subscriber, Lead, Marketing Qualified Lead, Sales Qualified Lead, Opportunity, Customer, Evangelist, Other',
            '  line 9, column "Record ID": is empty; every row needs its lead id',
            '  line 10, column "Contact owner": "Chris Unknown" is not in the mapping\'s map owners; mapped: Ana Lopez, Jake Turner, Omar Haddad',
            '  line 4, column "Deal Stage": "Verbal commit" is not in the mapping\'s map dealStages; mapped: Appointment scheduled, Qualified to buy, Presentation scheduled, Decision maker bought-in, Contract sent, Closed won, Closed lost',
            '  line 7, column "Call outcome": "Busy signal" is not in the mapping\'s map callOutcomes; mapped: Connected, Left live message, Left voicemail, No answer, Busy, Wrong number',
            '  line 8, column "Associated Contact IDs": is empty; every row needs its lead id',
          ],
        })
        expect(await storedEvents(store)).toEqual(HUBSPOT_EVENTS)
        const contactRejects = (await readFile(rejectsOf(contacts), 'utf8')).split('\n')
        expect(contactRejects.map((line) => line.slice(0, 6))).toEqual([
          'Record',
          '51004,',
          '51005,',
          ',Kim,I',
          '51007,',
          '',
        ])
        expect(
          contactRejects[1]?.endsWith(
            ',"line 7, column ""Create Date"": ""03/06/2026 09:00"" does not match the format ""yyyy-MM-dd HH:mm"""',
          ),
        ).toBe(true)

        const second = await leadclock(args, env)
        expect(second.code).toBe(1)
        expect(second.stdout).toEqual([
          `${contacts} (hubspot-contacts): 10 lines — 0 events recorded, 11 duplicates ignored, 4 invalid (refused rows are in ${rejectsOf(contacts)})`,
          `${deals} (hubspot-deals): 4 lines — 0 events recorded, 3 duplicates ignored, 1 invalid (refused rows are in ${rejectsOf(deals)})`,
          `${activities} (hubspot-activities): 8 lines — 0 events recorded, 3 duplicates ignored, 2 invalid (refused rows are in ${rejectsOf(activities)})`,
        ])
        expect(await storedEvents(store)).toEqual(HUBSPOT_EVENTS)
      },
    )

    it.sequential(
      'imports a Salesforce org’s Lead, Contact, Opportunity, Task and Event exports, a converted lead’s records on the lead; refuses each bad row; again, records nothing',
      async () => {
        const names = ['task', 'event', 'opportunity', 'contact', 'lead']
        const files = names.map((name) => join(dir, `salesforce-${name}.csv`))
        const [task, event, opportunity, contact, lead] = files
        const args = [
          'import',
          ...files,
          '--owners',
          join(dir, 'salesforce-owners.yaml'),
          ...storeArgs,
        ]
        const before = await storedEvents(store)

        const first = await leadclock(args, env)
        expect(first).toEqual({
          code: 1,
          stdout: [
            `${lead} (salesforce-lead): 6 lines — 6 events recorded, 0 duplicates ignored, 2 invalid (refused rows are in ${lead?.replace('.csv', '.rejects.csv')})`,
            `${contact} (salesforce-contact): 3 lines — 2 events recorded, 0 duplicates ignored, 0 invalid`,
            `${opportunity} (salesforce-opportunity): 4 lines — 3 events recorded, 0 duplicates ignored, 1 invalid (refused rows are in ${opportunity?.replace('.csv', '.rejects.csv')})`,
            `${task} (salesforce-task): 6 lines — 2 events recorded, 0 duplicates ignored, 1 invalid (refused rows are in ${task?.replace('.csv', '.rejects.csv')})`,
            `${event} (salesforce-event): 3 lines — 1 events recorded, 0 duplicates ignored, 1 invalid (refused rows are in ${event?.replace('.csv', '.rejects.csv')})`,
          ],
          stderr: [
            '  line 5, column "CreatedDate": "2026-03-04 09:00" is not an instant; send ISO 8601 with an offset (2026-03-03T14:00:00Z, 2026-03-03T09:00:00-05:00) or milliseconds since 1970 (1772546400000)',
            '  line 6, column "Status": "Nurture" is not in the mapping\'s map statuses; mapped: Open - Not Contacted, Working - Contacted, Closed - Converted, Closed - Not Converted',
            '  line 4, column "StageName": "Verbal" is not in the mapping\'s map stages; mapped: Prospecting, Qualification, Needs Analysis, Value Proposition, Id. Decision Makers, Perception Analysis, Proposal/Price Quote, Negotiation/Review, Closed Won, Closed Lost',
            '  line 6, column "WhoId": is empty; every row needs its lead id',
            '  line 3, column "WhoId": "0015f000001AccAAA" is not the id of a record a lead can be (ids starting 00Q, 003)',
          ],
        })
        const added = (await storedEvents(store)).filter((event) => !before.includes(event))
        expect(added).toEqual(SALESFORCE_EVENTS)

        const second = await leadclock(args, env)
        expect(second.code).toBe(1)
        expect(second.stdout.map((line) => /: (\d+ lines — .*?ignored)/.exec(line)?.[1])).toEqual([
          '6 lines — 0 events recorded, 6 duplicates ignored',
          '3 lines — 0 events recorded, 2 duplicates ignored',
          '4 lines — 0 events recorded, 3 duplicates ignored',
          '6 lines — 0 events recorded, 2 duplicates ignored',
          '3 lines — 0 events recorded, 1 duplicates ignored',
        ])
        expect((await storedEvents(store)).filter((event) => !before.includes(event))).toEqual(
          SALESFORCE_EVENTS,
        )
      },
    )
  })
}

describe(
  'leadclock import of CRM exports refuses before it opens the store',
  { timeout: 120_000 },
  () => {
    let dir: string
    let dataDir: string
    beforeAll(async () => {
      dir = await tempDir('cli-import-crm-refused')
      dataDir = join(dir, 'data')
    })
    afterAll(() => removeDir(dir))

    const contacts = join(FIXTURES, 'hubspot-contacts.csv')
    const importing = (...args: string[]) =>
      leadclock(['import', ...args, '--data-dir', dataDir], { DATABASE_URL: '' })

    it('a HubSpot export without --time-zone, or with one that is no IANA zone', async () => {
      expect(await importing(contacts)).toEqual({
        code: 1,
        stdout: [],
        stderr: [
          `leadclock: cannot import ${contacts}: hubspot-contacts times are written in the CRM's own time zone, which the file does not say; give it with --time-zone Area/City (e.g. --time-zone America/New_York)`,
        ],
      })
      expect(await importing(contacts, '--time-zone', 'EST5')).toEqual({
        code: 1,
        stdout: [],
        stderr: [
          'leadclock: --time-zone "EST5" is not an IANA time zone (Area/City, e.g. America/New_York, Europe/Berlin)',
        ],
      })
      expect(existsSync(dataDir)).toBe(false)
    })

    it('a file whose format its header does not tell, listing the formats', async () => {
      const file = join(dir, 'pipeline.csv')
      await writeFile(file, 'Opportunity,Stage\nExample,Won\n')
      expect(await importing(contacts, file, '--time-zone', 'America/New_York')).toEqual({
        code: 1,
        stdout: [],
        stderr: [
          `leadclock: cannot import ${file}: its header is not that of a known export; give --format (hubspot-contacts, hubspot-deals, hubspot-activities, salesforce-lead, salesforce-contact, salesforce-opportunity, salesforce-task, salesforce-event, csv (with --mapping), jsonl)`,
        ],
      })
      expect(existsSync(dataDir)).toBe(false)
    })
  },
)
