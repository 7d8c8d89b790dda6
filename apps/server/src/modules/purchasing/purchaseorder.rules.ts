/**
 * Purchase order rules, pure: the lifecycle, line and order status roll-up, the over-receipt
 * tolerance and supplier choice. Vocabulary: a line is *open* while it still expects goods; its
 * received quantity is net of returns to the supplier.
 *
 *   draft → approved → sent → partially_received ⇄ received → closed
 *   draft | approved | sent → cancelled (only while nothing was received)
 */
export type PoStatus =
  | 'draft'
  | 'approved'
  | 'sent'
  | 'partially_received'
  | 'received'
  | 'closed'
  | 'cancelled';
export type PoAction = 'approve' | 'send' | 'receive' | 'close' | 'cancel' | 'edit';
export type LineStatus = 'open' | 'partially_received' | 'received' | 'cancelled';

export type Decision<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: 'INVALID_STATE'; readonly message: string };

const ALLOWED: Record<PoAction, readonly PoStatus[]> = {
  edit: ['draft'],
  approve: ['draft'],
  send: ['approved'],
  receive: ['approved', 'sent', 'partially_received', 'received'],
  close: ['partially_received', 'received'],
  cancel: ['draft', 'approved', 'sent'],
};

const TARGET: Partial<Record<PoAction, PoStatus>> = {
  approve: 'approved',
  send: 'sent',
  close: 'closed',
  cancel: 'cancelled',
};

/** The status after `action`, or a refusal naming the status it is not allowed from. */
export function transition(status: PoStatus, action: PoAction): Decision<PoStatus> {
  if (!ALLOWED[action].includes(status)) {
    return {
      ok: false,
      code: 'INVALID_STATE',
      message: `A ${status.replace('_', ' ')} purchase order cannot be ${PAST[action]}`,
    };
  }
  return { ok: true, value: TARGET[action] ?? status };
}

const PAST: Record<PoAction, string> = {
  edit: 'changed',
  approve: 'approved',
  send: 'sent',
  receive: 'received against',
  close: 'closed',
  cancel: 'cancelled',
};

export function canTransition(status: PoStatus, action: PoAction): boolean {
  return ALLOWED[action].includes(status);
}

export function lineStatus(line: { qty: number; receivedQty: number; cancelled?: boolean }): LineStatus {
  if (line.cancelled) return 'cancelled';
  if (line.receivedQty >= line.qty) return 'received';
  return line.receivedQty > 0 ? 'partially_received' : 'open';
}

/**
 * The order status implied by its lines after a receipt or a return, for an order that is being
 * received against (approved, sent, partially or fully received). Before any goods arrive the
 * order keeps its approved/sent status.
 */
export function rollupStatus(current: PoStatus, lines: readonly { status: LineStatus }[]): PoStatus {
  const live = lines.filter((l) => l.status !== 'cancelled');
  if (live.length > 0 && live.every((l) => l.status === 'received')) return 'received';
  if (live.some((l) => l.status !== 'open')) return 'partially_received';
  return current === 'partially_received' || current === 'received' ? 'sent' : current;
}

/** Most that may be received against a line in total: ordered × (1 + tolerance), rounded down. */
export function receivableLimit(qty: number, toleranceBp: number): number {
  return Math.floor((qty * (10_000 + toleranceBp)) / 10_000);
}

/** Whether receiving `more` keeps the line within its tolerance. */
export function withinTolerance(
  line: { qty: number; receivedQty: number },
  more: number,
  toleranceBp: number,
): boolean {
  return line.receivedQty + more <= receivableLimit(line.qty, toleranceBp);
}

export interface SupplierOffer {
  readonly supplierId: string;
  readonly supplierCode: string;
  readonly itemId: string;
  readonly price: number;
  readonly leadDays: number | null;
}

/**
 * The supplier a planned purchase goes to: the cheapest offer for the item, then the shortest lead
 * time, then the supplier code (so the choice is stable). Null when nobody supplies the item.
 */
export function chooseSupplier(offers: readonly SupplierOffer[]): SupplierOffer | null {
  let best: SupplierOffer | null = null;
  for (const o of offers) {
    if (
      best === null ||
      o.price < best.price ||
      (o.price === best.price && (o.leadDays ?? 1e9) < (best.leadDays ?? 1e9)) ||
      (o.price === best.price && o.leadDays === best.leadDays && o.supplierCode < best.supplierCode)
    )
      best = o;
  }
  return best;
}

/** Whole days from `due` to `asOf` (both YYYY-MM-DD); positive when late. */
export function daysLate(due: string, asOf: string): number {
  return Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
}

/** Human code `PO-YYMMDD-NNNN` from the plant-local date and the day's sequence number. */
export function poCode(localDate: string, n: number): string {
  return `PO-${localDate.slice(2, 4)}${localDate.slice(5, 7)}${localDate.slice(8, 10)}-${String(n).padStart(4, '0')}`;
}

/** The plant-local calendar date of an instant. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
  return parts;
}
