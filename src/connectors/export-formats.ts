/**
 * Which mapping reads which file of an import: the format given (`--format`), else the file's
 * extension or first character (JSON Lines), else its header row — the CRM export whose default mapping, or the
 * mapping given (`--mapping`), reads the most of its columns. The files are then imported in an
 * order where a lead exists before what happens to it: leads, contacts, deals, activities.
 */
import type { FileHandle } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'

import { z } from 'zod'

import { packageFilePath } from '../policy/load-policy-file.js'
import { formatLocatedProblem, parseValidatedYaml } from '../policy/yaml-document.js'
import type { CheckedMapping } from './csv-import.js'
import { csvHeaderOf, readCsvMapping } from './csv-import.js'
import { checkCsvHeader, columnsReadBy } from './csv-mapping.js'
import type { ExportFormat, ImportFormat } from './import-formats.js'
import { EXPORT_FORMATS } from './import-formats.js'

/** The mapping Leadclock ships for a CRM export: connectors/FORMAT.default.yaml. */
export function defaultMappingPath(format: ExportFormat): string {
  return packageFilePath('connectors', `${format}.default.yaml`)
}

/**
 * Where a format's files go in an import: a Salesforce lead before the contact it was converted
 * to (the contact lands on the lead), records of people before their deals, deals before
 * activities. Leadclock's own JSON Lines and any CSV keep their place among the contacts.
 */
const IMPORT_RANK: Readonly<Record<ImportFormat, number>> = {
  'salesforce-lead': 0,
  'hubspot-contacts': 1,
  'salesforce-contact': 1,
  csv: 1,
  jsonl: 1,
  'hubspot-deals': 2,
  'salesforce-opportunity': 2,
  'hubspot-activities': 3,
  'salesforce-task': 3,
  'salesforce-event': 3,
}

export interface PlannedFile {
  readonly file: string
  readonly format: ImportFormat
  /** Undefined for JSON Lines. */
  readonly mapping?: CheckedMapping & { readonly path: string }
}

/** The files in import order; files of one rank keep the order they were given in. */
export function inImportOrder(files: readonly PlannedFile[]): PlannedFile[] {
  return [...files].sort((a, b) => IMPORT_RANK[a.format] - IMPORT_RANK[b.format])
}

export interface FormatOptions {
  readonly format?: ImportFormat
  /** The `--mapping` files given, each for the export its `format` names. */
  readonly mappings: readonly string[]
}

type Mapping = CheckedMapping & { readonly path: string }

async function loadMapping(path: string): Promise<Mapping> {
  const parsed = await readCsvMapping(path)
  if (!parsed.ok) {
    throw new Error(parsed.problems.map(formatLocatedProblem).join('\n'))
  }
  return { path, value: parsed.value, locate: parsed.locate }
}

/** A CRM owner (HubSpot: the name in `Contact owner`; Salesforce: the user id) → roster person. */
const ownersSchema = z.record(z.string().min(1), z.string().trim().min(1).max(200))

/** The owners file (`--owners`), parsed; its problems located, or it unreadable, are thrown. */
async function loadOwners(path: string): Promise<Record<string, string>> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`cannot read the owners ${path}`, { cause: error })
  })
  const parsed = parseValidatedYaml(text, path, ownersSchema, () => [])
  if (!parsed.ok) {
    throw new Error(parsed.problems.map(formatLocatedProblem).join('\n'))
  }
  return parsed.value
}

/**
 * The mappings an import may use: the ones given, then the default of each CRM export none of
 * them is for; with an owners file, it is the `owners` map of every mapping that has one. A
 * mapping that does not parse stops the import before anything is read.
 */
export async function mappingsOf(
  given: readonly string[],
  ownersPath: string | undefined,
): Promise<Mapping[]> {
  const own = await Promise.all(given.map(loadMapping))
  const covered = new Set(own.map((mapping) => mapping.value.format))
  const defaults = await Promise.all(
    EXPORT_FORMATS.filter((format) => !covered.has(format)).map((format) =>
      loadMapping(defaultMappingPath(format)),
    ),
  )
  const owners = ownersPath === undefined ? undefined : await loadOwners(ownersPath)
  return [...own, ...defaults].map((mapping) =>
    owners === undefined || !Object.hasOwn(mapping.value.maps, 'owners')
      ? mapping
      : { ...mapping, value: { ...mapping.value, maps: { ...mapping.value.maps, owners } } },
  )
}

/** How many columns a mapping reads: the one reading the most of a header is the most specific. */
function columnsRead(mapping: Mapping, header: readonly string[]): number | undefined {
  if (checkCsvHeader(mapping.value, header).length > 0) {
    return undefined
  }
  return columnsReadBy(mapping.value).size
}

function formatList(): string {
  return `${EXPORT_FORMATS.join(', ')}, csv (with --mapping), jsonl`
}

/** A file whose first character (past a byte order mark and blanks) opens a JSON object. */
async function startsLikeJson(handle: FileHandle): Promise<boolean> {
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0)
    return /^(\uFEFF)?\s*\{/.test(buffer.subarray(0, bytesRead).toString('utf8'))
  } finally {
    await handle.close()
  }
}

/**
 * The format and mapping of one file. `open` gives a fresh stream of the file (its header is
 * read once per delimiter the candidate mappings use).
 */
export async function planFile(
  file: string,
  open: () => Promise<FileHandle>,
  options: FormatOptions,
  mappings: readonly Mapping[],
): Promise<PlannedFile> {
  const given = mappings.slice(0, options.mappings.length)
  const format =
    options.format ??
    (/\.(jsonl|ndjson)$/i.test(file) || (await startsLikeJson(await open())) ? 'jsonl' : undefined)
  if (format === 'jsonl') {
    return { file, format }
  }
  if (format !== undefined) {
    const mapping =
      mappings.find((candidate) => candidate.value.format === format) ??
      (given.length === 1 ? given[0] : undefined)
    if (mapping === undefined) {
      throw new Error(
        `cannot import ${file}: a CSV file needs --mapping MAPPING.yaml (see mappings/)`,
      )
    }
    return { file, format, mapping }
  }
  const fits: { mapping: Mapping; columns: number }[] = []
  for (const delimiter of new Set(mappings.map((mapping) => mapping.value.delimiter))) {
    const handle = await open()
    try {
      const header = await csvHeaderOf(
        file,
        handle.createReadStream({ autoClose: false }),
        delimiter,
      )
      for (const mapping of mappings.filter((m) => m.value.delimiter === delimiter)) {
        const columns = header === undefined ? undefined : columnsRead(mapping, header)
        if (columns !== undefined) {
          fits.push({ mapping, columns })
        }
      }
    } finally {
      await handle.close()
    }
  }
  const most = Math.max(...fits.map((fit) => fit.columns))
  const best = fits.filter((fit) => fit.columns === most)
  const [chosen] = best
  if (chosen !== undefined && best.length === 1) {
    return { file, format: chosen.mapping.value.format, mapping: chosen.mapping }
  }
  if (best.length > 1) {
    throw new Error(
      `cannot import ${file}: its header fits ${best.map((fit) => `${fit.mapping.value.format} (${fit.mapping.path})`).join(' and ')}; say which with --format`,
    )
  }
  const [only] = given
  if (only !== undefined && given.length === 1) {
    // The mapping given is meant for it: its header is checked against it, problems located.
    return { file, format: only.value.format, mapping: only }
  }
  throw new Error(
    `cannot import ${file}: its header is not that of a known export; give --format (${formatList()})`,
  )
}
