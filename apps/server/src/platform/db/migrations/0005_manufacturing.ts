import { type Kysely, sql } from 'kysely';

/**
 * Manufacturing master data: calendars, work centers and machines (with planned downtime), BOMs and
 * routings. BOMs and routings are versioned per item; at most one version per item is active, which a
 * partial unique index enforces on both databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('weekly_shifts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('exceptions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calendars_name').on('calendars').columns(['name', 'id']).execute();

  await db.schema
    .createTable('work_centers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('calendar_id', 'text', (c) => c.references('calendars.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('work_centers_name').on('work_centers').columns(['name', 'id']).execute();
  await db.schema.createIndex('work_centers_calendar').on('work_centers').column('calendar_id').execute();

  await db.schema
    .createTable('machines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('work_center_id', 'text', (c) => c.notNull().references('work_centers.id'))
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('efficiency_bp', 'integer', (c) => c.notNull().defaultTo(10000))
    .addColumn('hourly_cost', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('up'))
    .addColumn('calendar_id', 'text', (c) => c.references('calendars.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('machines_name').on('machines').columns(['name', 'id']).execute();
  await db.schema
    .createIndex('machines_work_center')
    .on('machines')
    .columns(['work_center_id', 'code'])
    .execute();
  await db.schema.createIndex('machines_calendar').on('machines').column('calendar_id').execute();

  await db.schema
    .createTable('machine_downtimes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.id').onDelete('cascade'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('machine_downtimes_machine')
    .on('machine_downtimes')
    .columns(['machine_id', 'end_at'])
    .execute();

  for (const table of ['boms', 'routings'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
      .addColumn('item_code', 'text', (c) => c.notNull())
      .addColumn('version_label', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'text')
      .addColumn('effective_to', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint(`${table}_item_label`, ['item_id', 'version_label'])
      .execute();
    // The invariant "one active version per item" lives in the database, not only in the service.
    await db.schema
      .createIndex(`${table}_one_active`)
      .on(table)
      .column('item_id')
      .unique()
      .where(sql.ref('status'), '=', 'active')
      .execute();
    await db.schema.createIndex(`${table}_code`).on(table).columns(['item_code', 'id']).execute();
    await db.schema.createIndex(`${table}_updated`).on(table).columns(['updated_at', 'id']).execute();
  }

  await db.schema
    .createTable('bom_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bom_id', 'text', (c) => c.notNull().references('boms.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('component_item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('component_code', 'text', (c) => c.notNull())
    .addColumn('qty_per', 'bigint', (c) => c.notNull())
    .addColumn('scrap_bp', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('operation_seq', 'integer')
    .addUniqueConstraint('bom_lines_position', ['bom_id', 'position'])
    .execute();
  await db.schema.createIndex('bom_lines_component').on('bom_lines').column('component_item_id').execute();

  await db.schema
    .createTable('routing_operations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('routing_id', 'text', (c) => c.notNull().references('routings.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('work_center_id', 'text', (c) => c.notNull().references('work_centers.id'))
    .addColumn('setup_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_mmin', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('transfer_batch', 'bigint')
    .addColumn('skill_code', 'text')
    .addColumn('skill_level', 'integer')
    .addColumn('tool_code', 'text')
    .addColumn('wait_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overlap', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inspection', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('predecessors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addUniqueConstraint('routing_operations_seq', ['routing_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('routing_operations_work_center')
    .on('routing_operations')
    .column('work_center_id')
    .execute();

  await db.schema
    .createTable('routing_alternatives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('routing_operations.id').onDelete('cascade'),
    )
    .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.id'))
    .addColumn('setup_minutes', 'integer')
    .addColumn('run_mmin', 'bigint', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('routing_alternatives_machine', ['operation_id', 'machine_id'])
    .execute();
  await db.schema
    .createIndex('routing_alternatives_machine_ref')
    .on('routing_alternatives')
    .column('machine_id')
    .execute();
}
