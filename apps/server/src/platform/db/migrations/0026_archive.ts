import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/** Hot tables that have an `<name>_archive` twin with the same columns plus `archived_at`. */
const ARCHIVED_TABLES = [
  'work_orders',
  'work_order_materials',
  'work_order_operations',
  'work_order_history',
  'operation_reports',
  'operation_report_lots',
  'inspections',
  'inspection_characteristics',
  'schedule_assignments',
  'stock_moves',
] as const;

/**
 * Archive tables for closed work orders (with their operations, materials, history, floor reports,
 * inspections and schedule assignments) and old stock moves: the same columns as the hot tables,
 * without their constraints, plus the time a row was archived. `stock_moves_all` reads the hot and
 * the archived moves together, so ledger checks keep counting every move ever made.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  for (const table of ARCHIVED_TABLES) {
    const archive = sql.table(`${table}_archive`);
    if (dialect === 'postgres') {
      await sql`create table ${archive} (like ${sql.table(table)})`.execute(db);
    } else {
      await sql`create table ${archive} as select * from ${sql.table(table)} where 0`.execute(db);
    }
    await db.schema.alterTable(`${table}_archive`).addColumn('archived_at', 'text').execute();
  }
  const s = db.schema;
  await s.createIndex('work_orders_archive_id').on('work_orders_archive').column('id').unique().execute();
  await s.createIndex('work_orders_archive_code').on('work_orders_archive').column('code').execute();
  await s
    .createIndex('work_orders_archive_item')
    .on('work_orders_archive')
    .columns(['item_id', 'id'])
    .execute();
  await s
    .createIndex('work_orders_archive_root')
    .on('work_orders_archive')
    .columns(['root_id', 'id'])
    .execute();
  for (const table of [
    'work_order_materials',
    'work_order_operations',
    'work_order_history',
    'inspections',
  ]) {
    await s.createIndex(`${table}_archive_wo`).on(`${table}_archive`).column('work_order_id').execute();
  }
  await s
    .createIndex('operation_reports_archive_op')
    .on('operation_reports_archive')
    .column('operation_id')
    .execute();
  await s.createIndex('stock_moves_archive_id').on('stock_moves_archive').column('id').unique().execute();
  await s
    .createIndex('stock_moves_archive_item')
    .on('stock_moves_archive')
    .columns(['item_id', 'seq'])
    .execute();
  await s
    .createIndex('stock_moves_archive_ref')
    .on('stock_moves_archive')
    .columns(['ref_type', 'ref_id'])
    .execute();

  const columns = [
    'seq',
    'id',
    'kind',
    'item_id',
    'qty',
    'from_location_id',
    'to_location_id',
    'lot_id',
    'reason',
    'ref_type',
    'ref_id',
    'reverses_id',
    'actor_id',
    'request_id',
    'created_at',
  ].map((c) => sql.ref(c));
  await sql`create view stock_moves_all as
    select ${sql.join(columns)} from stock_moves
    union all
    select ${sql.join(columns)} from stock_moves_archive`.execute(db);
}
