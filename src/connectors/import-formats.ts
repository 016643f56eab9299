/** The formats `leadclock import` reads (a module of names only: the CLI lists them cheaply). */

/** The CRM exports Leadclock reads with a default mapping (connectors/FORMAT.default.yaml). */
export const EXPORT_FORMATS = [
  'hubspot-contacts',
  'hubspot-deals',
  'hubspot-activities',
  'salesforce-lead',
  'salesforce-contact',
  'salesforce-opportunity',
  'salesforce-task',
  'salesforce-event',
] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const IMPORT_FORMATS = [...EXPORT_FORMATS, 'csv', 'jsonl'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]
