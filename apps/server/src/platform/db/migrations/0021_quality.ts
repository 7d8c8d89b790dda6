import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Quality inspections of work-order operations (first article first) with their measured
 * characteristics; material lots consumed by floor reports; links to work instructions and drawings
 * on routing operations, copied to the work-order operations made from them.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('inspections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('work_order_operations.id'))
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('sample_qty', 'bigint')
    .addColumn('request_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('inspector', 'text')
    .addColumn('inspected_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await s.createIndex('inspections_state').on('inspections').columns(['state', 'requested_at']).execute();
  await s
    .createIndex('inspections_operation')
    .on('inspections')
    .columns(['operation_id', 'requested_at'])
    .execute();
  await s.createIndex('inspections_work_order').on('inspections').columns(['work_order_id']).execute();
  await s
    .createTable('inspection_characteristics')
    .addColumn('inspection_id', 'text', (c) => c.notNull().references('inspections.id'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('nominal', 'text')
    .addColumn('lower_tol', 'text')
    .addColumn('upper_tol', 'text')
    .addColumn('measured', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('conforming', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('inspection_characteristics_pk', ['inspection_id', 'line'])
    .execute();

  await s
    .createTable('operation_report_lots')
    .addColumn('report_id', 'text', (c) => c.notNull().references('operation_reports.id'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('lot_id', 'text', (c) => c.notNull().references('lots.id'))
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('move_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('operation_report_lots_pk', ['report_id', 'line'])
    .execute();
  await s.createIndex('operation_report_lots_lot').on('operation_report_lots').columns(['lot_id']).execute();

  for (const table of ['routing_operations', 'work_order_operations']) {
    await s.alterTable(table).addColumn('instructions_url', 'text').execute();
    await s.alterTable(table).addColumn('drawing_url', 'text').execute();
  }
}
