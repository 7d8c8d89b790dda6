import type { SalesOrderListQuery } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import { prepared, preparedList } from '../../platform/db/compiled.ts';
import type { Dialect, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { SalesOrderLinesTable, SalesOrdersTable } from '../../platform/db/schema-sales.ts';
import { containsText, runPage } from '../masterdata/list.ts';
import { DEMAND_TYPE } from './salesorder.stock.ts';

type Q = Kysely<Database> | Tx;

const ORDER_COLUMNS = [
  'so.id',
  'so.code',
  'so.customer_id',
  'so.external_ref',
  'so.currency',
  'so.status',
  'so.header_due_date',
  'so.due_date',
  'so.order_value',
  'so.priority_score',
  'so.priority',
  'so.note',
  'so.version',
  'so.confirmed_at',
  'so.created_at',
  'so.updated_at',
  'c.code as customer_code',
  'c.name as customer_name',
  'c.tier as customer_tier',
] as const;

export type OrderRow = SalesOrdersTable & {
  customer_code: string;
  customer_name: string;
  customer_tier: string;
};

export type LineRow = SalesOrderLinesTable & {
  item_code: string;
  item_name: string;
  item_spec: string;
  uom: string;
  tracking: string;
  reserved: number;
};

function orders(db: Q) {
  return db.selectFrom('sales_orders as so').innerJoin('customers as c', 'c.id', 'so.customer_id');
}

const orderById = prepared((db, id: string) => orders(db).select(ORDER_COLUMNS).where('so.id', '=', id));

export async function findOrder(db: Q, id: string): Promise<OrderRow | undefined> {
  return orderById.first(db, id);
}

/** Locks the order row for the rest of the transaction (PostgreSQL; SQLite write transactions are serial). */
export async function lockOrder(tx: Tx, dialect: Dialect, id: string): Promise<OrderRow | undefined> {
  if (dialect === 'postgres') {
    await tx.selectFrom('sales_orders').select('id').where('id', '=', id).forUpdate().execute();
  }
  return findOrder(tx, id);
}

const linesOfOrders = preparedList((db, orderIds: readonly string[]) =>
  db
    .selectFrom('sales_order_lines as l')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .selectAll('l')
    .select([
      'i.code as item_code',
      'i.name as item_name',
      'i.spec as item_spec',
      'i.uom',
      'i.tracking',
      (eb) =>
        eb
          .selectFrom('reservations as r')
          .select(sql<number>`coalesce(sum(r.qty), 0)`.as('n'))
          .where('r.demand_type', '=', DEMAND_TYPE)
          .whereRef('r.demand_id', '=', 'l.id')
          .where('r.status', '=', 'open')
          .as('reserved'),
    ])
    .where('l.sales_order_id', 'in', orderIds)
    .orderBy('l.sales_order_id')
    .orderBy('l.line_no'),
);

/** Lines of the orders with item details and the quantity each holds reserved, in line order. */
export async function linesOf(db: Q, orderIds: readonly string[]): Promise<LineRow[]> {
  if (orderIds.length === 0) return [];
  const rows = await linesOfOrders(db, orderIds);
  return rows.map((r) => ({
    ...r,
    qty: Number(r.qty),
    unit_price: Number(r.unit_price),
    price_per: Number(r.price_per),
    amount: Number(r.amount),
    shortage: Number(r.shortage),
    shipped_qty: Number(r.shipped_qty),
    reserved: Number(r.reserved ?? 0),
  }));
}

/**
 * What the progress view shows, in one statement: the order's code and status with its number of
 * shipments, then one row per line in line order (a single row of nulls from `id` on for an order
 * without lines), each with its item code and the quantity it holds reserved.
 */
const progressRows = prepared((db, id: string) =>
  db
    .selectFrom('sales_orders as so')
    .leftJoin('sales_order_lines as l', 'l.sales_order_id', 'so.id')
    .leftJoin('items as i', 'i.id', 'l.item_id')
    .select([
      'so.code as order_code',
      'so.status as order_status',
      (eb) =>
        eb
          .selectFrom('shipments as s')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('s.sales_order_id', '=', 'so.id')
          .as('shipments'),
      'l.id',
      'l.line_no',
      'l.item_id',
      'i.code as item_code',
      'l.qty',
      'l.shipped_qty',
      'l.promised_date',
      (eb) =>
        eb
          .selectFrom('reservations as r')
          .select(sql<number>`coalesce(sum(r.qty), 0)`.as('n'))
          .where('r.demand_type', '=', DEMAND_TYPE)
          .whereRef('r.demand_id', '=', 'l.id')
          .where('r.status', '=', 'open')
          .as('reserved'),
    ])
    .where('so.id', '=', id)
    .orderBy('l.line_no'),
);

export type ProgressRow = NonNullable<Awaited<ReturnType<typeof progressRows.first>>>;

/** The order's progress rows (see `progressRows`); empty when there is no such order. */
export async function progressOf(db: Q, id: string): Promise<ProgressRow[]> {
  return progressRows.all(db, id);
}

export async function insertOrder(tx: Tx, row: SalesOrdersTable): Promise<void> {
  await tx.insertInto('sales_orders').values(row).execute();
}

export async function insertLines(tx: Tx, rows: readonly SalesOrderLinesTable[]): Promise<void> {
  if (rows.length > 0)
    await tx
      .insertInto('sales_order_lines')
      .values([...rows])
      .execute();
}

/** Writes the order when its version is still `version`; undefined when someone changed it since. */
export async function updateOrder(
  tx: Tx,
  id: string,
  version: number,
  changes: Partial<Omit<SalesOrdersTable, 'id' | 'version' | 'created_at'>>,
): Promise<SalesOrdersTable | undefined> {
  return tx
    .updateTable('sales_orders')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function updateLine(
  tx: Tx,
  id: string,
  changes: Partial<Omit<SalesOrderLinesTable, 'id' | 'sales_order_id' | 'shipped_qty'>>,
): Promise<void> {
  await tx.updateTable('sales_order_lines').set(changes).where('id', '=', id).execute();
}

export async function deleteLine(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('sales_order_lines').where('id', '=', id).execute();
}

/** Adds to the shipped quantity only while it stays within the ordered quantity; false otherwise. */
export async function addShipped(tx: Tx, lineId: string, qty: number): Promise<boolean> {
  const res = await tx
    .updateTable('sales_order_lines')
    .set({ shipped_qty: sql`shipped_qty + ${qty}` })
    .where('id', '=', lineId)
    .where(sql<boolean>`shipped_qty + ${qty} <= qty`)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function findCustomer(db: Q, id: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'code', 'name', 'tier', 'active', 'address'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findItems(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('items')
    .select(['id', 'code', 'active', 'tracking'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

const SORTS = {
  code: 'code',
  dueDate: 'due_date',
  priority: 'priority_score',
  createdAt: 'created_at',
} as const;

/** Orders matching the list's filters; `statuses` is its `status` filter, checked (statusFilter). */
export async function listOrders(
  db: Q,
  dialect: Dialect,
  query: SalesOrderListQuery,
  statuses: readonly string[],
) {
  let q = orders(db).select(ORDER_COLUMNS);
  if (statuses.length > 0) q = q.where('so.status', 'in', statuses);
  if (query.customerId) q = q.where('so.customer_id', '=', query.customerId);
  if (query.dueFrom) q = q.where('so.due_date', '>=', query.dueFrom);
  if (query.dueTo) q = q.where('so.due_date', '<=', query.dueTo);
  if (query.q)
    q = q.where(containsText(dialect, query.q, ['so.code', 'so.external_ref', 'c.name', 'c.code']));
  return runPage(q, query, SORTS, '-createdAt', 'so');
}
