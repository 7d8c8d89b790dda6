import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/** Floor exceptions raised in one tap: breakdown, material shortage, quality or tooling problem. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('floor_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('machine_id', 'text', (c) => c.references('machines.id'))
    .addColumn('item_id', 'text', (c) => c.references('items.id'))
    .addColumn('work_order_id', 'text', (c) => c.references('work_orders.id'))
    .addColumn('operation_id', 'text', (c) => c.references('work_order_operations.id'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('photo', 'text')
    .addColumn('affected', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('raised_by', 'text')
    .addColumn('owner', 'text')
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('floor_exceptions_state')
    .on('floor_exceptions')
    .columns(['state', 'raised_at'])
    .execute();
  await db.schema
    .createIndex('floor_exceptions_machine')
    .on('floor_exceptions')
    .columns(['machine_id', 'state'])
    .execute();
}
