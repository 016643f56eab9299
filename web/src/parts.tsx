/** Small pieces the views share: a clock's status, links, sections, errors. */
import type { ComponentChildren } from 'preact'

import type { Clock } from './api'

/** The status as a word and a colour: never the colour alone. */
export function ClockStatus({ status }: { readonly status: Clock['status'] }) {
  return <span class={`status status-${status}`}>{status}</span>
}

export function LeadLink({ leadId }: { readonly leadId: string }) {
  return <a href={`#/leads/${encodeURIComponent(leadId)}`}>{leadId}</a>
}

export function Section({
  title,
  children,
}: {
  readonly title: string
  readonly children: ComponentChildren
}) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  )
}

export function Failure({ message }: { readonly message: string | undefined }) {
  return message === undefined ? null : (
    <p class="failure" role="alert">
      {message}
    </p>
  )
}

export function Loading({ what }: { readonly what: string }) {
  return <p aria-busy="true">Loading {what}…</p>
}

/** A key no other request used: the API's idempotency key of a person's action. */
export function freshKey(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `${prefix}-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}
