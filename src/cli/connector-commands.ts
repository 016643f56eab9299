/**
 * `leadclock connectors`: the CRM connector mappings in use (read from the environment), and the
 * default mappings of CRM exports `leadclock import` reads.
 */
import type { Command } from 'commander'

import { EXPORT_FORMATS } from '../connectors/import-formats.js'
import type { CliOutput } from './cli-output.js'

export async function printConnectors(env: NodeJS.ProcessEnv, output: CliOutput): Promise<void> {
  const hubspot = await import('../connectors/hubspot/hubspot-intake.js')
  const exports = await import('../connectors/export-formats.js')
  const mapping = await import('../connectors/csv-import.js')
  const { describeCsvMapping } = await import('../connectors/csv-mapping.js')
  const { formatLocatedProblem } = await import('../policy/yaml-document.js')
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
  output.print(
    'CRM exports (leadclock import FILE…: format from the header row; --mapping FILE replaces a default):',
  )
  for (const format of EXPORT_FORMATS) {
    const path = exports.defaultMappingPath(format)
    const parsed = await mapping.readCsvMapping(path)
    if (!parsed.ok) {
      parsed.problems.forEach((problem) => output.error(formatLocatedProblem(problem)))
      output.exitCode(1)
      return
    }
    output.print(`  ${format}: ${path}`)
    describeCsvMapping(parsed.value).forEach((line) => output.print(`  ${line}`))
  }
}

export function registerConnectorCommands(program: Command, output: CliOutput): void {
  program
    .command('connectors')
    .description(
      'print the CRM connector mappings in use (LEADCLOCK_HUBSPOT_MAPPING, LEADCLOCK_SALESFORCE_MAPPING) and the default mappings of CRM exports',
    )
    .action(() => printConnectors(process.env, output))
}
