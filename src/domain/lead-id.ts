/**
 * The one rule for a lead id, wherever one enters (events through the API or an import, the path
 * of GET /leads/{leadId}, filters): an id the import accepts is one every route can read.
 */
import { z } from 'zod'

export const LEAD_ID_MAX_LENGTH = 200

/** Characters that need no percent-encoding in a URL path, so the id reads the same in one. */
export const leadIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(LEAD_ID_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_.:@-]+$/, 'may contain letters, digits and _ . : @ - only')
