/**
 * Every migration, listed here rather than read from a folder so they ship inside dist/.
 * Numbered, forward-only (no `down`): a change to the schema is a new file at the end.
 */
import type { Migration, MigrationProvider } from 'kysely'

import * as eventLog from './0001-event-log.js'
import * as leadProjection from './0002-lead-projection.js'
import * as suppressedDomains from './0003-suppressed-domains.js'
import * as routingLog from './0004-routing-log.js'
import * as escalations from './0005-escalations.js'
import * as tasks from './0006-tasks.js'
import * as leadClocks from './0007-lead-clocks.js'
import * as leadFolds from './0008-lead-folds.js'
import * as reportColumns from './0009-report-columns.js'
import * as access from './0010-access.js'
import * as idempotencyPerSource from './0011-idempotency-per-source.js'
import * as privacy from './0012-privacy.js'
import * as pendingDerivations from './0013-pending-derivations.js'

const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-event-log': eventLog,
  '0002-lead-projection': leadProjection,
  '0003-suppressed-domains': suppressedDomains,
  '0004-routing-log': routingLog,
  '0005-escalations': escalations,
  '0006-tasks': tasks,
  '0007-lead-clocks': leadClocks,
  '0008-lead-folds': leadFolds,
  '0009-report-columns': reportColumns,
  '0010-access': access,
  '0011-idempotency-per-source': idempotencyPerSource,
  '0012-privacy': privacy,
  '0013-pending-derivations': pendingDerivations,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
}

export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS)
