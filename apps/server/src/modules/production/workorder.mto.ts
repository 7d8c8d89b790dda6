import type { WorkOrderSummary } from '@takt/contracts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { parseQtyField } from '../../platform/units.ts';
import { markInProduction } from '../sales/salesorder.actions.ts';
import { getOrder } from '../sales/salesorder.query.ts';
import { explodeWorkOrder } from './workorder.explode.ts';
import * as repo from './workorder.repo.ts';
import { actOnWorkOrder, listWorkOrders } from './workorder.service.ts';

/**
 * Make-to-order: a work order (with its child orders) for every line of a confirmed sales order whose
 * shortage — ordered minus shipped minus reserved minus what open work orders for the line will
 * make — is an item the plant makes. Running it again creates only what is still missing.
 */
export async function workOrdersForSalesOrder(
  db: Db,
  ctx: Ctx,
  salesOrderId: string,
): Promise<WorkOrderSummary[]> {
  const order = await getOrder(db, salesOrderId);
  if (!['confirmed', 'in_production', 'partially_shipped'].includes(order.status)) {
    throw new AppError(
      'INVALID_STATE',
      `Work orders are made for confirmed orders; this one is ${order.status}`,
      {
        extra: { status: order.status },
      },
    );
  }
  const created = await db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const line of order.lines) {
      const ordered = parseQtyField('/qty', line.qty);
      const covered = parseQtyField('/shipped', line.shipped) + parseQtyField('/reserved', line.reserved);
      const planned = await tx
        .selectFrom('work_orders')
        .select(['qty', 'qty_received'])
        .where('sales_order_line_id', '=', line.id)
        .where('parent_id', 'is', null)
        .where('status', 'not in', ['cancelled'])
        .execute();
      const coming = planned.reduce((n, w) => n + Number(w.qty) - Number(w.qty_received), 0);
      const missing = ordered - covered - coming;
      if (missing <= 0 || !(await repo.activeBom(tx, line.itemId))) continue;
      const made = await explodeWorkOrder(tx, ctx, {
        itemId: line.itemId,
        qty: missing,
        dueDate: line.promisedDate ?? line.requestedDate,
        salesOrderId,
        salesOrderLineId: line.id,
        priority: Math.round(order.priority.score),
        withChildren: true,
        source: 'sales_order',
      });
      ids.push(...made);
    }
    return ids;
  });
  if (created.length > 0 && order.status === 'confirmed') await markInProduction(db, ctx, salesOrderId);
  const page = await listWorkOrders(db, { salesOrderId, limit: 500 });
  return page.items;
}

/**
 * When a sales order is cancelled: cancels the work orders made for it that have no output yet (with
 * their child orders); orders already producing are left for the planner and listed.
 */
export async function cancelWorkOrdersForSalesOrder(
  db: Db,
  ctx: Ctx,
  salesOrderId: string,
  reason: string,
): Promise<{ cancelled: string[]; kept: string[] }> {
  const rows = await db.kysely
    .selectFrom('work_orders')
    .select(['id', 'code', 'status', 'version', 'qty_good', 'qty_scrap'])
    .where('sales_order_id', '=', salesOrderId)
    .where('parent_id', 'is', null)
    .where('status', 'not in', ['cancelled', 'closed', 'completed'])
    .execute();
  const cancelled: string[] = [];
  const kept: string[] = [];
  for (const r of rows) {
    if (Number(r.qty_good) + Number(r.qty_scrap) > 0) {
      kept.push(r.code);
      continue;
    }
    await actOnWorkOrder(db, ctx, r.id, { action: 'cancel', version: r.version, reason, cascade: true });
    cancelled.push(r.code);
  }
  return { cancelled, kept };
}
