import {
  type Cents,
  type Qty,
  type Result,
  type TransitionTable,
  lineAmount,
  ok,
  refuse,
  structuralTarget,
  sumCents,
} from '@takt/domain';

/**
 * The sales order lifecycle and the arithmetic around it, pure (no IO, no clock: `today` comes in).
 *
 *   draft ─confirm→ confirmed ─start_production→ in_production
 *   confirmed | in_production | partially_shipped ─ship→ partially_shipped | shipped ─close→ closed
 *   draft | confirmed | in_production ─cancel→ cancelled
 *
 * Vocabulary: ordered (line qty), shipped (posted shipments), reserved (open stock reservations of the
 * line), remaining = ordered − shipped, shortage = remaining neither reserved nor covered by a
 * scheduled receipt when the line was last promised.
 */
export const SALES_ORDER_STATUSES = [
  'draft',
  'confirmed',
  'in_production',
  'partially_shipped',
  'shipped',
  'closed',
  'cancelled',
] as const;
export type SalesOrderStatus = (typeof SALES_ORDER_STATUSES)[number];

export type SalesAction =
  | 'confirm'
  | 'start_production'
  | 'ship_partial'
  | 'ship_complete'
  | 'close'
  | 'cancel';

const OPEN: readonly SalesOrderStatus[] = ['confirmed', 'in_production', 'partially_shipped'];

export const SALES_ORDER_TRANSITIONS: TransitionTable<SalesOrderStatus, SalesAction> = {
  confirm: { from: ['draft'], to: 'confirmed' },
  start_production: { from: ['confirmed'], to: 'in_production' },
  ship_partial: { from: OPEN, to: 'partially_shipped' },
  ship_complete: { from: OPEN, to: 'shipped' },
  close: { from: ['shipped', 'partially_shipped'], to: 'closed' },
  cancel: { from: ['draft', 'confirmed', 'in_production'], to: 'cancelled' },
};

export type SalesRefusalCode =
  | 'INVALID_TRANSITION'
  | 'REASON_REQUIRED'
  | 'OVER_SHIPMENT'
  | 'QTY_BELOW_SHIPPED'
  | 'NOT_CHANGEABLE';

/**
 * Where `action` leads. Closing a partially shipped order ("close short") and cancelling a confirmed
 * one need a reason; a partially shipped order cannot be cancelled (close it short instead).
 */
export function transition(
  status: SalesOrderStatus,
  action: SalesAction,
  reason?: string,
): Result<SalesOrderStatus, SalesRefusalCode> {
  const to = structuralTarget(SALES_ORDER_TRANSITIONS, action, status, null);
  if (!to.ok) return to;
  const needsReason =
    (action === 'close' && status === 'partially_shipped') || (action === 'cancel' && status !== 'draft');
  if (needsReason && (reason === undefined || reason.trim() === '')) {
    return refuse('REASON_REQUIRED', `A reason is required to ${action} a ${status} order`, { action });
  }
  return to;
}

/** Lines can be edited freely in draft and changed (with effects on reservations) while open. */
export function canChangeLines(status: SalesOrderStatus): Result<true, SalesRefusalCode> {
  if (status === 'draft' || OPEN.includes(status)) return ok(true);
  return refuse('NOT_CHANGEABLE', `A ${status} order cannot be changed`, { orderStatus: status });
}

export const isOpen = (status: SalesOrderStatus): boolean => OPEN.includes(status);

export interface LineQty {
  readonly qty: number;
  readonly shipped: number;
}

/** The status after shipments (or a quantity change) on an open order: nothing changes before any shipment. */
export function rollupStatus(status: SalesOrderStatus, lines: readonly LineQty[]): SalesOrderStatus {
  if (!OPEN.includes(status)) return status;
  const anyShipped = lines.some((l) => l.shipped > 0);
  if (!anyShipped) return status;
  return lines.every((l) => l.shipped >= l.qty) ? 'shipped' : 'partially_shipped';
}

