import type { Qty } from './quantity.ts';
import { ok, type Result, refuse } from './result.ts';

/**
 * The inventory ledger: stock moves are immutable; a balance per item × location × lot is the sum of
 * the moves into it minus the moves out of it, and never negative. A cancelled move is undone by a
 * compensating move, never by editing history.
 */
export type MoveKind =
  | 'receipt' // from a supplier (purchase receipt) into a location
  | 'issue' // out of a location to a work order
  | 'return' // back from a work order into a location
  | 'output' // finished or semi-finished goods from a work order into a location
  | 'scrap' // out of a location, with a reason
  | 'transfer' // from one location to another
  | 'shipment' // out of a location to a customer
  | 'adjustment_in' // count found more
  | 'adjustment_out'; // count found less

export const MOVE_KINDS: readonly MoveKind[] = [
  'receipt',
  'issue',
  'return',
  'output',
  'scrap',
  'transfer',
  'shipment',
  'adjustment_in',
  'adjustment_out',
];

/** Which side of a move each kind needs: stock comes from `from` and goes to `to`. */
export const MOVE_SIDES: Readonly<Record<MoveKind, { readonly from: boolean; readonly to: boolean }>> = {
  receipt: { from: false, to: true },
  issue: { from: true, to: false },
  return: { from: false, to: true },
  output: { from: false, to: true },
  scrap: { from: true, to: false },
  transfer: { from: true, to: true },
  shipment: { from: true, to: false },
  adjustment_in: { from: false, to: true },
  adjustment_out: { from: true, to: false },
};

/** The kind that undoes a move of this kind (transfers undo by swapping sides). */
export const REVERSAL_OF: Readonly<Record<MoveKind, MoveKind>> = {
  receipt: 'adjustment_out',
  issue: 'return',
  return: 'issue',
  output: 'adjustment_out',
  scrap: 'adjustment_in',
  transfer: 'transfer',
  shipment: 'adjustment_in',
  adjustment_in: 'adjustment_out',
  adjustment_out: 'adjustment_in',
};

export interface MoveInput {
  readonly kind: MoveKind;
  readonly itemId: string;
  readonly qty: Qty;
  readonly fromLocationId: string | null;
  readonly toLocationId: string | null;
  readonly lot: string;
  readonly reason: string | null;
}

export type MoveRefusal =
  | 'MOVE_QTY_NOT_POSITIVE'
  | 'MOVE_FROM_REQUIRED'
  | 'MOVE_FROM_NOT_ALLOWED'
  | 'MOVE_TO_REQUIRED'
  | 'MOVE_TO_NOT_ALLOWED'
  | 'MOVE_SAME_LOCATION'
  | 'MOVE_REASON_REQUIRED'
  | 'LOT_REQUIRED';

/** Checks a move's shape before it touches any balance. */
export function validateMove(
  move: MoveInput,
  options: { lotTracked: boolean },
): Result<MoveInput, MoveRefusal> {
  if (!(move.qty > 0)) return refuse('MOVE_QTY_NOT_POSITIVE', 'The quantity must be greater than zero');
  const sides = MOVE_SIDES[move.kind];
  if (sides.from && !move.fromLocationId)
    return refuse('MOVE_FROM_REQUIRED', `A ${move.kind} needs a source location`);
  if (!sides.from && move.fromLocationId)
    return refuse('MOVE_FROM_NOT_ALLOWED', `A ${move.kind} has no source location`);
  if (sides.to && !move.toLocationId)
    return refuse('MOVE_TO_REQUIRED', `A ${move.kind} needs a target location`);
  if (!sides.to && move.toLocationId)
    return refuse('MOVE_TO_NOT_ALLOWED', `A ${move.kind} has no target location`);
  if (move.kind === 'transfer' && move.fromLocationId === move.toLocationId) {
    return refuse('MOVE_SAME_LOCATION', 'A transfer needs two different locations');
  }
  const needsReason =
    move.kind === 'scrap' || move.kind === 'adjustment_in' || move.kind === 'adjustment_out';
  if (needsReason && !move.reason?.trim())
    return refuse('MOVE_REASON_REQUIRED', `A ${move.kind} needs a reason`);
  if (options.lotTracked && move.lot === '')
    return refuse('LOT_REQUIRED', 'This item is lot-tracked: give a lot');
  return ok(move);
}

export type BalanceKey = string;
export const balanceKey = (itemId: string, locationId: string, lot: string): BalanceKey =>
  `${itemId}|${locationId}|${lot}`;

/** The balance changes a move makes: −qty at the source, +qty at the target. */
export function moveDeltas(move: MoveInput): { key: BalanceKey; delta: number }[] {
  const out: { key: BalanceKey; delta: number }[] = [];
  if (move.fromLocationId)
    out.push({ key: balanceKey(move.itemId, move.fromLocationId, move.lot), delta: -move.qty });
  if (move.toLocationId)
    out.push({ key: balanceKey(move.itemId, move.toLocationId, move.lot), delta: move.qty });
  return out;
}

/**
 * Applies a move to balances held in memory (the reference model for tests and for reconciliation):
 * refuses a move that would take a balance below zero, and changes nothing then.
 */
export function applyMove(
  balances: ReadonlyMap<BalanceKey, number>,
  move: MoveInput,
): Result<Map<BalanceKey, number>, 'INSUFFICIENT_STOCK'> {
  const next = new Map(balances);
  for (const { key, delta } of moveDeltas(move)) {
    const v = (next.get(key) ?? 0) + delta;
    if (v < 0) {
      return refuse('INSUFFICIENT_STOCK', 'Not enough stock at the source location', {
        key,
        onHand: balances.get(key) ?? 0,
        requested: move.qty,
      });
    }
    next.set(key, v);
  }
  return ok(next);
}

/** The compensating move that undoes `move`. */
export function reversalOf(move: MoveInput, reason: string): MoveInput {
  const kind = REVERSAL_OF[move.kind];
  return {
    ...move,
    kind,
    fromLocationId: move.toLocationId,
    toLocationId: move.fromLocationId,
    reason,
  };
}
