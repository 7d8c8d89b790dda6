import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Purchasing (orders, lines, receipts and returns, per-day code sequences, settings) and MRP runs
 * with their results (planned orders, shortages, action messages) plus independent demand.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const s = db.schema;
  // PO codes take their numbers from the `sequences` table of migration 0007 (series PO).
  await s
    .createTable('purchasing_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await sql`insert into purchasing_settings (key, value, version, updated_at) values
    ('settings', ${JSON.stringify({ requireSeparateApprover: false, overReceiptToleranceBp: 500, plantTimeZone: 'Asia/Shanghai' })}, 1, ${now})`.execute(
    db,
  );

  await s
    .createTable('purchase_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('supplier_id', 'text', (c) => c.notNull().references('suppliers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('tolerance_bp', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('purchase_orders_status').on('purchase_orders').columns(['status', 'id']).execute();
  await s
    .createIndex('purchase_orders_supplier')
    .on('purchase_orders')
    .columns(['supplier_id', 'id'])
    .execute();

  await s
    .createTable('purchase_order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('po_id', 'text', (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('received_qty', 'bigint', (c) => c.notNull().check(sql`received_qty >= 0`))
    .addColumn('returned_qty', 'bigint', (c) => c.notNull())
    .addColumn('unit_price', 'bigint', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // A planned order becomes at most one purchase order line.
    .addColumn('planned_order_id', 'text', (c) => c.unique())
    .addUniqueConstraint('purchase_order_lines_no', ['po_id', 'line_no'])
    .execute();
  await s
    .createIndex('purchase_order_lines_open')
    .on('purchase_order_lines')
    .columns(['status', 'due_date', 'id'])
    .execute();
  await s.createIndex('purchase_order_lines_item').on('purchase_order_lines').columns(['item_id']).execute();

  await s
    .createTable('purchase_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('po_id', 'text', (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('po_line_id', 'text', (c) => c.notNull().references('purchase_order_lines.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('qty', 'bigint', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
    .addColumn('lot', 'text')
    .addColumn('move_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('purchase_receipts_po').on('purchase_receipts').columns(['po_id', 'id']).execute();

  await s
    .createTable('mrp_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    // 1 while queued or running, null after: the unique index allows one active run at a time.
    .addColumn('active_slot', 'integer', (c) => c.unique())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('plan_start', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();

  await s
    .createTable('mrp_planned_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('mrp_runs.id'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('release_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('past_due', 'integer', (c) => c.notNull())
    .addColumn('supplier_id', 'text')
    .addColumn('pegging', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('mrp_planned_orders_run').on('mrp_planned_orders').columns(['run_id', 'id']).execute();

  await s
    .createTable('mrp_shortages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('mrp_runs.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('planned_order_id', 'text', (c) => c.notNull())
    .addColumn('release_date', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('mrp_shortages_run').on('mrp_shortages').columns(['run_id', 'id']).execute();

  await s
    .createTable('mrp_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('mrp_runs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('receipt_type', 'text')
    .addColumn('receipt_id', 'text')
    .addColumn('planned_order_id', 'text')
    .addColumn('current_due', 'text')
    .addColumn('suggested_due', 'text')
    .addColumn('past_due', 'integer', (c) => c.notNull())
    .execute();
  await s.createIndex('mrp_actions_run').on('mrp_actions').columns(['run_id', 'id']).execute();

  await s
    .createTable('mrp_demands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('mrp_demands_item').on('mrp_demands').columns(['item_id']).execute();
}
