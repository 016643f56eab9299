/** `leadclock connectors`: the CRM connector mappings in use (read from the environment). */
import type { Command } from 'commander'

import type { CliOutput } from './cli-output.js'

export async function printConnectors(env: NodeJS.ProcessEnv, output: CliOutput): Promise<void> {
  const hubspot = await import('../connectors/hubspot/hubspot-intake.js')
  const salesforce = await import('../connectors/salesforce/salesforce-intake.js')
  const hubspotPath = hubspot.hubspotMappingPathOf(env)
  const salesforcePath = salesforce.salesforceMappingPathOf(env)
  const [hubspotMapping, salesforceMapping] = await Promise.all([
    hubspot.loadHubspotMapping(hubspotPath),
    salesforce.loadSalesforceMapping(salesforcePath),
  ])
  const problems = [hubspotMapping, salesforceMapping].flatMap((loaded) =>
    loaded.ok ? [] : loaded.problems,
  )
  if (!hubspotMapping.ok || !salesforceMapping.ok) {
    problems.forEach((problem) => output.error(problem))
    output.exitCode(1)
    return
  }
  output.print(`HubSpot mapping: ${hubspotPath}`)
  output.print(
    env.LEADCLOCK_HUBSPOT_CLIENT_SECRET
      ? 'HubSpot webhooks: on (LEADCLOCK_HUBSPOT_CLIENT_SECRET is set)'
      : 'HubSpot webhooks: off (set LEADCLOCK_HUBSPOT_CLIENT_SECRET to the app’s client secret)',
  )
  hubspot.describeHubspotMapping(hubspotMapping.mapping).forEach((line) => output.print(line))
  output.print(`Salesforce mapping: ${salesforcePath}`)
  salesforce
    .describeSalesforceMapping(salesforceMapping.mapping)
    .forEach((line) => output.print(line))
}

export function registerConnectorCommands(program: Command, output: CliOutput): void {
  program
    .command('connectors')
    .description(
      'print the CRM connector mappings in use (LEADCLOCK_HUBSPOT_MAPPING, LEADCLOCK_SALESFORCE_MAPPING)',
    )
    .action(() => printConnectors(process.env, output))
}
