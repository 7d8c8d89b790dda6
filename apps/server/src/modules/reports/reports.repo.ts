import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

/**
 * The report queries. Every figure is summed by the database (GROUP BY) over an index range of the
 * date column, by UTC day (`substr(ts, 1, 10)` of the ISO text); the service rolls days up to weeks or
 * months. Timestamps are half-open [fromIso, toIso). History that moved to the archive tables is read
 * as well, so a range reaching past the archive horizon loses nothing.
 */
type Q = Kysely<Database>;

const dayOf = (column: string): RawBuilder<string> => sql<string>`substr(${sql.ref(column)}, 1, 10)`;
const n = (v: unknown) => Number(v ?? 0);

/** Statuses of an order whose unshipped lines are still owed to the customer. */
export const OPEN_ORDER_STATUSES = ['confirmed', 'in_production', 'partially_shipped'] as const;
/** Work orders on the floor: released and not yet completed. */
export const WIP_STATUSES = ['released', 'dispatched', 'in_progress', 'paused', 'on_hold'] as const;

export interface DeliveredDay {
  day: string;
  onTime: boolean;
  /** The sales order's currency: amounts of different currencies are never added up. */
  currency: string;
  lines: number;
  qty: number;
  amount: number;
}

/**
 * Sales-order lines delivered in the range, by day and on time or late. A line is delivered when it
 * is fully shipped, on the day of its last shipment; it is on time when that day is not after the
 * customer's requested date. Amounts are summed per order currency.
 */
export async function deliveredLines(db: Q, fromIso: string, toIso: string): Promise<DeliveredDay[]> {
  const touched = db
    .selectFrom('shipment_lines as sl2')
    .innerJoin('shipments as s2', 's2.id', 'sl2.shipment_id')
    .select('sl2.sales_order_line_id')
    .where('s2.created_at', '>=', fromIso)
    .where('s2.created_at', '<', toIso);
  const last = db
    .selectFrom('shipment_lines as sl')
    .innerJoin('shipments as s', 's.id', 'sl.shipment_id')
    .select(['sl.sales_order_line_id as line_id', (eb) => eb.fn.max('s.created_at').as('last_at')])
    .where('sl.sales_order_line_id', 'in', touched)
    .groupBy('sl.sales_order_line_id');
  const day = dayOf('t.last_at');
  const onTime = sql<number>`case when ${day} <= ${sql.ref('l.requested_date')} then 1 else 0 end`;
  const rows = await db
    .selectFrom(last.as('t'))
    .innerJoin('sales_order_lines as l', 'l.id', 't.line_id')
    .innerJoin('sales_orders as o', 'o.id', 'l.sales_order_id')
    .select((eb) => [
      day.as('day'),
      onTime.as('on_time'),
      'o.currency',
      eb.fn.countAll().as('lines'),
      eb.fn.sum('l.qty').as('qty'),
      eb.fn.sum('l.amount').as('amount'),
    ])
    .whereRef('l.shipped_qty', '>=', 'l.qty')
    .where('t.last_at', '>=', fromIso)
    .where('t.last_at', '<', toIso)
    .groupBy([day, onTime, 'o.currency'])
    .execute();
  return rows.map((r) => ({
    day: String(r.day),
    onTime: n(r.on_time) === 1,
    currency: r.currency,
    lines: n(r.lines),
    qty: n(r.qty),
    amount: n(r.amount),
  }));
}

export interface Backlog {
  orders: number;
  lines: number;
  qty: number;
  overdueLines: number;
  overdueQty: number;
  /** Open and overdue value per order currency (cents), by currency code. */
  values: { currency: string; value: number; overdueValue: number }[];
}

/**
 * What is still owed now: unshipped quantity of the lines of open orders, valued at the line price
 * (amount × open share, in cents) per order currency; overdue when the requested date is before
 * `today`.
 */
