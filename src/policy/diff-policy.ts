/**
 * Semantic diff of two policies: list items are matched by their id (not their position) and
 * named by their title, so a change reads "SLA item “SDR Response — Tier 2” target: 2 business
 * hours → 90 business minutes".
 */
export interface PolicyChange {
  readonly kind: 'added' | 'removed' | 'changed'
  /** Human path, e.g. `SLA item “SDR Response — Tier 2” › target`. */
  readonly where: string
  readonly before?: string
  readonly after?: string
}

/** Fields that identify a list item, in order of preference. */
const ITEM_KEYS = ['id', 'code', 'stage', 'touch'] as const
/** Fields that name a list item for a reader. */
const ITEM_TITLES = ['name', 'trigger', 'scenario', 'action', 'title', 'reason'] as const

const SECTION_LABELS: Readonly<Record<string, string>> = {
  slaItems: 'SLA item',
  escalationChains: 'Escalation chain',
  steps: 'step',
  responseTiers: 'Response tier',
  intentTiers: 'Intent tier',
  stages: 'Stage',
  opportunityStages: 'Opportunity stage',
  mqlEntryCriteria: 'MQL criterion',
  metrics: 'Metric',
  reasonTaxonomies: 'Reason taxonomy',
  codes: 'code',
  signals: 'signal',
  touchPlan: 'Touch',
  staleOpportunityTriggers: 'Stale-opportunity trigger',
  calendars: 'Calendar',
  scenarios: 'scenario',
  /** acvTiers.tiers; touch-plan and step `tiers` are lists of ids, named by their field. */
  tiers: 'ACV tier',
}

interface Leaf {
  readonly where: string
  readonly value: string
}

export function diffPolicies(before: unknown, after: unknown): PolicyChange[] {
  const left = flatten(before)
  const right = flatten(after)
  const changes: PolicyChange[] = []
  for (const [key, leaf] of left) {
    const other = right.get(key)
    if (!other) {
      changes.push({ kind: 'removed', where: leaf.where, before: leaf.value })
    } else if (other.value !== leaf.value) {
      changes.push({ kind: 'changed', where: leaf.where, before: leaf.value, after: other.value })
    }
  }
  for (const [key, leaf] of right) {
    if (!left.has(key)) {
      changes.push({ kind: 'added', where: leaf.where, after: leaf.value })
    }
  }
  return changes
}

export function formatPolicyChange(change: PolicyChange): string {
  switch (change.kind) {
    case 'changed':
      return `~ ${change.where}: ${change.before} → ${change.after}`
    case 'added':
      return `+ ${change.where}: ${change.after}`
    case 'removed':
      return `- ${change.where}: ${change.before}`
  }
}

function flatten(root: unknown): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>()
  const visitFields = (value: unknown, key: string, where: readonly string[]): void => {
    if (!isRecord(value)) {
      leaves.set(key, { where: where.join(' › '), value: formatLeaf(value) })
      return
    }
    for (const [field, child] of Object.entries(value)) {
      // A known section names its items, so its own field name would only repeat it.
      const namesItems =
        SECTION_LABELS[field] !== undefined &&
        (isRecord(child) || (Array.isArray(child) && child.some(isRecord)))
      visit(child, `${key}.${field}`, namesItems ? where : [...where, field], field)
    }
  }
  const visit = (value: unknown, key: string, where: readonly string[], field: string): void => {
    const label = SECTION_LABELS[field] ?? field
    if (Array.isArray(value) && value.some(isRecord)) {
      value.forEach((item, index) => {
        const identity = (isRecord(item) ? itemIdentity(item) : undefined) ?? String(index)
        const title = isRecord(item) ? itemTitle(item) : undefined
        visitFields(item, `${key}[${identity}]`, [
          ...where,
          `${label} ${title ? `“${title}”` : identity}`,
        ])
      })
    } else if (isRecord(value) && SECTION_LABELS[field]) {
      for (const [itemId, item] of Object.entries(value)) {
        visitFields(item, `${key}.${itemId}`, [...where, `${label} “${itemId}”`])
      }
    } else {
      visitFields(value, key, where)
    }
  }
  visitFields(root, '', [])
  return leaves
}

function itemIdentity(item: Record<string, unknown>): string | undefined {
  for (const key of ITEM_KEYS) {
    const value = item[key]
    if (typeof value === 'string' || typeof value === 'number') {
      return String(value)
    }
  }
  return undefined
}

function itemTitle(item: Record<string, unknown>): string | undefined {
  for (const key of ITEM_TITLES) {
    const value = item[key]
    if (typeof value === 'string') {
      return value
    }
  }
  return undefined
}

function formatLeaf(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(formatLeaf).join(', ')}]`
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