/** Refuses shipping beyond the ordered quantity plus a tolerance (thousandths, default none). */
export function checkShipQty(
  line: LineQty,
  add: number,
  tolerance = 0,
): Result<number, 'OVER_SHIPMENT' | 'INVALID_TRANSITION'> {
  const allowed = line.qty + tolerance - line.shipped;
  if (add > allowed) {
    return refuse('OVER_SHIPMENT', 'Shipping this would exceed the ordered quantity', {
      ordered: line.qty,
      shipped: line.shipped,
      requested: add,
      allowed: Math.max(0, allowed),
    });
  }
  return ok(line.shipped + add);
}

/** A new ordered quantity may not fall below what was shipped already. */
export function checkNewQty(line: LineQty, qty: number): Result<number, 'QTY_BELOW_SHIPPED'> {
  if (qty < line.shipped) {
    return refuse('QTY_BELOW_SHIPPED', 'The quantity cannot be less than what was shipped', {
      shipped: line.shipped,
      requested: qty,
    });
  }
  return ok(qty);
}

/**
 * How much a line should hold reserved: its remaining quantity, as far as stock allows. `available`
 * is the item's free stock (on hand − all open reservations) and may be negative.
 */
export function reservationTarget(remaining: number, currentReserved: number, available: number): number {
  return Math.max(0, Math.min(remaining, currentReserved + Math.max(0, available)));
}

export interface ScheduledReceipt {
  readonly date: string;
  readonly qty: number;
}

export interface LinePromise {
  readonly promisedDate: string | null;
  readonly shortage: number;
}

/**
 * Promises lines in order: what is reserved ships on the requested date (or today if that passed);
 * the rest waits for scheduled receipts of the item, earliest first, each receipt used once across the
 * lines; what no receipt covers stays a shortage with no promised date (planning must make or buy it).
 */
export function promiseLines(
  lines: readonly {
    readonly itemId: string;
    readonly remaining: number;
    readonly reserved: number;
    readonly requestedDate: string;
  }[],
  receipts: ReadonlyMap<string, readonly ScheduledReceipt[]>,
  today: string,
): LinePromise[] {
  const left = new Map<string, { date: string; qty: number }[]>();
  for (const [itemId, list] of receipts) {
    left.set(
      itemId,
      [...list]
        .filter((r) => r.qty > 0)
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
        .map((r) => ({ ...r })),
    );
  }
  return lines.map((l) => {
    const earliest = l.requestedDate > today ? l.requestedDate : today;
    let open = Math.max(0, l.remaining - l.reserved);
    if (open === 0) return { promisedDate: earliest, shortage: 0 };
    let lastDate = earliest;
    for (const r of left.get(l.itemId) ?? []) {
      if (open === 0) break;
      if (r.qty === 0) continue;
      const take = Math.min(open, r.qty);
      r.qty -= take;
      open -= take;
      if (r.date > lastDate) lastDate = r.date;
    }
    return open === 0 ? { promisedDate: lastDate, shortage: 0 } : { promisedDate: null, shortage: open };
  });
}

/** The order's due date: the earliest requested date of its lines. */
export function effectiveDueDate(requestedDates: readonly string[]): string {
  if (requestedDates.length === 0) throw new RangeError('an order has at least one line');
  return requestedDates.reduce((a, b) => (b < a ? b : a));
}

export interface PricedLine {
  readonly qty: Qty;
  readonly unitPrice: Cents;
  readonly pricePer: Qty;
}

/** Line amounts (each rounded once, half up) and their exact sum. */
export function orderAmounts(lines: readonly PricedLine[]): { amounts: Cents[]; total: Cents } {
  const amounts = lines.map((l) => lineAmount(l.qty, l.unitPrice, { per: l.pricePer }));
  return { amounts, total: sumCents(amounts) };
}

/** `SO-261124-0001`: prefix, the day as YYMMDD, and the day's counter (at least four digits). */
export function humanCode(prefix: string, day: string, n: number): string {
  const yymmdd = day.slice(2, 4) + day.slice(5, 7) + day.slice(8, 10);
  return `${prefix}-${yymmdd}-${String(n).padStart(4, '0')}`;
}