export async function openBacklog(db: Q, today: string): Promise<Backlog> {
  const openQty = sql<number>`(${sql.ref('l.qty')} - ${sql.ref('l.shipped_qty')})`;
  const openValue = sql<number>`(${sql.ref('l.amount')} * ${openQty} / ${sql.ref('l.qty')})`;
  const overdue = sql<boolean>`${sql.ref('l.requested_date')} < ${today}`;
  const rows = await db
    .selectFrom('sales_orders as o')
    .innerJoin('sales_order_lines as l', 'l.sales_order_id', 'o.id')
    .select((eb) => [
      'o.currency',
      eb.fn.count<number>('o.id').distinct().as('orders'),
      eb.fn.countAll<number>().as('lines'),
      eb.fn.sum(openQty).as('qty'),
      eb.fn.sum(openValue).as('value'),
      eb.fn.sum(sql<number>`case when ${overdue} then 1 else 0 end`).as('overdue_lines'),
      eb.fn.sum(sql<number>`case when ${overdue} then ${openQty} else 0 end`).as('overdue_qty'),
      eb.fn.sum(sql<number>`case when ${overdue} then ${openValue} else 0 end`).as('overdue_value'),
    ])
    .where('o.status', 'in', OPEN_ORDER_STATUSES)
    .whereRef('l.shipped_qty', '<', 'l.qty')
    .groupBy('o.currency')
    .orderBy('o.currency')
    .execute();
  // An order has one currency, so its distinct count per currency adds up to the distinct count.
  const sum = (f: (r: (typeof rows)[number]) => unknown) => rows.reduce((s, r) => s + n(f(r)), 0);
  return {
    orders: sum((r) => r.orders),
    lines: sum((r) => r.lines),
    qty: sum((r) => r.qty),
    overdueLines: sum((r) => r.overdue_lines),
    overdueQty: sum((r) => r.overdue_qty),
    values: rows.map((r) => ({
      currency: r.currency,
      value: n(r.value),
      overdueValue: n(r.overdue_value),
    })),
  };
}

export interface CompletedDay {
  day: string;
  orders: number;
  planned: number;
  good: number;
  scrap: number;
}

/** Work orders completed in the range (their `complete` transition), by day, with their output. */
export async function completedOrders(db: Q, fromIso: string, toIso: string): Promise<CompletedDay[]> {
  const hot = db
    .selectFrom('work_order_history as h')
    .innerJoin('work_orders as w', 'w.id', 'h.work_order_id')
    .select(['h.at', 'w.qty', 'w.qty_good', 'w.qty_scrap'])
    .where('h.action', '=', 'complete')
    .where('h.at', '>=', fromIso)
    .where('h.at', '<', toIso);
  const archived = db
    .selectFrom('work_order_history_archive as h')
    .innerJoin('work_orders_archive as w', 'w.id', 'h.work_order_id')
    .select(['h.at', 'w.qty', 'w.qty_good', 'w.qty_scrap'])
    .where('h.action', '=', 'complete')
    .where('h.at', '>=', fromIso)
    .where('h.at', '<', toIso);
  const day = dayOf('c.at');
  const rows = await db
    .selectFrom(hot.unionAll(archived).as('c'))
    .select((eb) => [
      day.as('day'),
      eb.fn.countAll().as('orders'),
      eb.fn.sum('c.qty').as('planned'),
      eb.fn.sum('c.qty_good').as('good'),
      eb.fn.sum('c.qty_scrap').as('scrap'),
    ])
    .groupBy(day)
    .execute();
  return rows.map((r) => ({
    day: String(r.day),
    orders: n(r.orders),
    planned: n(r.planned),
    good: n(r.good),
    scrap: n(r.scrap),
  }));
}

export interface ScrapReason {
  reason: string | null;
  reports: number;
  scrap: number;
}

/** Scrap reported on the floor in the range, by reason, largest first. */
export async function scrapReasons(db: Q, fromIso: string, toIso: string, limit: number) {
  const part = (table: 'operation_reports' | 'operation_reports_archive') =>
    db
      // The archive twin has the same columns (and one more).
      .selectFrom(`${table} as r` as 'operation_reports as r')
      .select(['r.scrap_reason', 'r.scrap'])
      .where('r.reported_at', '>=', fromIso)
      .where('r.reported_at', '<', toIso)
      .where('r.scrap', '>', 0);
  const rows = await db
    .selectFrom(part('operation_reports').unionAll(part('operation_reports_archive')).as('r'))
    .select((eb) => ['r.scrap_reason', eb.fn.countAll().as('reports'), eb.fn.sum('r.scrap').as('scrap')])
    .groupBy('r.scrap_reason')
    .orderBy(sql`sum(${sql.ref('r.scrap')})`, 'desc')
    .orderBy('r.scrap_reason')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ reason: r.scrap_reason, reports: n(r.reports), scrap: n(r.scrap) }));
}

