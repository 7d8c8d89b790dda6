import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/** Tables whose records carry administrator-defined fields; the values live in `custom_fields`. */
export const CUSTOM_FIELD_TABLES = ['items', 'customers', 'suppliers', 'machines', 'work_orders'] as const;

/**
 * Custom fields: the definitions an administrator adds per entity, and one JSON text column per
 * entity table with the values by key (`{}` when none), so lists read them with the row and filters
 * use the JSON functions both databases have.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('custom_field_defs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('custom_field_defs_key', ['entity', 'key'])
    .execute();
  for (const table of CUSTOM_FIELD_TABLES) {
    await db.schema
      .alterTable(table)
      .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
  }
}
