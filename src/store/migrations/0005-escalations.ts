/**
 * The escalation scheduler's durable timers (one row per planned step), the escalations fired
 * (a projection of the escalation events, for cross-lead queries) and the notification outbox.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sla_timers (
      step_key text collate "C" primary key,
      lead_id text collate "C" not null,
      due_at bigint not null,
      state text not null default 'pending'
        check (state in ('pending', 'fired', 'skipped', 'cancelled')),
      settled_at bigint,
      fired_lag_ms bigint,
      -- Failed firing attempts (the lead could not be processed) and the last error.
      attempts integer not null default 0,
      last_error text
    )
  `.execute(db)
  // Workers scan pending timers by due time; settled rows stay for audit but leave the index.
  await sql`create index sla_timers_due on sla_timers (due_at) where state = 'pending'`.execute(db)
  await sql`create index sla_timers_by_lead on sla_timers (lead_id)`.execute(db)
  await sql`
    create table escalations (
      step_key text collate "C" primary key,
      lead_id text collate "C" not null,
      kind text not null,
      subject_id text not null,
      step_id text not null,
      severity text not null,
      rep_id text collate "C",
      graced boolean not null,
      due_at bigint not null,
      fired_at bigint not null,
      open boolean not null,
      record jsonb not null
    )
  `.execute(db)
  await sql`create index escalations_by_rep on escalations (rep_id, severity, fired_at)`.execute(db)
  await sql`create index escalations_by_time on escalations (fired_at)`.execute(db)
  await sql`create index escalations_open on escalations (fired_at) where open`.execute(db)
  await sql`
    create table notification_outbox (
      delivery_key text collate "C" primary key,
      step_key text collate "C" not null,
      lead_id text collate "C" not null,
      channel text not null,
      recipient jsonb not null,
      message jsonb not null,
      state text not null default 'pending'
        check (state in ('pending', 'sending', 'delivered', 'dead')),
      attempts integer not null default 0,
      next_attempt_at bigint not null,
      locked_at bigint,
      last_error text,
      created_at bigint not null,
      delivered_at bigint
    )
  `.execute(db)
  await sql`
    create index notification_outbox_due on notification_outbox (next_attempt_at)
    where state = 'pending'
  `.execute(db)
  await sql`create index notification_outbox_by_state on notification_outbox (state, created_at)`.execute(
    db,
  )
}
