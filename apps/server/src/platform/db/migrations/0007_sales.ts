import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/** Sales orders with lines, shipments against them, and per-day counters for human codes. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sequences_pk', ['name', 'period'])
    .execute();

  await s
    .createTable('sales_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('external_ref', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('header_due_date', 'text')
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('order_value', 'bigint', (c) => c.notNull())
    .addColumn('priority_score', 'integer', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('sales_orders_status_due').on('sales_orders').columns(['status', 'due_date']).execute();
  await s
    .createIndex('sales_orders_customer')
    .on('sales_orders')
    .columns(['customer_id', 'due_date'])
    .execute();
  await s.createIndex('sales_orders_due').on('sales_orders').columns(['due_date', 'id']).execute();
  await s.createIndex('sales_orders_created').on('sales_orders').columns(['created_at', 'id']).execute();

  await s
    .createTable('sales_order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sales_order_id', 'text', (c) => c.notNull().references('sales_orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('unit_price', 'bigint', (c) => c.notNull().check(sql`unit_price >= 0`))
    .addColumn('price_per', 'bigint', (c) => c.notNull().check(sql`price_per > 0`))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('requested_date', 'text', (c) => c.notNull())
    .addColumn('promised_date', 'text')
    .addColumn('shortage', 'bigint', (c) => c.notNull().defaultTo(0))
    // The database itself refuses over-shipment: the last guard under concurrency.
    .addColumn('shipped_qty', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`shipped_qty >= 0`))
    .addCheckConstraint('sales_order_lines_not_over_shipped', sql`shipped_qty <= qty`)
    .addUniqueConstraint('sales_order_lines_no', ['sales_order_id', 'line_no'])
    .execute();
  await s.createIndex('sales_order_lines_item').on('sales_order_lines').columns(['item_id']).execute();

  await s
    .createTable('shipments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('sales_order_id', 'text', (c) => c.notNull().references('sales_orders.id'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('shipments_order').on('shipments').columns(['sales_order_id', 'created_at']).execute();

  await s
    .createTable('shipment_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id'))
    .addColumn('sales_order_line_id', 'text', (c) => c.notNull().references('sales_order_lines.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('from_location_id', 'text', (c) => c.notNull().references('locations.id'))
    .addColumn('lot', 'text')
    .addColumn('move_id', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('shipment_lines_shipment').on('shipment_lines').columns(['shipment_id']).execute();
  await s
    .createIndex('shipment_lines_order_line')
    .on('shipment_lines')
    .columns(['sales_order_line_id'])
    .execute();
}
