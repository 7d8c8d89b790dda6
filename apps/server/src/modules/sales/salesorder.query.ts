import type {
  PageOf,
  SalesOrder,
  SalesOrderLine,
  SalesOrderListQuery,
  SalesOrderProgress,
  SalesOrderSummary,
} from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { invalidField, notFound } from '../../platform/errors.ts';
import { formatQty } from '../../platform/units.ts';
import * as repo from './salesorder.repo.ts';
import { SALES_ORDER_STATUSES, type SalesOrderStatus } from './salesorder.rules.ts';
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

/**
 * The statuses of a list's `status` filter (one or several separated by commas), each checked: an
 * unknown one is refused, naming it, rather than matching nothing.
 */
export function statusFilter(text: string | undefined): SalesOrderStatus[] {
  const statuses = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = statuses.filter((s) => !(SALES_ORDER_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    const what = `${unknown.map((s) => JSON.stringify(s)).join(', ')} ${
      unknown.length === 1 ? 'is not a sales-order status' : 'are not sales-order statuses'
    }`;
    throw invalidField(
      '/querystring/status',
      `${what}; each must be one of ${SALES_ORDER_STATUSES.join(', ')}`,
      {
        code: 'enum',
        detail: `status ${what}`,
      },
    );
  }
  return statuses as SalesOrderStatus[];
}

export async function listOrders(db: Db, query: SalesOrderListQuery): Promise<PageOf<SalesOrderSummary>> {
  const statuses = statusFilter(query.status);
  const { rows, nextCursor } = await repo.listOrders(db.kysely, db.dialect, query, statuses);
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
