/** The HubSpot connector as the server plugs it in: its mapping file read, its intake built. */
import type { CrmWebhookIntake } from '../../app/crm-webhook.js'
import { packageFilePath } from '../../policy/load-policy-file.js'
import type { LoadedMapping } from '../connector-mapping.js'
import { loadConnectorMapping } from '../connector-mapping.js'
import type { HubspotMapping } from './hubspot-mapping.js'
import { parseHubspotMapping } from './hubspot-mapping.js'
import { translateWebhookEvent } from './webhook-events.js'

export function defaultHubspotMappingPath(): string {
  return packageFilePath('connectors', 'hubspot.default.yaml')
}

/** The mapping file `leadclock connectors` and the server read: LEADCLOCK_HUBSPOT_MAPPING, else the default. */
export function hubspotMappingPathOf(env: NodeJS.ProcessEnv): string {
  return env.LEADCLOCK_HUBSPOT_MAPPING || defaultHubspotMappingPath()
}

export function loadHubspotMapping(path: string): Promise<LoadedMapping<HubspotMapping>> {
  return loadConnectorMapping(path, 'HubSpot', parseHubspotMapping)
}

export function hubspotWebhookIntake(
  secret: string,
  publicUrl: string | undefined,
  mapping: HubspotMapping,
): CrmWebhookIntake {
  return { secret, publicUrl, translate: (item) => [translateWebhookEvent(item, mapping)] }
}

/** The mapping as `leadclock connectors` prints it: one line per webhook event or value mapped. */
export function describeHubspotMapping(mapping: HubspotMapping): string[] {
  const rules = Object.entries(mapping.propertyChanges).flatMap(([property, values]) =>
    Object.entries(values).map(
      ([value, rule]) =>
        `  contact.propertyChange ${property} = ${value} → ${rule.type} ${JSON.stringify(rule.payload)}`,
    ),
  )
  const owners = Object.entries(mapping.owners)
  return [
    'HubSpot webhooks (POST /connectors/hubspot/webhooks):',
    `  contact.creation → lead.created (source ${mapping.contactCreation.source}, lead id hubspot-contact-<objectId>, empty profile)`,
    ...rules,
    `  contact.propertyChange hubspot_owner_id → owner.assigned, through ${owners.length} owner mapping${owners.length === 1 ? '' : 's'}; an owner not listed is refused`,
    ...owners.map(([hubspotOwner, person]) => `    owner ${hubspotOwner} → ${person}`),
    '  anything else (other properties and values, deal.*) → acknowledged and ignored',
  ]
}
