import { type Kysely, type SqlBool, sql } from 'kysely';
import { cachedRows } from '../../platform/cache/cache.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  PurchaseOrderLinesTable,
  PurchaseOrdersTable,
  PurchaseReceiptsTable,
} from '../../platform/db/schema-purchasing.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

export const OPEN_PO_STATUSES = ['approved', 'sent', 'partially_received'] as const;
export const OPEN_LINE_STATUSES = ['open', 'partially_received'] as const;

/** `lock` (PostgreSQL) holds the order row until commit, so receipts on one order roll up in turn. */
export async function findOrder(db: Q, id: string, lock = false) {
  let q = db.selectFrom('purchase_orders').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findSupplier(db: Q, id: string) {
  return db
    .selectFrom('suppliers')
    .select(['id', 'code', 'name', 'active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The suppliers of `ids`, through the master-data cache outside a transaction. */
export async function suppliersByIds(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await cachedRows(db, 'suppliers', ids, (missing) =>
    db.selectFrom('suppliers').selectAll().where('id', 'in', missing).execute(),
  );
  return [...rows.values()];
}

export async function linesOf(db: Q, poIds: readonly string[]): Promise<PurchaseOrderLinesTable[]> {
  if (poIds.length === 0) return [];
  return db
    .selectFrom('purchase_order_lines')
    .selectAll()
    .where('po_id', 'in', poIds)
    .orderBy('po_id')
    .orderBy('line_no')
    .execute();
}

export async function insertOrder(tx: Tx, row: PurchaseOrdersTable, lines: PurchaseOrderLinesTable[]) {
  await tx.insertInto('purchase_orders').values(row).execute();
  if (lines.length > 0) await tx.insertInto('purchase_order_lines').values(lines).execute();
}

export async function replaceLines(tx: Tx, poId: string, lines: PurchaseOrderLinesTable[]) {
  await tx.deleteFrom('purchase_order_lines').where('po_id', '=', poId).execute();
  if (lines.length > 0) await tx.insertInto('purchase_order_lines').values(lines).execute();
}

/** Updates only when the stored version is `version`; undefined when stale. */
export async function updateOrder(
  tx: Tx,
  id: string,
  version: number,
  changes: Partial<Omit<PurchaseOrdersTable, 'id' | 'version' | 'created_at'>>,
) {
  return tx
    .updateTable('purchase_orders')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function listOrders(
  db: Q,
  query: { status?: string; supplierId?: string; itemId?: string; limit?: number; cursor?: string },
) {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor, '-id');
  let q = db
    .selectFrom('purchase_orders')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (query.status) q = q.where('status', '=', query.status as PurchaseOrdersTable['status']);
  if (query.supplierId) q = q.where('supplier_id', '=', query.supplierId);
  if (query.itemId) {
    const itemId = query.itemId;
    q = q.where('id', 'in', (eb) =>
      eb.selectFrom('purchase_order_lines').select('po_id').where('item_id', '=', itemId),
    );
  }
  if (cursor) q = q.where('id', '<', cursor.id);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ s: '-id', v: null, id: last.id }) : null;
  return { rows: page, nextCursor };
}

/**
 * Adds `qty` to a line's received quantity only while the total stays within the tolerance: one
 * conditional statement, so concurrent receipts cannot together exceed it. False when refused.
 */
export async function addReceived(tx: Tx, lineId: string, qty: number, toleranceBp: number) {
  const res = await tx
    .updateTable('purchase_order_lines')
    .set({ received_qty: sql`received_qty + ${qty}` })
    .where('id', '=', lineId)
    .where(sql<SqlBool>`(received_qty + ${qty}) * 10000 <= qty * ${10_000 + toleranceBp}`)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Takes a returned quantity off the received quantity; false when more than was received. */
export async function subtractReceived(tx: Tx, lineId: string, qty: number) {
  const res = await tx
    .updateTable('purchase_order_lines')
    .set({ received_qty: sql`received_qty - ${qty}`, returned_qty: sql`returned_qty + ${qty}` })
    .where('id', '=', lineId)
    .where('received_qty', '>=', qty)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function setLineStatus(tx: Tx, lineId: string, status: string) {
  await tx.updateTable('purchase_order_lines').set({ status }).where('id', '=', lineId).execute();
}

export async function insertReceipt(tx: Tx, row: PurchaseReceiptsTable) {
  await tx.insertInto('purchase_receipts').values(row).execute();
}

export async function receiptsOf(db: Q, poId: string, page: { limit?: number; cursor?: string }) {
  const limit = page.limit ?? 50;
  const cursor = decodeCursor(page.cursor, 'id');
  let q = db
    .selectFrom('purchase_receipts')
    .selectAll()
    .where('po_id', '=', poId)
    .orderBy('id')
    .limit(limit + 1);
  if (cursor) q = q.where('id', '>', cursor.id);
  const rows = await q.execute();
  const out = rows.slice(0, limit);
  const last = out[out.length - 1];
  return {
    rows: out,
    nextCursor: rows.length > limit && last ? encodeCursor({ s: 'id', v: null, id: last.id }) : null,
  };
}

/** Offers (price list rows) of active suppliers for the given items. */
export async function offersFor(db: Q, itemIds: readonly string[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('supplier_items as si')
    .innerJoin('suppliers as s', 's.id', 'si.supplier_id')
    .where('si.item_id', 'in', itemIds)
    .where('s.active', '=', 1)
    .select([
      'si.supplier_id as supplierId',
      's.code as supplierCode',
      'si.item_id as itemId',
      'si.price as price',
      'si.lead_days as leadDays',
      'si.currency as currency',
    ])
    .execute();
}

/** Open lines of open orders due before `asOf`, oldest due first (keyset on due date, line id). */
export async function lateLines(
  db: Q,
  query: { asOf: string; supplierId?: string; limit?: number; cursor?: string },
) {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor, 'dueDate');
  let q = db
    .selectFrom('purchase_order_lines as l')
    .innerJoin('purchase_orders as o', 'o.id', 'l.po_id')
    .innerJoin('suppliers as s', 's.id', 'o.supplier_id')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .where('o.status', 'in', [...OPEN_PO_STATUSES])
    .where('l.status', 'in', [...OPEN_LINE_STATUSES])
    .where('l.due_date', '<', query.asOf)
    .select([
      'l.id as id',
      'o.id as poId',
      'o.code as poCode',
      'o.supplier_id as supplierId',
      's.code as supplierCode',
      'l.line_no as lineNo',
      'l.item_id as itemId',
      'i.code as itemCode',
      'l.qty as qty',
      'l.received_qty as receivedQty',
      'l.due_date as dueDate',
    ])
    .orderBy('l.due_date')
    .orderBy('l.id')
    .limit(limit + 1);
  if (query.supplierId) q = q.where('o.supplier_id', '=', query.supplierId);
  if (cursor) {
    const v = String(cursor.v);
    q = q.where(sql<SqlBool>`(l.due_date > ${v} or (l.due_date = ${v} and l.id > ${cursor.id}))`);
  }
  const rows = await q.execute();
  const out = rows.slice(0, limit);
  const last = out[out.length - 1];
  return {
    rows: out,
    nextCursor:
      rows.length > limit && last ? encodeCursor({ s: 'dueDate', v: last.dueDate, id: last.id }) : null,
  };
}

/** Lines already made from any of these planned orders. */
export async function linesFromPlanned(db: Q, plannedIds: readonly string[]) {
  if (plannedIds.length === 0) return [];
  return db
    .selectFrom('purchase_order_lines')
    .select(['id', 'po_id', 'planned_order_id'])
    .where('planned_order_id', 'in', plannedIds)
    .execute();
}
