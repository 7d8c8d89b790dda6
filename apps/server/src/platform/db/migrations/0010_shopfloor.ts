import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/** Operation execution: dispatch (also to external endpoints), reports with idempotency keys, alerts. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const s = db.schema;
  const ops = () => s.alterTable('work_order_operations');
  await ops().addColumn('held_from', 'text').execute();
  await ops()
    .addColumn('dispatch_no', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await ops().addColumn('dispatched_at', 'text').execute();
  await ops().addColumn('dispatch_error', 'text').execute();
  await ops().addColumn('external_ack_at', 'text').execute();
  await ops().addColumn('started_at', 'text').execute();
  await ops().addColumn('status_since', 'text').execute();
  await ops().addColumn('operator_id', 'text').execute();
  await s
    .createIndex('wo_operations_machine')
    .on('work_order_operations')
    .columns(['machine_id', 'status'])
    .execute();
  await s
    .createIndex('wo_operations_status_since')
    .on('work_order_operations')
    .columns(['status', 'status_since'])
    .execute();

  await s
    .createTable('dispatch_targets')
    .addColumn('work_center_id', 'text', (c) => c.primaryKey().references('work_centers.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('operation_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('work_order_operations.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('good', 'bigint', (c) => c.notNull())
    .addColumn('scrap', 'bigint', (c) => c.notNull())
    .addColumn('scrap_reason', 'text')
    .addColumn('operator_id', 'text')
    .addColumn('machine_id', 'text')
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createIndex('operation_reports_op')
    .on('operation_reports')
    .columns(['operation_id', 'reported_at'])
    .execute();

  await s
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .execute();
  await s.createIndex('alerts_open').on('alerts').columns(['acknowledged_at', 'created_at']).execute();
}
