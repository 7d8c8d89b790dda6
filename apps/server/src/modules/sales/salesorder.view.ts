import type { SalesOrder, SalesOrderLine, SalesOrderSummary } from '@takt/contracts';
import { type Cents, type CustomerTier, computePriority, type IsoDate, type Minutes } from '@takt/domain';
import { formatMoney, formatQty } from '../../platform/units.ts';
import type { LineRow, OrderRow } from './salesorder.repo.ts';
import type { SalesOrderStatus } from './salesorder.rules.ts';

/** Row → API shapes, and the stored priority snapshot. */

export interface StoredPriority {
  readonly score: number;
  readonly dueDate: string;
  readonly computedOn: string;
  readonly breakdown: SalesOrder['priority']['breakdown'];
}

const TIERS = new Set(['A', 'B', 'C']);

/**
 * The order's priority as of `today`: due date, customer tier and order value through the domain
 * model; remaining work is zero here (production adds it per work order). Stored with the day it was
 * computed on, because urgency grows as the due date nears; it is recomputed on every change.
 */
export function priorityOf(
  id: string,
  dueDate: string,
  tier: string,
  orderValue: number,
  today: string,
): { score: number; json: string } {
  const p = computePriority(
    {
      id,
      dueDate: dueDate as IsoDate,
      remainingWork: 0 as Minutes,
      customerTier: (TIERS.has(tier) ? tier : 'C') as CustomerTier,
      orderValue: orderValue as Cents,
    },
    today as IsoDate,
  );
  const stored: StoredPriority = {
    score: p.score,
    dueDate,
    computedOn: today,
    breakdown: p.breakdown.map((b) => ({ ...b })),
  };
  return { score: Math.round(p.score * 100), json: JSON.stringify(stored) };
}

export function toLine(l: LineRow): SalesOrderLine {
  return {
    id: l.id,
    lineNo: Number(l.line_no),
    itemId: l.item_id,
    itemCode: l.item_code,
    itemName: l.item_name,
    uom: l.uom,
    qty: formatQty(l.qty),
    unitPrice: formatMoney(l.unit_price),
    pricePer: formatQty(l.price_per),
    amount: formatMoney(l.amount),
    requestedDate: l.requested_date,
    promisedDate: l.promised_date,
    reserved: formatQty(l.reserved),
    shipped: formatQty(l.shipped_qty),
    shortage: formatQty(l.shortage),
  };
}

export function toSummary(r: OrderRow): SalesOrderSummary {
  return {
    id: r.id,
    code: r.code,
    customerId: r.customer_id,
    customerCode: r.customer_code,
    customerName: r.customer_name,
    customerTier: r.customer_tier,
    externalRef: r.external_ref,
    currency: r.currency,
    status: r.status as SalesOrderStatus,
    dueDate: r.due_date,
    orderValue: formatMoney(Number(r.order_value)),
    priority: JSON.parse(r.priority) as StoredPriority,
    note: r.note,
    version: Number(r.version),
    confirmedAt: r.confirmed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toOrder(r: OrderRow, lines: readonly LineRow[]): SalesOrder {
  return { ...toSummary(r), lines: lines.map(toLine) };
}