export interface WipStatus {
  status: string;
  orders: number;
  qty: number;
  good: number;
  /** Planned quantity at standard cost, cents × 1000. */
  value: number;
}

/** Work in progress now, by status. */
export async function wipByStatus(db: Q): Promise<WipStatus[]> {
  const rows = await db
    .selectFrom('work_orders as w')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .select((eb) => [
      'w.status',
      eb.fn.countAll().as('orders'),
      eb.fn.sum('w.qty').as('qty'),
      eb.fn.sum('w.qty_good').as('good'),
      eb.fn.sum(sql<number>`${sql.ref('w.qty')} * ${sql.ref('i.standard_cost')}`).as('value'),
    ])
    .where('w.status', 'in', WIP_STATUSES)
    .groupBy('w.status')
    .execute();
  return rows.map((r) => ({
    status: r.status,
    orders: n(r.orders),
    qty: n(r.qty),
    good: n(r.good),
    value: n(r.value),
  }));
}

export interface ValueRow {
  key: string;
  code: string;
  name: string;
  items: number;
  qty: number;
  /** On-hand × standard cost: cents × 1000. */
  value: number;
}

const stockValue = sql<number>`${sql.ref('b.on_hand')} * ${sql.ref('i.standard_cost')}`;

/** On-hand stock valued at standard cost, by item type. */
export async function valueByType(db: Q): Promise<ValueRow[]> {
  const rows = await db
    .selectFrom('stock_balances as b')
    .innerJoin('items as i', 'i.id', 'b.item_id')
    .select((eb) => [
      'i.type',
      eb.fn.count('b.item_id').distinct().as('items'),
      eb.fn.sum('b.on_hand').as('qty'),
      eb.fn.sum(stockValue).as('value'),
    ])
    .where('b.on_hand', '<>', 0)
    .groupBy('i.type')
    .execute();
  return rows.map((r) => ({
    key: r.type,
    code: r.type,
    name: r.type,
    items: n(r.items),
    qty: n(r.qty),
    value: n(r.value),
  }));
}

/** On-hand stock valued at standard cost, by warehouse. */
export async function valueByWarehouse(db: Q): Promise<ValueRow[]> {
  const rows = await db
    .selectFrom('stock_balances as b')
    .innerJoin('items as i', 'i.id', 'b.item_id')
    .innerJoin('locations as l', 'l.id', 'b.location_id')
    .innerJoin('warehouses as wh', 'wh.id', 'l.warehouse_id')
    .select((eb) => [
      'wh.id',
      'wh.code',
      'wh.name',
      eb.fn.count('b.item_id').distinct().as('items'),
      eb.fn.sum('b.on_hand').as('qty'),
      eb.fn.sum(stockValue).as('value'),
    ])
    .where('b.on_hand', '<>', 0)
    .groupBy(['wh.id', 'wh.code', 'wh.name'])
    .execute();
  return rows.map((r) => ({
    key: r.id,
    code: r.code,
    name: r.name,
    items: n(r.items),
    qty: n(r.qty),
    value: n(r.value),
  }));
}

/** The items holding the most stock value. */
export async function topItemsByValue(db: Q, limit: number) {
  const rows = await db
    .selectFrom('stock_balances as b')
    .innerJoin('items as i', 'i.id', 'b.item_id')
    .select((eb) => [
      'i.id',
      'i.code',
      'i.name',
      'i.type',
      'i.uom',
      'i.standard_cost',
      eb.fn.sum('b.on_hand').as('qty'),
      eb.fn.sum(stockValue).as('value'),
    ])
    .where('b.on_hand', '<>', 0)
    .groupBy(['i.id', 'i.code', 'i.name', 'i.type', 'i.uom', 'i.standard_cost'])
    .orderBy(sql`sum(${stockValue})`, 'desc')
    .orderBy('i.code')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    uom: r.uom,
    standardCost: n(r.standard_cost),
    qty: n(r.qty),
    value: n(r.value),
  }));
}

