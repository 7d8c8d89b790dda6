import { nearDuplicateKey } from '@takt/domain';
import { type Kysely, sql } from 'kysely';

/**
 * Master data: code rules, warehouses and locations, customers, suppliers and what they supply,
 * employees and their skills, tools and molds, and the item fields planning needs (tracking, lead
 * times, order sizes, unit conversions). Work centers and machines belong to another migration:
 * nothing here refers to them except plain machine codes on tools.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;

  await s
    .createTable('code_rules')
    .addColumn('entity', 'text', (c) => c.primaryKey())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('upper_case', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('example', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('warehouses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('locations_code', ['warehouse_id', 'code'])
    .execute();

  // Items: one ALTER per column (SQLite adds one column per statement).
  const items = () => s.alterTable('items');
  await items()
    .addColumn('tracking', 'text', (c) => c.notNull().defaultTo('none'))
    .execute();
  await items()
    .addColumn('default_warehouse_id', 'text', (c) => c.references('warehouses.id'))
    .execute();
  await items()
    .addColumn('purchase_lead_days', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await items()
    .addColumn('production_lead_days', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await items()
    .addColumn('min_order_qty', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await items()
    .addColumn('order_multiple', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await items()
    .addColumn('dup_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const existing = await sql<{
    id: string;
    name: string;
    spec: string;
  }>`select id, name, spec from items`.execute(db);
  for (const r of existing.rows) {
    await sql`update items set dup_key = ${nearDuplicateKey(r.name, r.spec)} where id = ${r.id}`.execute(db);
  }
  await s.createIndex('items_dup_key').on('items').columns(['dup_key']).execute();

  await s
    .createTable('item_uom_conversions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('from_uom', 'text', (c) => c.notNull())
    .addColumn('to_uom', 'text', (c) => c.notNull())
    .addColumn('factor_num', 'bigint', (c) => c.notNull())
    .addColumn('factor_den', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('item_uom_conversions_pair', ['item_id', 'from_uom', 'to_uom'])
    .execute();

  for (const party of ['customers', 'suppliers'] as const) {
    let t = s
      .createTable(party)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('dup_key', 'text', (c) => c.notNull())
      .addColumn('contacts', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''));
    t =
      party === 'customers'
        ? t.addColumn('tier', 'text', (c) => c.notNull().defaultTo('B'))
        : t.addColumn('lead_days', 'integer', (c) => c.notNull().defaultTo(0));
    await t
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex(`${party}_name`).on(party).columns(['name', 'id']).execute();
    await s.createIndex(`${party}_updated`).on(party).columns(['updated_at', 'id']).execute();
  }

  await s
    .createTable('supplier_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('supplier_id', 'text', (c) => c.notNull().references('suppliers.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('supplier_part_no', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('price', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('lead_days', 'integer')
    .addColumn('moq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('supplier_items_pair', ['supplier_id', 'item_id'])
    .execute();
  await s.createIndex('supplier_items_item').on('supplier_items').columns(['item_id']).execute();

  await s
    .createTable('employees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('shift', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('badge_code', 'text', (c) => c.unique())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('employees_name').on('employees').columns(['name', 'id']).execute();
  await s.createIndex('employees_team').on('employees').columns(['team', 'code']).execute();
  await s
    .createTable('employee_skills')
    .addColumn('employee_id', 'text', (c) => c.notNull().references('employees.id').onDelete('cascade'))
    .addColumn('skill_code', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 1 and 5`))
    .addPrimaryKeyConstraint('employee_skills_pk', ['employee_id', 'skill_code'])
    .execute();
  await s
    .createIndex('employee_skills_skill')
    .on('employee_skills')
    .columns(['skill_code', 'level'])
    .execute();

  await s
    .createTable('tools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('qty_available', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('setup_family', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('usage_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('usage_limit', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('tools_name').on('tools').columns(['name', 'id']).execute();
  await s.createIndex('tools_family').on('tools').columns(['setup_family', 'code']).execute();
  await s
    .createTable('tool_items')
    .addColumn('tool_id', 'text', (c) => c.notNull().references('tools.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addPrimaryKeyConstraint('tool_items_pk', ['tool_id', 'item_id'])
    .execute();
  await s.createIndex('tool_items_item').on('tool_items').columns(['item_id']).execute();
  // Machines live in another module; until it links them, a tool names the machines it fits by code.
  await s
    .createTable('tool_machines')
    .addColumn('tool_id', 'text', (c) => c.notNull().references('tools.id').onDelete('cascade'))
    .addColumn('machine_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tool_machines_pk', ['tool_id', 'machine_code'])
    .execute();
}
