import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { formatLocatedProblem } from '../policy/yaml-document.js'
import { parseCsvMapping } from './csv-mapping.js'
import { defaultMappingPath } from './export-formats.js'
import { EXPORT_FORMATS } from './import-formats.js'

describe('the default mappings of CRM exports (connectors/FORMAT.default.yaml)', () => {
  it.each(EXPORT_FORMATS)('%s parses, checks and is the mapping of its format', (format) => {
    const path = defaultMappingPath(format)
    const parsed = parseCsvMapping(readFileSync(path, 'utf8'), path)
    expect(parsed.ok ? [] : parsed.problems.map(formatLocatedProblem)).toEqual([])
    expect(parsed.ok && parsed.value.format).toBe(format)
  })
})