/** Items with stock on hand but no standard cost: their stock counts as worth nothing. */
export async function uncostedItems(db: Q): Promise<number> {
  const r = await db
    .selectFrom('stock_balances as b')
    .innerJoin('items as i', 'i.id', 'b.item_id')
    .select((eb) => eb.fn.count('b.item_id').distinct().as('items'))
    .where('b.on_hand', '>', 0)
    .where('i.standard_cost', '=', 0)
    .executeTakeFirstOrThrow();
  return n(r.items);
}

export interface MachineInfo {
  id: string;
  code: string;
  name: string;
  capacity: number;
  workCenterId: string;
  workCenterCode: string;
  workCenterName: string;
  calendarId: string | null;
}

export async function machines(db: Q): Promise<MachineInfo[]> {
  const rows = await db
    .selectFrom('machines as m')
    .innerJoin('work_centers as w', 'w.id', 'm.work_center_id')
    .select([
      'm.id',
      'm.code',
      'm.name',
      'm.capacity',
      'w.id as wc_id',
      'w.code as wc_code',
      'w.name as wc_name',
      sql<string | null>`coalesce(${sql.ref('m.calendar_id')}, ${sql.ref('w.calendar_id')})`.as(
        'calendar_id',
      ),
    ])
    .where('m.active', '=', 1)
    .orderBy('w.code')
    .orderBy('m.code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    capacity: Math.max(1, n(r.capacity)),
    workCenterId: r.wc_id,
    workCenterCode: r.wc_code,
    workCenterName: r.wc_name,
    calendarId: r.calendar_id,
  }));
}

export async function downtimesIn(db: Q, fromIso: string, toIso: string) {
  return db
    .selectFrom('machine_downtimes')
    .select(['machine_id', 'start_at', 'end_at'])
    .where('end_at', '>', fromIso)
    .where('start_at', '<', toIso)
    .execute();
}

/**
 * Standard run time of the quantities reported in the window, in millionths of a minute
 * ((good + scrap) × 1000 × run_mmin), on the machine reported (else the operation's).
 */
function reportedRun(db: Q, fromIso: string, toIso: string) {
  const part = (reports: 'operation_reports' | 'operation_reports_archive') => {
    const ops = reports === 'operation_reports' ? 'work_order_operations' : 'work_order_operations_archive';
    return db
      .selectFrom(`${reports} as r` as 'operation_reports as r')
      .innerJoin(`${ops} as o` as 'work_order_operations as o', 'o.id', 'r.operation_id')
      .select([
        'r.reported_at as at',
        sql<string | null>`coalesce(${sql.ref('r.machine_id')}, ${sql.ref('o.machine_id')})`.as('machine_id'),
        sql<number>`(${sql.ref('r.good')} + ${sql.ref('r.scrap')}) * ${sql.ref('o.run_mmin')}`.as('run'),
      ])
      .where('r.reported_at', '>=', fromIso)
      .where('r.reported_at', '<', toIso);
  };
  return part('operation_reports').unionAll(part('operation_reports_archive'));
}

/** Planned minutes of the operations scheduled to start in the window, on their machine. */
function plannedRun(db: Q, fromIso: string, toIso: string) {
  const part = (ops: 'work_order_operations' | 'work_order_operations_archive') =>
    db
      .selectFrom(`${ops} as o` as 'work_order_operations as o')
      .select(['o.planned_start as at', 'o.machine_id', 'o.planned_minutes as run'])
      .where('o.planned_start', '>=', fromIso)
      .where('o.planned_start', '<', toIso)
      .where('o.machine_id', 'is not', null);
  return part('work_order_operations').unionAll(part('work_order_operations_archive'));
}

export interface RunByMachineDay {
  machineId: string;
  day: string;
  run: number;
  count: number;
}

type RunSource = ReturnType<typeof plannedRun>;

