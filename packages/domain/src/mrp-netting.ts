/**
 * Netting of one item, on plain integers (thousandths) and day numbers; mrp.ts wraps the results
 * in branded types. Supply is matched to requirements first-in-first-out: free on-hand stock, then
 * existing receipts in due-date order, then planned orders. A receipt's need date is the date of
 * the first requirement it covers, which yields the reschedule messages. Netting assumes those
 * messages are followed, so a late receipt is expedited rather than duplicated by a planned order.
 */

export interface NetRequirement {
  readonly day: number;
  readonly qty: number;
  /**
   * Index into the caller's source table, carried into pegging. Also the tie-break within a day,
   * so the caller numbers sources in a deterministic order.
   */
  readonly source: number;
}

export interface NetReceipt {
  readonly day: number;
  readonly qty: number;
  readonly key: string;
}

export interface NetParams {
  readonly onHand: number;
  readonly safetyStock: number;
  readonly minOrderQty: number;
  /** 0 for none. */
  readonly orderMultiple: number;
  readonly leadTimeDays: number;
  readonly startDay: number;
}

export interface NetPlannedOrder {
  readonly dueDay: number;
  readonly releaseDay: number;
  readonly qty: number;
  /** The part of qty that covers requirements on the due day; the rest is lot-size surplus. */
  readonly net: number;
  /** [source, qty] pairs; source −1 is the safety-stock top-up. */
  readonly pegs: Array<[number, number]>;
}

export interface NetResult {
  readonly plannedOrders: NetPlannedOrder[];
  /** Per receipt (in input order): first day it is needed, or null if never. */
  readonly needDays: Array<number | null>;
  /** Unmet requirement per day (net requirements). */
  readonly netByDay: Map<number, number>;
}

export const SAFETY_STOCK_SOURCE = -1;

export function lotSize(net: number, minOrderQty: number, orderMultiple: number): number {
  let q = Math.max(net, minOrderQty);
  if (orderMultiple > 0) q = Math.ceil(q / orderMultiple) * orderMultiple;
  return q;
}

export function netItem(
  params: NetParams,
  requirements: readonly NetRequirement[],
  receipts: readonly NetReceipt[],
): NetResult {
  const reqs = requirements.slice().sort((a, b) => a.day - b.day || a.source - b.source);
  // Safety stock is reserved out of on hand; any shortfall is a requirement at the start.
  let free = params.onHand - params.safetyStock;
  if (free < 0) {
    reqs.unshift({ day: params.startDay, qty: -free, source: SAFETY_STOCK_SOURCE });
    free = 0;
  }
  const order = receipts.map((_, i) => i);
  order.sort((a, b) => {
    const ra = receipts[a] as NetReceipt;
    const rb = receipts[b] as NetReceipt;
    return ra.day - rb.day || (ra.key < rb.key ? -1 : ra.key > rb.key ? 1 : 0);
  });
  const receiptLeft = receipts.map((r) => r.qty);
  const needDays: Array<number | null> = receipts.map(() => null);
  let nextReceipt = 0;
  const plannedOrders: NetPlannedOrder[] = [];
  let surplus = 0; // unpegged part of the latest planned order
  const netByDay = new Map<number, number>();

  let i = 0;
  while (i < reqs.length) {
    const day = (reqs[i] as NetRequirement).day;
    let unmetTotal = 0;
    const unmet: Array<[number, number]> = [];
    for (; i < reqs.length && (reqs[i] as NetRequirement).day === day; i++) {
      const req = reqs[i] as NetRequirement;
      let need = req.qty;
      const fromStock = Math.min(need, free);
      free -= fromStock;
      need -= fromStock;
      while (need > 0 && nextReceipt < order.length) {
        const r = order[nextReceipt] as number;
        if (needDays[r] === null) needDays[r] = day;
        const left = receiptLeft[r] as number;
        const take = Math.min(need, left);
        receiptLeft[r] = left - take;
        need -= take;
        if (left - take === 0) nextReceipt++;
      }
      if (need > 0 && surplus > 0) {
        const take = Math.min(need, surplus);
        surplus -= take;
        need -= take;
        (plannedOrders[plannedOrders.length - 1] as NetPlannedOrder).pegs.push([req.source, take]);
      }
      if (need > 0) {
        unmet.push([req.source, need]);
        unmetTotal += need;
      }
    }
    if (unmetTotal > 0) {
      const qty = lotSize(unmetTotal, params.minOrderQty, params.orderMultiple);
      plannedOrders.push({
        dueDay: day,
        releaseDay: day - params.leadTimeDays,
        qty,
        net: unmetTotal,
        pegs: unmet,
      });
      surplus = qty - unmetTotal;
      netByDay.set(day, unmetTotal);
    }
  }
  return { plannedOrders, needDays, netByDay };
}
