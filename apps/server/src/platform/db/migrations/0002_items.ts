import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('uom', 'text', (c) => c.notNull())
    .addColumn('safety_stock', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('standard_cost', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('items_name').on('items').columns(['name', 'id']).execute();
  await db.schema.createIndex('items_updated').on('items').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('items_type').on('items').columns(['type', 'code']).execute();
}
