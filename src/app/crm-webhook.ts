/**
 * The port a CRM connector plugs into the HTTP intake: the route verifies the delivery, the
 * connector (src/connectors) translates each of its items into an event input or says why not.
 */
import type { EventInput } from './event-input.js'

export type TranslatedItem =
  /** The event the item means for Leadclock, validated by the intake like any other. */
  | { readonly kind: 'event'; readonly input: EventInput }
  /** Acknowledged and not recorded: the mapping gives the item no meaning for Leadclock. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** Not recorded, and worth a person's look: malformed, or naming someone Leadclock cannot map. */
  | { readonly kind: 'refused'; readonly rule: string; readonly reason: string }

export interface CrmWebhookIntake {
  /** The secret the CRM signs its deliveries with (from the environment). */
  readonly secret: string
  /** Where the CRM calls us (LEADCLOCK_PUBLIC_URL): the signed URI; else the request's host. */
  readonly publicUrl: string | undefined
  readonly translate: (item: unknown) => TranslatedItem
}
