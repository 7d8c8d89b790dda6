import type { Kysely } from 'kysely';

/**
 * Indexes for the reads that run all day on a plant with years of history, so each stays one index
 * walk however many rows pile up:
 * - work-order lists filtered by item or by root (the order tree), newest first (by id);
 * - the latest report per machine (floor board) and the reports of a pay period, per operator or all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createIndex('work_orders_item_id').on('work_orders').columns(['item_id', 'id']).execute();
  await s.createIndex('work_orders_root').on('work_orders').columns(['root_id', 'id']).execute();
  await s
    .createIndex('operation_reports_machine')
    .on('operation_reports')
    .columns(['machine_id', 'reported_at'])
    .execute();
  await s
    .createIndex('operation_reports_operator')
    .on('operation_reports')
    .columns(['operator_id', 'reported_at'])
    .execute();
  await s
    .createIndex('operation_reports_reported')
    .on('operation_reports')
    .columns(['reported_at'])
    .execute();
}
