/** `leadclock connectors`: the CRM connector mappings in use (read from the environment). */
import type { Command } from 'commander'

import type { CliOutput } from './cli-output.js'

export async function printConnectors(env: NodeJS.ProcessEnv, output: CliOutput): Promise<void> {
  const { describeHubspotMapping, hubspotMappingPathOf, loadHubspotMapping } =
    await import('../connectors/hubspot/hubspot-intake.js')
  const path = hubspotMappingPathOf(env)
  const loaded = await loadHubspotMapping(path)
  if (!loaded.ok) {
    loaded.problems.forEach((problem) => output.error(problem))
    output.exitCode(1)
    return
  }
  output.print(`HubSpot mapping: ${path}`)
  output.print(
    env.LEADCLOCK_HUBSPOT_CLIENT_SECRET
      ? 'HubSpot webhooks: on (LEADCLOCK_HUBSPOT_CLIENT_SECRET is set)'
      : 'HubSpot webhooks: off (set LEADCLOCK_HUBSPOT_CLIENT_SECRET to the app’s client secret)',
  )
  describeHubspotMapping(loaded.mapping).forEach((line) => output.print(line))
}

export function registerConnectorCommands(program: Command, output: CliOutput): void {
  program
    .command('connectors')
    .description('print the CRM connector mappings in use (LEADCLOCK_HUBSPOT_MAPPING)')
    .action(() => printConnectors(process.env, output))
}
