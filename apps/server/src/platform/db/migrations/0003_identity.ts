import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Identity and access: teams, custom roles, API tokens, installation settings; users gain contact data,
 * a team, a shop-floor badge with a PIN and an optional TOTP second factor; sessions gain a kind
 * (browser or terminal). The audit log becomes append-only in the database itself.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // One column per statement: SQLite adds a single column per ALTER TABLE.
  const addUserColumn = (name: string, type: 'text' | 'integer' | 'bigint', zeroDefault = false) =>
    db.schema
      .alterTable('users')
      .addColumn(name, type, (c) => (zeroDefault ? c.notNull().defaultTo(0) : c))
      .execute();
  await addUserColumn('email', 'text');
  await addUserColumn('phone', 'text');
  await addUserColumn('team_id', 'text');
  await addUserColumn('must_change_password', 'integer', true);
  await addUserColumn('totp_secret', 'text');
  await addUserColumn('totp_enabled', 'integer', true);
  await addUserColumn('totp_last_step', 'bigint');
  await addUserColumn('badge', 'text');
  await addUserColumn('pin_hash', 'text');
  await addUserColumn('badge_failed', 'integer', true);
  await addUserColumn('badge_locked_until', 'text');
  await db.schema.createIndex('users_badge').unique().on('users').column('badge').execute();
  await db.schema.createIndex('users_team').on('users').column('team_id').execute();

  await db.schema
    .alterTable('sessions')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('browser'))
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('rate_limit', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('identity_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into identity_settings (key, value, version, updated_at)
    values ('require_admin_totp', 'false', 1, ${new Date().toISOString()})`.execute(db);

  await db.schema.createIndex('audit_at').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_action').on('audit_log').columns(['action', 'at']).execute();

  // Append-only: the database refuses to change or remove audit entries, whoever asks.
  if (dialect === 'postgres') {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}
