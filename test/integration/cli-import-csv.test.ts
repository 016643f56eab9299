/**
 * `leadclock import FILE.csv --mapping MAPPING.yaml` as a user runs it (a child process, so the
 * exit code is the process's own), with the example mapping shipped in mappings/: a spreadsheet's
 * byte order mark, CRLF, a quoted line break and trailing empty lines are read; every refused row
 * is told with its physical line and column and written to *.rejects.csv; the rest imports; a
 * second import of the same file records nothing.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Database } from '../../src/store/create-database.js'
import type { CliStore } from './cli-process.js'
import { cliStore, leadclock, REPO_ROOT } from './cli-process.js'
import { DIALECTS } from './dialects.js'

const MAPPING = join(REPO_ROOT, 'mappings', 'activity-log.example.yaml')

const HEADER =
  'Activity ID,Record ID,Activity,Activity Date,First Name,Last Name,Email,Phone,Company,Employees,Country,Time Zone,Lead Score,Form,Owner,Outcome,Rejection Code,Notes'

/** Physical lines 2…12 of the export (line 1 is the header). */
const ROWS = [
  'A-1,C-2001,created,2026-03-02 09:14,Dana,Reyes,dana.reyes@example.com,+1 212 555 0142,Example Software,200,United States,America/New_York,72,demo_form,,,,',
  'A-2,C-2001,form,2026-03-02 09:15,,,,,,,,,,pricing_form,,,,',
  'A-3,C-2001,assigned,2026-03-02 09:16,,,,,,,,,,,Ana Lopez,,,',
  'A-4,C-2001,call,2026-03-02 09:20,,,,,,,,,,,Ana Lopez,Voicemail,,"Left a voicemail;\r\nasked for a call back"',
  '',
  'A-5,C-2002,created,2026-13-45 09:00,Sam,Okafor,sam.okafor@example.org,+1 416 555 0199,Example Freight,40,Canada,America/Toronto,35,pricing_form,,,,',
  'A-6,C-2002,assigned,2026-03-02 10:03,,,,,,,,,,,Nobody Known,,,',
  ',C-2003,call,2026-03-02 10:30,,,,,,,,,,,Jake Turner,Busy,,"two\r\nlines"',
  'A-8,,email,2026-03-02 10:31,,,,,,,,,,,Jake Turner,Sent,,',
  'A-9,C-2004,created,2026-03-02 11:00,Lee,Park,lee.park@example.net,+1 212 555 0188,Example Labs,15,Canada,,,demo_form,,,,',
]

/** What the bad rows are refused for, told as `leadclock import` tells them. */
const REFUSALS = [
  'line 8, column "Activity Date": "2026-13-45 09:00" does not match the format "yyyy-MM-dd HH:mm"',
  'line 9, column "Owner": "Nobody Known" is not in the mapping\'s map; mapped: Ana Lopez, Jake Turner',
  'line 10, column "Outcome": "Busy" is not in the mapping\'s map; mapped: Connected, Voicemail, Sent',
  'line 12, column "Record ID": is empty; every row needs its lead id',
]

