import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Work orders: the exploded materials and operations of an item's active BOM and routing, child work
 * orders for made components, pegging to the sales order line served, and the lifecycle history.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('work_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('qty_good', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('qty_scrap', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('qty_received', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('held_from', 'text')
    .addColumn('closed_short_reason', 'text')
    .addColumn('bom_id', 'text', (c) => c.references('boms.id'))
    .addColumn('routing_id', 'text', (c) => c.references('routings.id'))
    .addColumn('parent_id', 'text', (c) => c.references('work_orders.id'))
    .addColumn('root_id', 'text')
    .addColumn('sales_order_id', 'text')
    .addColumn('sales_order_line_id', 'text')
    .addColumn('due_date', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(50))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('work_orders_status').on('work_orders').columns(['status', 'due_date', 'id']).execute();
  await s.createIndex('work_orders_item').on('work_orders').columns(['item_id', 'status']).execute();
  await s.createIndex('work_orders_parent').on('work_orders').columns(['parent_id']).execute();
  await s.createIndex('work_orders_so_line').on('work_orders').columns(['sales_order_line_id']).execute();
  await s.createIndex('work_orders_so').on('work_orders').columns(['sales_order_id']).execute();

  await s
    .createTable('work_order_materials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty_required', 'bigint', (c) => c.notNull())
    .addColumn('qty_issued', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('operation_seq', 'integer')
    .addColumn('child_work_order_id', 'text')
    .execute();
  await s
    .createIndex('wo_materials_wo')
    .on('work_order_materials')
    .columns(['work_order_id', 'position'])
    .execute();
  await s.createIndex('wo_materials_item').on('work_order_materials').columns(['item_id']).execute();

  await s
    .createTable('work_order_operations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('work_center_id', 'text', (c) => c.notNull().references('work_centers.id'))
    .addColumn('machine_id', 'text', (c) => c.references('machines.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('setup_minutes', 'integer', (c) => c.notNull())
    .addColumn('run_mmin', 'bigint', (c) => c.notNull())
    .addColumn('planned_minutes', 'integer', (c) => c.notNull())
    .addColumn('skill_code', 'text')
    .addColumn('skill_level', 'integer')
    .addColumn('tool_code', 'text')
    .addColumn('inspection', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overlap', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wait_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('predecessors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('qty_good', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('qty_scrap', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('planned_start', 'text')
    .addColumn('planned_end', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('wo_operations_seq', ['work_order_id', 'seq'])
    .execute();
  await s
    .createIndex('wo_operations_wc')
    .on('work_order_operations')
    .columns(['work_center_id', 'status'])
    .execute();

  await s
    .createTable('work_order_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id').onDelete('cascade'))
    .addColumn('operation_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('wo_history_wo').on('work_order_history').columns(['work_order_id', 'at']).execute();
}
