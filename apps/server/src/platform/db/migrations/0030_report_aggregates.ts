import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Daily aggregates for the management reports (reports.aggregates.ts): per machine the reported and
 * the planned run time, completed orders, scrap by reason, delivered lines; and the dirty-day markers
 * that keep them exact.
 *
 * Every write that can change a report's figure for a UTC day inserts that day into
 * `report_dirty_days` from a trigger, so the marker commits (or rolls back) with the row itself. The
 * fold job takes markers and recomputes their days from the source rows; a report sums the
 * aggregates of the days without a marker and computes the marked days directly. Archiving moves
 * rows between twins that the recomputation reads alike, so it marks nothing.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;
  // No uniqueness: on PostgreSQL a unique day would make concurrent writers of the same day wait for
  // each other. The triggers skip days already marked, so the table stays about one row per day.
  await s
    .createTable('report_dirty_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('report_dirty_days_day').on('report_dirty_days').columns(['day']).execute();

  await s
    .createTable('report_machine_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('machine_id', 'text', (c) => c.notNull())
    .addColumn('reports', 'bigint', (c) => c.notNull())
    .addColumn('good', 'bigint', (c) => c.notNull())
    .addColumn('scrap', 'bigint', (c) => c.notNull())
    .addColumn('run', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_machine_days_pk', ['day', 'machine_id'])
    .execute();
  await s
    .createTable('report_planned_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('machine_id', 'text', (c) => c.notNull())
    .addColumn('operations', 'bigint', (c) => c.notNull())
    .addColumn('run', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_planned_days_pk', ['day', 'machine_id'])
    .execute();
  // The same per month, summed from the days: a year's utilisation reads a few rows per machine.
  for (const [table, count] of [
    ['report_machine_months', 'reports'],
    ['report_planned_months', 'operations'],
  ] as const) {
    await s
      .createTable(table)
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('machine_id', 'text', (c) => c.notNull())
      .addColumn(count, 'bigint', (c) => c.notNull())
      .addColumn('run', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['month', 'machine_id'])
      .execute();
  }
  await s
    .createTable('report_scrap_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('scrap_reason', 'text')
    .addColumn('reports', 'bigint', (c) => c.notNull())
    .addColumn('scrap', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('report_scrap_days_day').on('report_scrap_days').columns(['day']).execute();
  await s
    .createTable('report_production_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('orders', 'bigint', (c) => c.notNull())
    .addColumn('planned', 'bigint', (c) => c.notNull())
    .addColumn('good', 'bigint', (c) => c.notNull())
    .addColumn('scrap', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('report_delivery_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addColumn('lines', 'bigint', (c) => c.notNull())
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_delivery_days_pk', ['day', 'on_time'])
    .execute();
  // One row: folds lock it so they run one at a time; `rebuild` asks the job to mark every day.
  await s
    .createTable('report_fold_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('rebuild', 'integer', (c) => c.notNull())
    .addColumn('folded_at', 'text')
    .execute();
  await sql`insert into report_fold_state (id, rebuild, folded_at) values (1, 1, null)`.execute(db);

  const changed = (cols: readonly string[]) =>
    cols
      .map((c) =>
        dialect === 'postgres' ? `old.${c} is distinct from new.${c}` : `old.${c} is not new.${c}`,
      )
      .join(' or ');
  const day = (col: string) => `substr(${col}, 1, 10)`;
  const shipmentDays = (line: string) =>
    `select ${day('s.created_at')} as day from shipment_lines sl join shipments s on s.id = sl.shipment_id
     where sl.sales_order_line_id = ${line}`;
  const completions = (wo: string) =>
    `select ${day('h.at')} as day from work_order_history h where h.work_order_id = ${wo} and h.action = 'complete'`;
  const reportDays = (op: string) =>
    `select ${day('r.reported_at')} as day from operation_reports r where r.operation_id = ${op}`;

  const triggers: { name: string; on: string; event: string; when?: string; days: string }[] = [
    {
      name: 'rd_report_ins',
      on: 'operation_reports',
      event: 'insert',
      days: `select ${day('new.reported_at')} as day`,
    },
    {
      name: 'rd_report_upd',
      on: 'operation_reports',
      event: 'update',
      when: changed(['reported_at', 'good', 'scrap', 'scrap_reason', 'machine_id', 'operation_id']),
      days: `select ${day('old.reported_at')} as day union select ${day('new.reported_at')}`,
    },
    {
      name: 'rd_report_del',
      on: 'operation_reports',
      event: 'delete',
      days: `select ${day('old.reported_at')} as day`,
    },
    {
      name: 'rd_history_ins',
      on: 'work_order_history',
      event: 'insert',
      when: `new.action = 'complete'`,
      days: `select ${day('new.at')} as day`,
    },
    {
      name: 'rd_history_upd',
      on: 'work_order_history',
      event: 'update',
      when: `(old.action = 'complete' or new.action = 'complete') and (${changed(['action', 'at', 'work_order_id'])})`,
      days: `select ${day('old.at')} as day union select ${day('new.at')}`,
    },
    {
      name: 'rd_history_del',
      on: 'work_order_history',
      event: 'delete',
      when: `old.action = 'complete'`,
      days: `select ${day('old.at')} as day`,
    },
    {
      name: 'rd_work_order_upd',
      on: 'work_orders',
      event: 'update of qty, qty_good, qty_scrap',
      when: changed(['qty', 'qty_good', 'qty_scrap']),
      days: completions('new.id'),
    },
    {
      name: 'rd_operation_upd',
      on: 'work_order_operations',
      event: 'update of run_mmin, machine_id',
      when: changed(['run_mmin', 'machine_id']),
      days: reportDays('new.id'),
    },
    {
      name: 'rd_operation_ins',
      on: 'work_order_operations',
      event: 'insert',
      days: `select ${day('new.planned_start')} as day`,
    },
    {
      name: 'rd_operation_plan_upd',
      on: 'work_order_operations',
      event: 'update of planned_start, planned_minutes, machine_id',
      when: changed(['planned_start', 'planned_minutes', 'machine_id']),
      days: `select ${day('old.planned_start')} as day union select ${day('new.planned_start')}`,
    },
    {
      name: 'rd_operation_del',
      on: 'work_order_operations',
      event: 'delete',
      days: `select ${day('old.planned_start')} as day`,
    },
    {
      name: 'rd_shipment_line_ins',
      on: 'shipment_lines',
      event: 'insert',
      days: shipmentDays('new.sales_order_line_id'),
    },
    {
      name: 'rd_shipment_line_del',
      on: 'shipment_lines',
      event: 'delete',
      days: `${shipmentDays('old.sales_order_line_id')} union select ${day('s.created_at')} from shipments s where s.id = old.shipment_id`,
    },
    {
      name: 'rd_sales_line_upd',
      on: 'sales_order_lines',
      event: 'update of qty, shipped_qty, amount, requested_date',
      when: changed(['qty', 'shipped_qty', 'amount', 'requested_date']),
      days: shipmentDays('new.id'),
    },
  ];
  for (const t of triggers) {
    // One day (the common case, a floor report): a plain probe of the index, no derived table.
    const one = /^select (substr\([a-z_.]+, 1, 10\)) as day$/.exec(t.days)?.[1];
    const body = one
      ? `insert into report_dirty_days (day) select ${one}
         where ${one} is not null and not exists (select 1 from report_dirty_days d where d.day = ${one})`
      : `insert into report_dirty_days (day)
         select distinct x.day from (${t.days}) x
         where x.day is not null and not exists (select 1 from report_dirty_days d where d.day = x.day)`;
    if (dialect === 'postgres') {
      await sql
        .raw(`create function ${t.name}() returns trigger language plpgsql as $fn$
          begin ${body}; return null; end $fn$`)
        .execute(db);
      await sql
        .raw(`create trigger ${t.name} after ${t.event} on ${t.on} for each row
          ${t.when ? `when (${t.when})` : ''} execute function ${t.name}()`)
        .execute(db);
    } else {
      await sql
        .raw(`create trigger ${t.name} after ${t.event} on ${t.on} for each row
          ${t.when ? `when ${t.when}` : ''} begin ${body}; end`)
        .execute(db);
    }
  }
}