for (const dialect of DIALECTS) {
  describe(`leadclock import of a CSV export on ${dialect}`, { timeout: 240_000 }, () => {
    let store: CliStore
    let dir: string
    let env: NodeJS.ProcessEnv
    let storeArgs: string[]
    const openStore = (): Promise<Database> => store.openStore()

    beforeAll(async () => {
      store = await cliStore(dialect, 'cli-import-csv')
      ;({ dir, env, storeArgs } = store)
    })
    afterAll(() => store.remove())

    it('imports the good rows, refuses each bad row whole with its line and column, writes the rejects, exits 1; again, records nothing', async () => {
      const file = join(dir, 'activity-log.csv')
      await writeFile(file, `\uFEFF${[HEADER, ...ROWS].join('\r\n')}\r\n\r\n\r\n`)
      const rejects = join(dir, 'activity-log.rejects.csv')

      const first = await leadclock(['import', file, '--mapping', MAPPING, ...storeArgs], env)
      expect(first).toEqual({
        code: 1,
        stdout: [
          `${file}: 13 lines — 5 events recorded, 0 duplicates ignored, 4 invalid (refused rows are in ${rejects})`,
        ],
        stderr: REFUSALS.map((refusal) => `  ${refusal}`),
      })
      expect(await readFile(rejects, 'utf8')).toBe(
        [
          `${HEADER},reason`,
          `${ROWS[5]},"${REFUSALS[0]?.replace(/"/g, '""')}"`,
          `${ROWS[6]},"${REFUSALS[1]?.replace(/"/g, '""')}"`,
          `${ROWS[7]?.replace('\r\n', '\n')},"${REFUSALS[2]?.replace(/"/g, '""')}"`,
          `${ROWS[8]},"${REFUSALS[3]?.replace(/"/g, '""')}"`,
          '',
        ].join('\n'),
      )

      const second = await leadclock(['import', file, '--mapping', MAPPING, ...storeArgs], env)
      expect(second.code).toBe(1)
      expect(second.stdout).toEqual([
        `${file}: 13 lines — 0 events recorded, 5 duplicates ignored, 4 invalid (refused rows are in ${rejects})`,
      ])

      const database = await openStore()
      try {
        const stored = await database.db
          .selectFrom('lead_events')
          .select(['lead_id', 'type', 'source'])
          .orderBy('occurred_at')
          .execute()
        expect(stored).toEqual([
          { lead_id: 'C-2001', type: 'lead.created', source: 'crm-activity-log' },
          { lead_id: 'C-2001', type: 'intent.recorded', source: 'crm-activity-log' },
          { lead_id: 'C-2001', type: 'owner.assigned', source: 'crm-activity-log' },
          { lead_id: 'C-2001', type: 'activity.logged', source: 'crm-activity-log' },
          { lead_id: 'C-2004', type: 'lead.created', source: 'crm-activity-log' },
        ])
      } finally {
        await database.close()
      }
    })

    it('shows progress with lines per second and the time left; no rejects file when no row is refused', async () => {
      const file = join(dir, 'many.csv')
      const rows = Array.from(
        { length: 6000 },
        (_, index) =>
          `A-${index},C-${index},created,2026-03-02 09:14,,,lead${index}@example.com,,,,,,,demo_form,,,,`,
      )
      await writeFile(file, `${[HEADER, ...rows].join('\n')}\n`)
      const staleRejects = join(dir, 'many.rejects.csv')
      await writeFile(staleRejects, `${HEADER},reason\n`)
      const run = await leadclock(['import', file, '--mapping', MAPPING, ...storeArgs], env)
      expect(run.stdout).toEqual([
        `${file}: 6001 lines — 6000 events recorded, 0 duplicates ignored, 0 invalid`,
      ])
      // A line every 5,000 units, and one every 2 seconds between (a slow machine shows more).
      expect(run.stderr).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^ {2}… 5001 lines \(5000 new, 0 duplicates, 0 invalid\), [1-9]\d* lines\/s, \d+s left$/,
          ),
          // Then each of the 6,000 leads is derived once.
          expect.stringMatching(
            /^ {2}… 5000\/6000 leads \(derived: state, clocks, timers\), [1-9]\d* leads\/s, \d+s left$/,
          ),
        ]),
      )
      for (const line of run.stderr) {
        expect(line).toMatch(
          /^ {2}… (\d+ lines \(\d+ new, 0 duplicates, 0 invalid\)|\d+\/6000 leads \(derived: state, clocks, timers\)), \d+ (lines|leads)\/s, \d+s left$/,
        )
      }
      expect(run.code).toBe(0)
      // No row refused: the rejects of an earlier import are gone.
      await expect(readFile(staleRejects, 'utf8')).rejects.toThrow(/ENOENT/)
    })

    it('asks for a mapping when --format csv names the file a CSV', async () => {
      const file = join(dir, 'export.txt')
      await writeFile(file, `${HEADER}\n`)
      const run = await leadclock(['import', file, '--format', 'csv', ...storeArgs], env)
      expect(run).toEqual({
        code: 1,
        stdout: [],
        stderr: [
          `leadclock: cannot import ${file}: a CSV file needs --mapping MAPPING.yaml (see mappings/)`,
        ],
      })
    })

    it('refuses a mapping naming a column the header lacks, before reading any row', async () => {
      const file = join(dir, 'renamed.csv')
      await writeFile(file, `${HEADER.replace('Record ID', 'Contact ID')}\n${ROWS[0] ?? ''}\n`)
      const run = await leadclock(['import', file, '--mapping', MAPPING, ...storeArgs], env)
      const mappingLine =
        (await readFile(MAPPING, 'utf8'))
          .split('\n')
          .findIndex((line) => line.startsWith('leadId:')) + 1
      expect(run).toEqual({
        code: 1,
        stdout: [],
        stderr: [
          `${MAPPING}:${mappingLine}:19 leadId.column: column "Record ID" is not in the CSV header; the header has: ${HEADER.replace('Record ID', 'Contact ID').split(',').join(', ')}`,
        ],
      })
    })
  })
}
