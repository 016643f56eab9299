/** The Salesforce connector as the server plugs it in: its mapping file read, its translator built. */
import type { CrmTranslator } from '../../app/crm-webhook.js'
import { packageFilePath } from '../../policy/load-policy-file.js'
import type { LoadedMapping } from '../connector-mapping.js'
import { loadConnectorMapping } from '../connector-mapping.js'
import { translateChangeEvent } from './change-events.js'
import type { SalesforceMapping } from './salesforce-mapping.js'
import { parseSalesforceMapping } from './salesforce-mapping.js'

export function defaultSalesforceMappingPath(): string {
  return packageFilePath('connectors', 'salesforce.default.yaml')
}

/** LEADCLOCK_SALESFORCE_MAPPING, else the default. */
export function salesforceMappingPathOf(env: NodeJS.ProcessEnv): string {
  return env.LEADCLOCK_SALESFORCE_MAPPING || defaultSalesforceMappingPath()
}

export function loadSalesforceMapping(path: string): Promise<LoadedMapping<SalesforceMapping>> {
  return loadConnectorMapping(path, 'Salesforce', parseSalesforceMapping)
}

export function salesforceChangeEvents(mapping: SalesforceMapping): CrmTranslator {
  return { translate: (item) => translateChangeEvent(item, mapping) }
}

/** The mapping as `leadclock connectors` prints it. */
export function describeSalesforceMapping(mapping: SalesforceMapping): string[] {
  const { source, leadSources } = mapping.leadCreation
  const owners = Object.entries(mapping.owners)
  return [
    'Salesforce change events (POST /connectors/salesforce/events, integration token):',
    `  Lead CREATE → lead.created (lead id salesforce-lead-<recordId>, profile from Name, Email, Phone, Company, Title, Industry, Address.CountryCode; source ${source} unless LeadSource is mapped)`,
    ...Object.entries(leadSources).map(
      ([value, mapped]) => `    LeadSource ${value} → source ${mapped}`,
    ),
    '  Lead UPDATE of those fields → lead.updated',
    ...Object.entries(mapping.statuses).map(
      ([status, rule]) =>
        `  Lead UPDATE Status = ${status} → ${rule.type} ${JSON.stringify(rule.payload)}`,
    ),
    '  Lead UPDATE IsConverted with a ConvertedOpportunityId → opportunity.created',
    `  Task CREATE or UPDATE into ${mapping.tasks.completedStatuses.join(' or ')}, WhoId a lead (00Q…) → activity.logged of that lead`,
    ...Object.entries(mapping.tasks.activityTypes).map(
      ([subtype, activityType]) => `    TaskSubtype ${subtype} → ${activityType}`,
    ),
    `    any other TaskSubtype → ${mapping.tasks.otherwise}`,
    `  Lead OwnerId → owner.assigned, through ${owners.length} owner mapping${owners.length === 1 ? '' : 's'}; a user not listed is refused, a queue (00G…) ignored`,
    ...owners.map(([user, person]) => `    owner ${user} → ${person}`),
    '  GAP_* events → needs-refetch (logged); anything else (other statuses, open tasks, DELETE, other objects) → acknowledged and ignored',
  ]
}
