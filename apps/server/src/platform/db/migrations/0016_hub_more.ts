import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Reconciliation findings name the entity by its human code too; notifications keep the alert they
 * came from (kind, id and the alert JSON a generic webhook channel receives).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('reconciliation_findings')
    .addColumn('entity_code', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('notifications').addColumn('alert_id', 'text').execute();
  await db.schema
    .alterTable('notifications')
    .addColumn('alert_kind', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('notifications').addColumn('payload', 'text').execute();
  await db.schema
    .createIndex('reconciliation_findings_check')
    .on('reconciliation_findings')
    .columns(['check_code', 'created_at'])
    .execute();
}
