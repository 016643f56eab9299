import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { defaultMappingPath } from '../connectors/export-formats.js'
import { defaultHubspotMappingPath } from '../connectors/hubspot/hubspot-intake.js'
import { defaultSalesforceMappingPath } from '../connectors/salesforce/salesforce-intake.js'
import type { CliOutput } from './cli-output.js'
import { printConnectors } from './connector-commands.js'

async function run(env: NodeJS.ProcessEnv) {
  const captured = { out: [] as string[], err: [] as string[], exitCode: 0 }
  const output: CliOutput = {
    print: (line) => captured.out.push(line),
    error: (line) => captured.err.push(line),
    exitCode: (code) => {
      captured.exitCode = code
    },
  }
  await printConnectors(env, output)
  return captured
}

const SALESFORCE_RULES = [
  '  Lead UPDATE of those fields → lead.updated',
  '  Lead UPDATE Status = Working - Contacted → activity.logged {"activityType":"status-change","outcome":"connected"}',
  '  Lead UPDATE Status = Closed - Not Converted → lead.disqualified {"reason":"Salesforce lead status Closed - Not Converted"}',
  '  Lead UPDATE IsConverted with a ConvertedOpportunityId → opportunity.created',
  '  Task CREATE or UPDATE into Completed, WhoId a lead (00Q…) → activity.logged of that lead',
]
const SALESFORCE_REST =
  '  GAP_* events → needs-refetch (logged); anything else (other statuses, open tasks, DELETE, other objects) → acknowledged and ignored'
const salesforceCreation = (source: string) =>
  `  Lead CREATE → lead.created (lead id salesforce-lead-<recordId>, profile from Name, Email, Phone, Company, Title, Industry, Address.CountryCode; source ${source} unless LeadSource is mapped)`

const OWNERS = '    owners: 0 mapped (--owners FILE gives them); an owner not listed is refused'
const SALESFORCE_PEOPLE = 'salesforce-lead-<id> for 00Q…, salesforce-contact-<id> for 003…'
/** The default mappings of CRM exports, whatever the webhook mappings in use. */
const CRM_EXPORTS = [
  'CRM exports (leadclock import FILE…: format from the header row; --mapping FILE replaces a default):',
  `  hubspot-contacts: ${defaultMappingPath('hubspot-contacts')}`,
  '    lead: Record ID (lead id hubspot-contact-<id>)',
  '    Create Date → lead.created',
  '    Create Date → Lifecycle Stage labels checked, no event',
  '    Create Date → Lead Status labels checked, no event',
  '    Owner Assigned Date → owner.assigned when Contact owner matches .',
  '    Became a Marketing Qualified Lead Date → intent.recorded',
  '    Became a Sales Qualified Lead Date → sal.accepted',
  '    Last Contacted → activity.logged',
  OWNERS,
  `  hubspot-deals: ${defaultMappingPath('hubspot-deals')}`,
  '    lead: Associated Contact IDs (lead id hubspot-contact-<id>)',
  '    Create Date → opportunity.created',
  '    Close Date → Deal Stage Closed won → opportunity.closed, Closed lost → opportunity.closed, other labels no event',
  OWNERS,
  `  hubspot-activities: ${defaultMappingPath('hubspot-activities')}`,
  '    lead: Associated Contact IDs (lead id hubspot-contact-<id>)',
  '    Activity date → activity.logged when Activity type is Call',
  '    Activity date → activity.logged when Activity type is Email',
  '    Activity date → Meeting outcome Completed → activity.logged, other labels no event when Activity type is Meeting',
  '    Activity date → Task status Completed → activity.logged, other labels no event when Activity type is Task',
  OWNERS,
  `  salesforce-lead: ${defaultMappingPath('salesforce-lead')}`,
  '    lead: Id (lead id salesforce-lead-<id> for 00Q…)',
  "    also the lead of later exports' ConvertedContactId, ConvertedOpportunityId",
  '    CreatedDate → lead.created',
  '    CreatedDate → owner.assigned when OwnerId matches ^005',
  '    LastModifiedDate → Status Closed - Not Converted → lead.disqualified, other labels no event',
  OWNERS,
  `  salesforce-contact: ${defaultMappingPath('salesforce-contact')}`,
  '    lead: Id (lead id salesforce-contact-<id> for 003…)',
  '    CreatedDate → lead.created, unless a converted lead already has it',
  '    CreatedDate → owner.assigned when OwnerId matches ^005, unless a converted lead already has it',
  OWNERS,
  `  salesforce-opportunity: ${defaultMappingPath('salesforce-opportunity')}`,
  '    lead: ContactId, else Id (lead id salesforce-contact-<id> for 003…, salesforce-opportunity-<id> for 006…)',
  '    CreatedDate → opportunity.created',
  '    CloseDate → StageName Closed Won → opportunity.closed, Closed Lost → opportunity.closed, other labels no event',
  OWNERS,
  `  salesforce-task: ${defaultMappingPath('salesforce-task')}`,
  `    lead: WhoId (lead id ${SALESFORCE_PEOPLE})`,
  '    CompletedDateTime → Status Completed → activity.logged, other labels no event',
  OWNERS,
  `  salesforce-event: ${defaultMappingPath('salesforce-event')}`,
  `    lead: WhoId (lead id ${SALESFORCE_PEOPLE})`,
  '    CreatedDate → meeting.booked',
  OWNERS,
]