/** One pass over the window: run time and row count per machine and day. */
async function byMachineDay(db: Q, source: RunSource): Promise<RunByMachineDay[]> {
  const day = dayOf('x.at');
  const rows = await db
    .selectFrom(source.as('x'))
    .select((eb) => [
      'x.machine_id',
      day.as('day'),
      eb.fn.sum('x.run').as('run'),
      eb.fn.countAll().as('count'),
    ])
    .where('x.machine_id', 'is not', null)
    .groupBy(['x.machine_id', day])
    .execute();
  return rows.map((r) => ({
    machineId: String(r.machine_id),
    day: String(r.day),
    run: n(r.run),
    count: n(r.count),
  }));
}

export const reportedRunByMachineDay = (db: Q, fromIso: string, toIso: string) =>
  byMachineDay(db, reportedRun(db, fromIso, toIso));
export const plannedRunByMachineDay = (db: Q, fromIso: string, toIso: string) =>
  byMachineDay(db, plannedRun(db, fromIso, toIso));

export interface ReportedByMachineDay extends RunByMachineDay {
  good: number;
  scrap: number;
}

/** The fold's view of the floor reports: per machine and day, run time as above plus good and scrap. */
export async function reportedByMachineDay(
  db: Q,
  fromIso: string,
  toIso: string,
): Promise<ReportedByMachineDay[]> {
  const part = (reports: 'operation_reports' | 'operation_reports_archive') => {
    const ops = reports === 'operation_reports' ? 'work_order_operations' : 'work_order_operations_archive';
    return db
      .selectFrom(`${reports} as r` as 'operation_reports as r')
      .innerJoin(`${ops} as o` as 'work_order_operations as o', 'o.id', 'r.operation_id')
      .select([
        'r.reported_at as at',
        'r.good',
        'r.scrap',
        sql<string | null>`coalesce(${sql.ref('r.machine_id')}, ${sql.ref('o.machine_id')})`.as('machine_id'),
        sql<number>`(${sql.ref('r.good')} + ${sql.ref('r.scrap')}) * ${sql.ref('o.run_mmin')}`.as('run'),
      ])
      .where('r.reported_at', '>=', fromIso)
      .where('r.reported_at', '<', toIso);
  };
  const day = dayOf('x.at');
  const rows = await db
    .selectFrom(part('operation_reports').unionAll(part('operation_reports_archive')).as('x'))
    .select((eb) => [
      'x.machine_id',
      day.as('day'),
      eb.fn.sum('x.run').as('run'),
      eb.fn.countAll().as('count'),
      eb.fn.sum('x.good').as('good'),
      eb.fn.sum('x.scrap').as('scrap'),
    ])
    .where('x.machine_id', 'is not', null)
    .groupBy(['x.machine_id', day])
    .execute();
  return rows.map((r) => ({
    machineId: String(r.machine_id),
    day: String(r.day),
    run: n(r.run),
    count: n(r.count),
    good: n(r.good),
    scrap: n(r.scrap),
  }));
}

/** Scrap reported on the floor in the window, by day and reason (the fold's input for scrapReasons). */
export async function scrapByDayReason(db: Q, fromIso: string, toIso: string) {
  const part = (table: 'operation_reports' | 'operation_reports_archive') =>
    db
      .selectFrom(`${table} as r` as 'operation_reports as r')
      .select(['r.reported_at', 'r.scrap_reason', 'r.scrap'])
      .where('r.reported_at', '>=', fromIso)
      .where('r.reported_at', '<', toIso)
      .where('r.scrap', '>', 0);
  const day = dayOf('r.reported_at');
  const rows = await db
    .selectFrom(part('operation_reports').unionAll(part('operation_reports_archive')).as('r'))
    .select((eb) => [
      day.as('day'),
      'r.scrap_reason',
      eb.fn.countAll().as('reports'),
      eb.fn.sum('r.scrap').as('scrap'),
    ])
    .groupBy([day, 'r.scrap_reason'])
    .execute();
  return rows.map((r) => ({
    day: String(r.day),
    reason: r.scrap_reason,
    reports: n(r.reports),
    scrap: n(r.scrap),
  }));
}
