/**
 * The port a CRM connector plugs into the HTTP intake: the route authenticates the delivery, the
 * connector (src/connectors) translates each of its items into event inputs or says why not.
 */
import type { EventInput } from './event-input.js'

export type TranslatedItem =
  /** The event the item means for Leadclock, validated by the intake like any other. */
  | { readonly kind: 'event'; readonly input: EventInput }
  /** Acknowledged and not recorded: the mapping gives the item no meaning for Leadclock. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** Acknowledged, not recorded: the item says a record changed without its values (re-read it). */
  | { readonly kind: 'needs-refetch'; readonly reason: string }
  /** Not recorded, and worth a person's look: malformed, or naming someone Leadclock cannot map. */
  | { readonly kind: 'refused'; readonly rule: string; readonly reason: string }

export interface CrmTranslator {
  /** One delivered item → what it means, in order (an item may name several records). */
  readonly translate: (item: unknown) => readonly TranslatedItem[]
}

export interface CrmWebhookIntake extends CrmTranslator {
  /** The secret the CRM signs its deliveries with (from the environment). */
  readonly secret: string
  /** Where the CRM calls us (LEADCLOCK_PUBLIC_URL): the signed URI; else the request's host. */
  readonly publicUrl: string | undefined
}
