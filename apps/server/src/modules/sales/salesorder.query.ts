import type {
  PageOf,
  SalesOrder,
  SalesOrderLine,
  SalesOrderListQuery,
  SalesOrderProgress,
  SalesOrderSummary,
} from '@takt/contracts';
import { prepared } from '../../platform/db/compiled.ts';
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

const shipmentCount = prepared((db, orderId: string) =>
  db
    .selectFrom('shipments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sales_order_id', '=', orderId),
);

/** Ordered, reserved and shipped per line, and the work orders made for it (once production links them). */
export async function orderProgress(db: Db, id: string): Promise<SalesOrderProgress> {
  const row = await repo.findOrder(db.kysely, id);
  if (!row) throw notFound('Sales order', id);
  const lines = await repo.linesOf(db.kysely, [id]);
  const workOrders = await linkedWorkOrders(
    db.kysely,
    lines.map((l) => l.id),
  );
  const shipments = (await shipmentCount.first(db.kysely, id)) ?? { n: 0 };
  return {
    id: row.id,
    code: row.code,
    status: row.status as SalesOrderStatus,
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: Number(l.line_no),
      itemId: l.item_id,
      itemCode: l.item_code,
      ordered: formatQty(l.qty),
      reserved: formatQty(l.reserved),
      shipped: formatQty(l.shipped_qty),
      remaining: formatQty(Math.max(0, l.qty - l.shipped_qty)),
      promisedDate: l.promised_date,
      workOrders: [...(workOrders.get(l.id) ?? [])],
    })),
    shipments: Number(shipments.n),
  };
}
