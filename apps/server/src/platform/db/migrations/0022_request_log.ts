import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * `request_log`: one row per /api/v1 call (who, what, how it ended, how long), pruned after a
 * configurable number of days. `external_refs`: which internal record an external system's id became,
 * with the hash of the body last applied, so a repeated inbound message changes nothing.
 * `idempotency_keys.committed_at`: when the request holding the key committed its business write.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('request_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('route', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('duration_us', 'integer', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('request_body', 'text')
    .addColumn('response_body', 'text')
    .addColumn('truncated', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('request_log_at').on('request_log').column('at').execute();
  await db.schema.createIndex('request_log_actor').on('request_log').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('request_log_status').on('request_log').columns(['status', 'id']).execute();

  await db.schema
    .createTable('external_refs')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('internal_id', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_refs_pk', ['system', 'kind', 'external_id'])
    .execute();
  // Set inside the business transaction of the request that holds the key.
  await db.schema.alterTable('idempotency_keys').addColumn('committed_at', 'text').execute();
  await db.schema
    .createIndex('external_refs_internal')
    .on('external_refs')
    .columns(['kind', 'internal_id'])
    .execute();
}
