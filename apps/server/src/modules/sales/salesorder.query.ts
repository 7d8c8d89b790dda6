import type {
  PageOf,
  SalesOrder,
  SalesOrderLine,
  SalesOrderListQuery,
  SalesOrderProgress,
  SalesOrderSummary,
} from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { formatQty } from '../../platform/units.ts';
import * as repo from './salesorder.repo.ts';
import type { SalesOrderStatus } from './salesorder.rules.ts';
import { linkedWorkOrders } from './salesorder.stock.ts';
import { toOrder, toSummary } from './salesorder.view.ts';

/** Reads: one order, its lines, lists, and live progress. */
export async function getOrder(db: Db, id: string): Promise<SalesOrder> {
  const row = await repo.findOrder(db.kysely, id);
  if (!row) throw notFound('Sales order', id);
  return toOrder(row, await repo.linesOf(db.kysely, [id]));
}

export async function orderLines(db: Db, id: string): Promise<{ items: SalesOrderLine[] }> {
  return { items: (await getOrder(db, id)).lines };
}

export async function listOrders(db: Db, query: SalesOrderListQuery): Promise<PageOf<SalesOrderSummary>> {
  const { rows, nextCursor } = await repo.listOrders(db.kysely, db.dialect, query);
  return { items: rows.map(toSummary), nextCursor };
}

/** Ordered, reserved and shipped per line, and the work orders made for it (once production links them). */
export async function orderProgress(db: Db, id: string): Promise<SalesOrderProgress> {
  const rows = await repo.progressOf(db.kysely, id);
  const head = rows[0];
  if (!head) throw notFound('Sales order', id);
  const lineIds: string[] = [];
  for (const r of rows) if (r.id !== null) lineIds.push(r.id);
  const workOrders = await linkedWorkOrders(db.kysely, lineIds);
  const lines: SalesOrderProgress['lines'] = [];
  for (const l of rows) {
    if (l.id === null) continue;
    const qty = Number(l.qty);
    const shipped = Number(l.shipped_qty);
    lines.push({
      id: l.id,
      lineNo: Number(l.line_no),
      itemId: l.item_id as string,
      itemCode: l.item_code as string,
      ordered: formatQty(qty),
      reserved: formatQty(Number(l.reserved ?? 0)),
      shipped: formatQty(shipped),
      remaining: formatQty(Math.max(0, qty - shipped)),
      promisedDate: l.promised_date,
      workOrders: [...(workOrders.get(l.id) ?? [])],
    });
  }
  return {
    id,
    code: head.order_code,
    status: head.order_status as SalesOrderStatus,
    lines,
    shipments: Number(head.shipments ?? 0),
  };
}
