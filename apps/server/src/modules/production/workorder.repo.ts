import { type Kysely, type SqlBool, sql } from 'kysely';
import { preparedShapes } from '../../platform/db/compiled.ts';
import { notePartitionRead, unnoted } from '../../platform/db/table-versions.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Tx;

export async function activeBom(db: Q, itemId: string) {
  return db
    .selectFrom('boms')
    .select(['id'])
    .where('item_id', '=', itemId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function activeRouting(db: Q, itemId: string) {
  return db
    .selectFrom('routings')
    .select(['id'])
    .where('item_id', '=', itemId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function bomLines(db: Q, bomId: string) {
  return db.selectFrom('bom_lines').selectAll().where('bom_id', '=', bomId).orderBy('position').execute();
}

export async function routingOperations(db: Q, routingId: string) {
  return db
    .selectFrom('routing_operations')
    .selectAll()
    .where('routing_id', '=', routingId)
    .orderBy('seq')
    .execute();
}

/** The tables a work order is read from: the hot ones, or their archive twins (migration 0026). */
export const HOT = {
  orders: 'work_orders',
  materials: 'work_order_materials',
  operations: 'work_order_operations',
  history: 'work_order_history',
} as const;
export const ARCHIVE = {
  orders: 'work_orders_archive',
  materials: 'work_order_materials_archive',
  operations: 'work_order_operations_archive',
  history: 'work_order_history_archive',
} as unknown as typeof HOT;
export type WorkOrderTables = typeof HOT;
type Place = 'hot' | 'archive';
const tablesOf = (place: Place) => (place === 'hot' ? HOT : ARCHIVE);

const findShapes = preparedShapes(
  (place: Place) => (db, id: string) =>
    db
      .selectFrom(`${tablesOf(place).orders} as w` as 'work_orders as w')
      .innerJoin('items as i', 'i.id', 'w.item_id')
      .selectAll('w')
      .select(['i.code as item_code', 'i.name as item_name'])
      .where('w.id', '=', id),
);

/** A work order with its item's code and name, from the hot table or its archive twin. */
export async function findWorkOrder(db: Q, id: string, table: 'work_orders' = 'work_orders') {
  return findShapes(table === HOT.orders ? 'hot' : 'archive').first(db, id);
}

export type WorkOrderRow = NonNullable<Awaited<ReturnType<typeof findWorkOrder>>>;

const materialShapes = preparedShapes(
  (place: Place) => (db, id: string) =>
    db
      .selectFrom(`${tablesOf(place).materials} as m` as 'work_order_materials as m')
      .innerJoin('items as i', 'i.id', 'm.item_id')
      .selectAll('m')
      .select(['i.code', 'i.name'])
      .where('m.work_order_id', '=', id)
      .orderBy('m.position'),
);

const operationShapes = preparedShapes(
  (place: Place) => (db, id: string) =>
    db
      .selectFrom(tablesOf(place).operations)
      .select([
        'id',
        'seq',
        'name',
        'work_center_id',
        'machine_id',
        'status',
        'setup_minutes',
        'planned_minutes',
        'qty_good',
        'qty_scrap',
        'inspection',
        'instructions_url',
        'drawing_url',
      ])
      .where('work_order_id', '=', id)
      .orderBy('seq'),
);

const childShapes = preparedShapes(
  (place: Place) => (db, id: string) =>
    db
      .selectFrom(`${tablesOf(place).orders} as w` as 'work_orders as w')
      .innerJoin('items as i', 'i.id', 'w.item_id')
      .select(['w.id', 'w.code', 'w.status', 'i.code as item_code'])
      .where('w.parent_id', '=', id)
      .orderBy('w.code'),
);

const historyShapes = preparedShapes(
  (place: Place) => (db, id: string) =>
    db
      .selectFrom(tablesOf(place).history)
      .select(['action', 'operation_id', 'from_status', 'to_status', 'reason', 'actor_id', 'at'])
      .where('work_order_id', '=', id)
      .orderBy('at')
      .orderBy('id'),
);

/** Materials, operations, child orders and history of a work order, read at once. */
export async function detailOf(db: Q, id: string, t: WorkOrderTables) {
  const place: Place = t === HOT ? 'hot' : 'archive';
  // The operations and history of this order only: a cached answer notes their partition, so a
  // report on another order's operation leaves it current (table-versions.ts).
  const byOrder = place === 'hot';
  const ofOrder = <T>(read: () => Promise<T>) => (byOrder ? unnoted(read) : read());
  const [materials, operations, children, history] = await Promise.all([
    materialShapes(place).all(db, id),
    ofOrder(() => operationShapes(place).all(db, id)),
    childShapes(place).all(db, id),
    ofOrder(() => historyShapes(place).all(db, id)),
  ]);
  if (byOrder) {
    notePartitionRead('work_order_operations', 'work_order_id', id);
    notePartitionRead('work_order_history', 'work_order_id', id);
  }
  return { materials, operations, children, history };
}

/** The work-order columns a list row shows: all but the close-short reason and the source. */
export const SUMMARY_COLUMNS = [
  'w.id',
  'w.code',
  'w.item_id',
  'w.qty',
  'w.qty_good',
  'w.qty_scrap',
  'w.qty_received',
  'w.status',
  'w.held_from',
  'w.bom_id',
  'w.routing_id',
  'w.parent_id',
  'w.root_id',
  'w.sales_order_id',
  'w.sales_order_line_id',
  'w.due_date',
  'w.priority',
  'w.custom_fields',
  'w.version',
  'w.created_at',
  'w.updated_at',
] as const;

export type WorkOrderSummaryRow = Omit<
  WorkOrderRow,
  'closed_short_reason' | 'source' | 'item_code' | 'item_name'
>;

/** The list filters that compare one column each; `beforeId` is the page cursor. */
export interface WorkOrderFilters {
  readonly status?: string;
  readonly itemId?: string;
  readonly salesOrderId?: string;
  readonly rootId?: string;
  /** A `like` pattern on the lower-cased code, `\` escaping its wildcards. */
  readonly codeLike?: string;
  readonly beforeId?: string;
}
const FILTER_KEYS = ['status', 'itemId', 'salesOrderId', 'rootId', 'codeLike', 'beforeId'] as const;

/**
 * Work orders newest first, `limit` rows at most, from the hot table or the archive. Without the
 * item's code and name: those come from workorder.items.ts, cheaper than a join per row.
 */
export function listQuery(db: Q, archived: boolean, f: WorkOrderFilters, limit: number) {
  let query = db
    .selectFrom(`${archived ? ARCHIVE.orders : HOT.orders} as w` as 'work_orders as w')
    .select(SUMMARY_COLUMNS)
    .orderBy('w.id', 'desc')
    .limit(limit);
  if (f.status !== undefined) query = query.where('w.status', '=', f.status);
  if (f.itemId !== undefined) query = query.where('w.item_id', '=', f.itemId);
  if (f.salesOrderId !== undefined) query = query.where('w.sales_order_id', '=', f.salesOrderId);
  if (f.rootId !== undefined) query = query.where('w.root_id', '=', f.rootId);
  // Lower case on both sides: LIKE ignores ASCII case on SQLite but not on PostgreSQL.
  if (f.codeLike !== undefined)
    query = query.where(sql<SqlBool>`lower(w.code) like ${f.codeLike} escape '\\'`);
  if (f.beforeId !== undefined) query = query.where('w.id', '<', f.beforeId);
  return query;
}

/** The list query compiled once per set of filters present (the shape is the archive flag and their names). */
const listShapes = preparedShapes((shape: string) => {
  const [place, ...keys] = shape.split(' ') as [Place, ...(keyof WorkOrderFilters)[]];
  return (db, ...args: (string | number)[]) => {
    const f: Record<string, string> = {};
    keys.forEach((k, i) => {
      f[k] = args[i] as string;
    });
    return listQuery(db, place === 'archive', f, args[keys.length] as number);
  };
});

/** The list without other conditions: `listQuery` compiled once per shape and reused. */
export async function listWorkOrders(db: Q, archived: boolean, f: WorkOrderFilters, limit: number) {
  let shape: string = archived ? 'archive' : 'hot';
  const args: (string | number)[] = [];
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v === undefined) continue;
    shape += ` ${k}`;
    args.push(v);
  }
  args.push(limit);
  return listShapes(shape).all(db, ...args);
}

/** Custom field values (checked JSON); with a version and time when they change an existing order. */
export async function setCustomFields(
  tx: Tx,
  id: string,
  json: string,
  version?: number,
  updatedAt?: string,
): Promise<void> {
  await tx
    .updateTable('work_orders')
    .set({ custom_fields: json, ...(version !== undefined ? { version, updated_at: updatedAt } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function lockWorkOrder(tx: Tx, dialect: 'sqlite' | 'postgres', id: string) {
  let q = tx.selectFrom('work_orders').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}
