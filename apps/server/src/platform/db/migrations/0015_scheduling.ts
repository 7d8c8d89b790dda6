import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Scheduling runs (a solve or an event-driven repair) with their proposed assignments, planner pins
 * and the scheduling settings. The engine's problem and schedule are kept per run as JSON text so a
 * manual move can be checked and a later repair can start from the published plan.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('schedule_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('time_limit_ms', 'integer')
    .addColumn('max_iterations', 'integer')
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('base_run_id', 'text')
    .addColumn('repair_key', 'text')
    .addColumn('kpis', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('conflicts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('moved', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('problem', 'text')
    .addColumn('schedule', 'text')
    .addColumn('note', 'text')
    .addColumn('error', 'text')
    .addColumn('elapsed_ms', 'integer')
    .addColumn('requested_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addUniqueConstraint('schedule_runs_repair', ['base_run_id', 'repair_key'])
    .execute();
  await db.schema
    .createIndex('schedule_runs_created')
    .on('schedule_runs')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createTable('schedule_assignments')
    .addColumn('run_id', 'text', (c) => c.notNull().references('schedule_runs.id'))
    .addColumn('operation_id', 'text', (c) => c.notNull().references('work_order_operations.id'))
    .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('setup_minutes', 'integer', (c) => c.notNull())
    .addColumn('locked', 'text')
    .addPrimaryKeyConstraint('schedule_assignments_pk', ['run_id', 'operation_id'])
    .execute();
  await db.schema
    .createIndex('schedule_assignments_machine')
    .on('schedule_assignments')
    .columns(['run_id', 'machine_id', 'start_at'])
    .execute();
  await db.schema
    .createTable('schedule_pins')
    .addColumn('operation_id', 'text', (c) => c.primaryKey().references('work_order_operations.id'))
    .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.id'))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('pinned_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('schedule_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('frozen_horizon_minutes', 'integer', (c) => c.notNull())
    .addColumn('dispatch_within_hours', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