describe('leadclock connectors', () => {
  it('prints the default HubSpot mapping, and that the webhooks are off without the secret', async () => {
    const result = await run({})
    expect(result.exitCode).toBe(0)
    expect(result.out).toEqual([
      `HubSpot mapping: ${defaultHubspotMappingPath()}`,
      'HubSpot webhooks: off (set LEADCLOCK_HUBSPOT_CLIENT_SECRET to the app’s client secret)',
      'HubSpot webhooks (POST /connectors/hubspot/webhooks):',
      '  contact.creation → lead.created (source hubspot, lead id hubspot-contact-<objectId>, empty profile)',
      '  contact.propertyChange lifecyclestage = marketingqualifiedlead → intent.recorded {"action":"contact-sales"}',
      '  contact.propertyChange lifecyclestage = opportunity → opportunity.created {}',
      '  contact.propertyChange hs_lead_status = ATTEMPTED_TO_CONTACT → activity.logged {"activityType":"status-change","outcome":"no-answer"}',
      '  contact.propertyChange hs_lead_status = CONNECTED → activity.logged {"activityType":"status-change","outcome":"connected"}',
      '  contact.propertyChange hs_lead_status = UNQUALIFIED → lead.disqualified {"reason":"HubSpot lead status Unqualified"}',
      '  contact.propertyChange hs_lead_status = BAD_TIMING → lead.recycled {"scenario":"not-ready"}',
      '  contact.propertyChange hubspot_owner_id → owner.assigned, through 0 owner mappings; an owner not listed is refused',
      '  anything else (other properties and values, deal.*) → acknowledged and ignored',
      `Salesforce mapping: ${defaultSalesforceMappingPath()}`,
      'Salesforce change events (POST /connectors/salesforce/events, integration token):',
      salesforceCreation('salesforce'),
      '    LeadSource Web → source salesforce-web',
      '    LeadSource Phone Inquiry → source salesforce-phone-inquiry',
      '    LeadSource Partner Referral → source salesforce-partner-referral',
      '    LeadSource Purchased List → source salesforce-purchased-list',
      ...SALESFORCE_RULES,
      '    TaskSubtype Call → call',
      '    TaskSubtype Email → email',
      '    TaskSubtype ListEmail → email',
      '    TaskSubtype LinkedIn → linkedin',
      '    any other TaskSubtype → blank-task',
      '  Lead OwnerId → owner.assigned, through 0 owner mappings; a user not listed is refused, a queue (00G…) ignored',
      SALESFORCE_REST,
      ...CRM_EXPORTS,
    ])
  })

  it('prints the mappings LEADCLOCK_HUBSPOT_MAPPING and LEADCLOCK_SALESFORCE_MAPPING name, their owners, and never the secret', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadclock-hubspot-')), 'hubspot.yaml')
    writeFileSync(
      file,
      "contactCreation: { source: hubspot-eu }\npropertyChanges: {}\nowners: { '41000001': sdr-ana-lopez }\n",
    )
    const salesforceFile = join(mkdtempSync(join(tmpdir(), 'leadclock-salesforce-')), 'sf.yaml')
    writeFileSync(
      salesforceFile,
      'leadCreation: { source: salesforce-eu }\nstatuses: {}\ntasks: { completedStatuses: [Completed], activityTypes: {}, otherwise: call }\nowners: { 0055f000005mc66AAA: sdr-ana-lopez }\n',
    )
    const result = await run({
      LEADCLOCK_HUBSPOT_MAPPING: file,
      LEADCLOCK_HUBSPOT_CLIENT_SECRET: 'very-secret-value',
      LEADCLOCK_SALESFORCE_MAPPING: salesforceFile,
    })
    expect(result.out).toEqual([
      `HubSpot mapping: ${file}`,
      'HubSpot webhooks: on (LEADCLOCK_HUBSPOT_CLIENT_SECRET is set)',
      'HubSpot webhooks (POST /connectors/hubspot/webhooks):',
      '  contact.creation → lead.created (source hubspot-eu, lead id hubspot-contact-<objectId>, empty profile)',
      '  contact.propertyChange hubspot_owner_id → owner.assigned, through 1 owner mapping; an owner not listed is refused',
      '    owner 41000001 → sdr-ana-lopez',
      '  anything else (other properties and values, deal.*) → acknowledged and ignored',
      `Salesforce mapping: ${salesforceFile}`,
      'Salesforce change events (POST /connectors/salesforce/events, integration token):',
      salesforceCreation('salesforce-eu'),
      '  Lead UPDATE of those fields → lead.updated',
      '  Lead UPDATE IsConverted with a ConvertedOpportunityId → opportunity.created',
      '  Task CREATE or UPDATE into Completed, WhoId a lead (00Q…) → activity.logged of that lead',
      '    any other TaskSubtype → call',
      '  Lead OwnerId → owner.assigned, through 1 owner mapping; a user not listed is refused, a queue (00G…) ignored',
      '    owner 0055f000005mc66AAA → sdr-ana-lopez',
      SALESFORCE_REST,
      ...CRM_EXPORTS,
    ])
    expect(result.out.join('\n')).not.toContain('very-secret-value')
  })

  it('reports an invalid mapping file with its located problems and exits 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadclock-hubspot-')), 'hubspot.yaml')
    writeFileSync(file, 'contactCreation: { source: hubspot }\npropertyChanges: {}\n')
    const result = await run({ LEADCLOCK_HUBSPOT_MAPPING: file })
    expect(result.exitCode).toBe(1)
    expect(result.out).toEqual([])
    expect(result.err).toEqual([`${file}:1:1 owners: is required (expected record)`])
  })

  it('reports an invalid Salesforce mapping with its located problems and exits 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadclock-salesforce-')), 'sf.yaml')
    writeFileSync(
      file,
      'leadCreation: { source: salesforce }\nstatuses: {}\ntasks: { completedStatuses: [Completed], activityTypes: {}, otherwise: call }\nowners: { 00G5f000004XyZaEAK: q }\n',
    )
    const result = await run({ LEADCLOCK_SALESFORCE_MAPPING: file })
    expect(result.exitCode).toBe(1)
    expect(result.out).toEqual([])
    expect(result.err).toEqual([
      `${file}:4:31 owners.00G5f000004XyZaEAK: "00G5f000004XyZaEAK" is not a Salesforce user id (15 or 18 characters starting 005)`,
    ])
  })
})
