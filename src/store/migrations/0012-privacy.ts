/**
 * The right to erasure: the one exception to the append-only event log and audit trail. Inside a
 * transaction that declares an erasure (`leadclock.erasure` set to `on`, transaction-local) an
 * UPDATE may rewrite an event's payload, or an audit entry's before, after and detail: nothing
 * else of the row. DELETE stays refused, and so does every UPDATE outside an erasure.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function lead_events_refuse_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE'
        and current_setting('leadclock.erasure', true) = 'on'
        and (new.seq, new.event_id, new.idempotency_key, new.lead_id, new.type,
             new.occurred_at, new.received_at, new.actor, new.source)
          is not distinct from
            (old.seq, old.event_id, old.idempotency_key, old.lead_id, old.type,
             old.occurred_at, old.received_at, old.actor, old.source)
      then
        return new;
      end if;
      raise exception 'lead_events is append-only: % refused', tg_op
        using errcode = 'restrict_violation';
    end
    $$
  `.execute(db)
  await sql`
    create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE'
        and current_setting('leadclock.erasure', true) = 'on'
        and (new.seq, new.at, new.action, new.subject, new.person_id, new.token_id, new.origin)
          is not distinct from
            (old.seq, old.at, old.action, old.subject, old.person_id, old.token_id, old.origin)
      then
        return new;
      end if;
      raise exception 'audit_log is append-only: % refused', tg_op
        using errcode = 'restrict_violation';
    end
    $$
  `.execute(db)
}
