import type { FromPlannedResult, LateLine, LateQuery, PageOf, PoLineInput } from '@takt/contracts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { invalidField, isUniqueViolation } from '../../platform/errors.ts';
import { formatMoney, formatQty } from '../../platform/units.ts';
import { plannedOrdersByIds } from '../mrp/mrp.service.ts';
import * as repo from './purchaseorder.repo.ts';
import { chooseSupplier, daysLate, localDate } from './purchaseorder.rules.ts';
import { insertDraft, toOrders } from './purchaseorder.service.ts';
import { readSettings } from './purchasing.settings.ts';

/**
 * Draft purchase orders from MRP planned orders, one per supplier (the cheapest offer for each item,
 * see chooseSupplier). Idempotent: a planned order already on a line is reported, not ordered again;
 * the unique planned_order_id column holds that even for two requests at the same moment.
 */
export async function fromPlanned(db: Db, ctx: Ctx, ids: readonly string[]): Promise<FromPlannedResult> {
  try {
    return await fromPlannedOnce(db, ctx, ids);
  } catch (err) {
    // A concurrent request ordered some of them first: run again and report those as already ordered.
    if (isUniqueViolation(err)) return fromPlannedOnce(db, ctx, ids);
    throw err;
  }
}

async function fromPlannedOnce(db: Db, ctx: Ctx, ids: readonly string[]): Promise<FromPlannedResult> {
  return db.transaction(async (tx) => {
    const unique = [...new Set(ids)];
    const planned = new Map((await plannedOrdersByIds(tx, unique)).map((p) => [p.id, p]));
    const done = await repo.linesFromPlanned(tx, unique);
    const already = new Set(done.map((d) => d.planned_order_id));
    const todo = unique.filter((id) => !already.has(id));
    for (const [i, id] of ids.entries()) {
      const p = planned.get(id);
      if (!p) throw invalidField(`/plannedOrderIds/${i}`, 'is not a planned order', 'not_found');
      if (p.kind !== 'buy')
        throw invalidField(
          `/plannedOrderIds/${i}`,
          'is a make order; only buy orders become purchase orders',
        );
    }
    const offers = await repo.offersFor(
      tx,
      todo.map((id) => planned.get(id)!.item_id),
    );
    const groups = new Map<string, (PoLineInput & { plannedOrderId: string })[]>();
    const currency = new Map<string, string>();
    for (const id of todo) {
      const p = planned.get(id)!;
      const best = chooseSupplier(
        offers.filter((o) => o.itemId === p.item_id).map((o) => ({ ...o, price: Number(o.price) })),
      );
      if (!best)
        throw invalidField(
          `/plannedOrderIds/${ids.indexOf(id)}`,
          'no active supplier lists this item; add it to a supplier first',
          'no_supplier',
        );
      const offer = offers.find((o) => o.supplierId === best.supplierId && o.itemId === p.item_id)!;
      currency.set(best.supplierId, offer.currency);
      const list = groups.get(best.supplierId) ?? [];
      list.push({
        itemId: p.item_id,
        qty: formatQty(Number(p.qty)),
        unitPrice: formatMoney(Number(offer.price)),
        dueDate: p.due_date,
        plannedOrderId: p.id,
      });
      groups.set(best.supplierId, list);
    }
    const rows = [];
    for (const [supplierId, lines] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      rows.push(
        await insertDraft(tx, ctx, {
          supplierId,
          currency: currency.get(supplierId) ?? 'CNY',
          notes: 'MRP',
          lines,
        }),
      );
    }
    return {
      purchaseOrders: await toOrders(tx, rows),
      alreadyOrdered: done.map((d) => ({
        plannedOrderId: d.planned_order_id!,
        purchaseOrderId: d.po_id,
        lineId: d.id,
      })),
    };
  });
}

/** Open lines of open orders past their due date on `asOf` (default: today at the plant). */
export async function lateList(db: Db, query: LateQuery): Promise<PageOf<LateLine>> {
  const asOf = query.asOf ?? localDate(new Date(), (await readSettings(db.kysely)).plantTimeZone);
  const { rows, nextCursor } = await repo.lateLines(db.kysely, { ...query, asOf });
  return {
    items: rows.map((r) => ({
      id: r.id,
      purchaseOrderId: r.poId,
      purchaseOrderCode: r.poCode,
      supplierId: r.supplierId,
      supplierCode: r.supplierCode,
      lineNo: r.lineNo,
      itemId: r.itemId,
      itemCode: r.itemCode,
      qty: formatQty(Number(r.qty)),
      receivedQty: formatQty(Number(r.receivedQty)),
      openQty: formatQty(Math.max(0, Number(r.qty) - Number(r.receivedQty))),
      dueDate: r.dueDate,
      daysLate: daysLate(r.dueDate, asOf),
    })),
    nextCursor,
  };
}
