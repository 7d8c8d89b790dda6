import type { Db } from '../../platform/db/database.ts';

/** Reads of plant data for the scheduling problem. */
export const SCHEDULED_ORDER_STATUSES = ['released', 'dispatched', 'in_progress', 'paused'];
export const OPEN_OPERATION_STATUSES = [
  'pending',
  'ready',
  'dispatched',
  'dispatch_failed',
  'in_progress',
  'paused',
  'on_hold',
];

export interface OrderRow {
  id: string;
  code: string;
  qty: number;
  routing_id: string | null;
  parent_id: string | null;
  due_date: string | null;
  priority: number;
}

export async function openWorkOrders(db: Db): Promise<OrderRow[]> {
  return db.kysely
    .selectFrom('work_orders')
    .select(['id', 'code', 'qty', 'routing_id', 'parent_id', 'due_date', 'priority'])
    .where('status', 'in', SCHEDULED_ORDER_STATUSES)
    .orderBy('id')
    .execute();
}

export interface OpRow {
  id: string;
  work_order_id: string;
  seq: number;
  work_center_id: string;
  machine_id: string | null;
  status: string;
  setup_minutes: number;
  run_mmin: number;
  predecessors: string;
  qty_good: number;
  qty_scrap: number;
}

export async function openOperations(db: Db, orderIds: readonly string[]): Promise<OpRow[]> {
  if (orderIds.length === 0) return [];
  return db.kysely
    .selectFrom('work_order_operations')
    .select([
      'id',
      'work_order_id',
      'seq',
      'work_center_id',
      'machine_id',
      'status',
      'setup_minutes',
      'run_mmin',
      'predecessors',
      'qty_good',
      'qty_scrap',
    ])
    .where('work_order_id', 'in', orderIds)
    .where('status', 'in', OPEN_OPERATION_STATUSES)
    .orderBy('work_order_id')
    .orderBy('seq')
    .execute();
}

export interface MachineRow {
  id: string;
  work_center_id: string;
  capacity: number;
  efficiency_bp: number;
  status: string;
  calendar_id: string | null;
  center_calendar_id: string | null;
}

export async function activeMachines(db: Db): Promise<MachineRow[]> {
  return db.kysely
    .selectFrom('machines as m')
    .innerJoin('work_centers as w', 'w.id', 'm.work_center_id')
    .select([
      'm.id',
      'm.work_center_id',
      'm.capacity',
      'm.efficiency_bp',
      'm.status',
      'm.calendar_id',
      'w.calendar_id as center_calendar_id',
    ])
    .where('m.active', '=', 1)
    .orderBy('m.code')
    .execute();
}

export async function downtimes(db: Db, fromIso: string, toIso: string) {
  return db.kysely
    .selectFrom('machine_downtimes')
    .select(['machine_id', 'start_at', 'end_at'])
    .where('end_at', '>', fromIso)
    .where('start_at', '<', toIso)
    .execute();
}

export interface AlternativeRow {
  machine_id: string;
  setup_minutes: number | null;
  run_mmin: number;
}

/** Routing alternatives keyed by `routingId:seq`. */
export async function alternatives(
  db: Db,
  orders: readonly OrderRow[],
): Promise<Map<string, AlternativeRow[]>> {
  const routingIds = [...new Set(orders.map((o) => o.routing_id).filter((x): x is string => !!x))];
  const out = new Map<string, AlternativeRow[]>();
  if (routingIds.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('routing_alternatives as a')
    .innerJoin('routing_operations as o', 'o.id', 'a.operation_id')
    .select(['o.routing_id', 'o.seq', 'a.machine_id', 'a.setup_minutes', 'a.run_mmin'])
    .where('o.routing_id', 'in', routingIds)
    .orderBy('a.priority')
    .orderBy('a.machine_id')
    .execute();
  for (const r of rows) {
    const key = `${r.routing_id}:${r.seq}`;
    out.set(key, [
      ...(out.get(key) ?? []),
      { machine_id: r.machine_id, setup_minutes: r.setup_minutes, run_mmin: Number(r.run_mmin) },
    ]);
  }
  return out;
}

export async function pins(db: Db) {
  return db.kysely.selectFrom('schedule_pins').selectAll().orderBy('operation_id').execute();
}

export interface MaterialRow {
  work_order_id: string;
  item_id: string;
  open_qty: number;
  operation_seq: number | null;
  child_work_order_id: string | null;
}

export async function openMaterials(db: Db, orderIds: readonly string[]): Promise<MaterialRow[]> {
  if (orderIds.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('work_order_materials')
    .select([
      'work_order_id',
      'item_id',
      'qty_required',
      'qty_issued',
      'operation_seq',
      'child_work_order_id',
    ])
    .where('work_order_id', 'in', orderIds)
    .orderBy('work_order_id')
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    work_order_id: r.work_order_id,
    item_id: r.item_id,
    open_qty: Math.max(0, Number(r.qty_required) - Number(r.qty_issued)),
    operation_seq: r.operation_seq,
    child_work_order_id: r.child_work_order_id,
  }));
}

export async function stockOf(db: Db, itemIds: readonly string[]): Promise<Map<string, number>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('stock_balances')
    .select(['item_id', (eb) => eb.fn.sum<number>('on_hand').as('qty')])
    .where('item_id', 'in', itemIds)
    .groupBy('item_id')
    .execute();
  return new Map(rows.map((r) => [r.item_id, Number(r.qty)]));
}

/** Earliest due date of an open purchase order line per item. */
export async function earliestReceipts(db: Db, itemIds: readonly string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('purchase_order_lines as l')
    .innerJoin('purchase_orders as p', 'p.id', 'l.po_id')
    .select(['l.item_id', (eb) => eb.fn.min<string>('l.due_date').as('due')])
    .where('l.item_id', 'in', itemIds)
    .where('l.status', 'in', ['open', 'partially_received'])
    .where('p.status', 'in', ['approved', 'sent', 'partially_received'])
    .groupBy('l.item_id')
    .execute();
  return new Map(rows.map((r) => [r.item_id, String(r.due)]));
}
