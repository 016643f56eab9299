/**
 * Who may call the API and what they changed. `api_tokens` keeps a hash of each secret, never the
 * secret; `sessions` the dashboard sessions opened with a token (hashed session id, hashed CSRF
 * token); `audit_log` every manual change, append-only like the event log.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_tokens (
      token_id text collate "C" primary key,
      secret_hash text collate "C" not null unique,
      role text not null,
      person_id text collate "C",
      label text,
      created_at bigint not null,
      expires_at bigint,
      revoked_at bigint,
      last_used_at bigint,
      constraint api_tokens_role check
        (role in ('rep', 'manager', 'revops', 'leadership', 'admin', 'integration'))
    )
  `.execute(db)
  await sql`
    create table sessions (
      session_hash text collate "C" primary key,
      token_id text collate "C" not null references api_tokens (token_id),
      csrf_hash text collate "C" not null,
      created_at bigint not null,
      expires_at bigint not null
    )
  `.execute(db)
  await sql`create index sessions_by_expiry on sessions (expires_at)`.execute(db)
  await sql`
    create table audit_log (
      seq bigint generated always as identity primary key,
      at bigint not null,
      action text not null,
      subject text not null,
      person_id text collate "C",
      token_id text collate "C",
      origin text not null,
      before jsonb,
      after jsonb,
      detail jsonb
    )
  `.execute(db)
  await sql`create index audit_log_by_time on audit_log (at, seq)`.execute(db)
  await sql`create index audit_log_by_person on audit_log (person_id, at, seq)`.execute(db)
  await sql`
    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op
        using errcode = 'restrict_violation';
    end
    $$
  `.execute(db)
  await sql`
    create trigger audit_log_append_only
      before update or delete on audit_log
      for each row execute function audit_log_refuse_change()
  `.execute(db)
}
