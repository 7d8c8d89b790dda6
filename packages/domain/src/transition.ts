import type { IsoTimestamp } from './calendar.ts';
import type { ActorId } from './ids.ts';
import { addQty, compareQty, type Qty, subQty, ZERO_QTY } from './quantity.ts';
import { ok, type Refusal, refuse, type Result } from './result.ts';

/** One line of a lifecycle's history; the caller appends it to the audit log with the new state. */
export interface TransitionRecord<S extends string, A extends string> {
  readonly entity: 'work_order' | 'operation';
  readonly entityId: string;
  readonly from: S;
  readonly to: S;
  readonly action: A;
  readonly actor: ActorId;
  readonly at: IsoTimestamp;
  readonly reason: string | null;
  /** Set for output reports, which change quantities but not the status. */
  readonly output?: Output;
}

export interface Transitioned<State, Rec> {
  readonly state: State;
  readonly record: Rec;
}

/** Fields every command carries. `at` is the caller's clock; this package never reads one. */
export interface CommandBase {
  readonly actor: ActorId;
  readonly at: IsoTimestamp;
  readonly reason?: string;
}

/** Good and scrap reported so far. Both are never negative. */
export interface Output {
  readonly good: Qty;
  readonly scrap: Qty;
}

export const NO_OUTPUT: Output = { good: ZERO_QTY, scrap: ZERO_QTY };

export function hasOutput(output: Output): boolean {
  return output.good !== 0 || output.scrap !== 0;
}

export function invalidTransition<S extends string>(
  from: S,
  action: string,
  to: S | null,
): Refusal<'INVALID_TRANSITION'> {
  return refuse('INVALID_TRANSITION', `Cannot ${action} from ${from}`, { from, to, action });
}

/** Reasons must say something; whitespace does not. */
export function blankReason(reason: string | undefined): boolean {
  return reason === undefined || reason.trim().length === 0;
}

export function reasonRequired(action: string): Refusal<'REASON_REQUIRED'> {
  return refuse('REASON_REQUIRED', `A reason is required to ${action}`, { action });
}

/**
 * Adds a report (deltas may be negative to correct a mistake) and refuses if either total would
 * drop below zero: a correction can undo a report, never invent negative output.
 */
export function addOutput(current: Output, delta: Output): Result<Output, 'REPORTED_QTY_NEGATIVE'> {
  const good = addQty(current.good, delta.good);
  const scrap = addQty(current.scrap, delta.scrap);
  if (good < 0 || scrap < 0) {
    return refuse('REPORTED_QTY_NEGATIVE', 'A correction cannot make reported quantities negative', {
      good,
      scrap,
    });
  }
  return ok({ good, scrap });
}

export type CompletionCode = 'PLANNED_QTY_NOT_REACHED' | 'REASON_REQUIRED';

/**
 * Completion rule shared by work orders and operations: good output must reach the planned
 * quantity, or the user closes short and says why (material ran out, customer cut the order...).
 * The value is the shortfall, zero when complete.
 */
export function checkCompletion(
  planned: Qty,
  good: Qty,
  closeShort: { readonly reason: string } | undefined,
): Result<Qty, CompletionCode> {
  if (compareQty(good, planned) >= 0) return ok(ZERO_QTY);
  const shortBy = subQty(planned, good);
  if (closeShort === undefined) {
    return refuse(
      'PLANNED_QTY_NOT_REACHED',
      'Good quantity is below plan; close short with a reason instead',
      {
        planned,
        good,
        shortBy,
      },
    );
  }
  if (blankReason(closeShort.reason)) return reasonRequired('close short');
  return ok(shortBy);
}

/** A guard that did not hold; several can fail at once and the UI lists them all. */
export interface Violation<C extends string = string> {
  readonly code: C;
  readonly message: string;
}

/** The refusal carries the first violation's code (guards are checked in a fixed order) and all of them. */
export function refuseViolations<C extends string>(violations: readonly [Violation<C>, ...Violation<C>[]]) {
  const [first] = violations;
  return refuse(first.code, first.message, { violations });
}

/**
 * The shape of a lifecycle: which statuses each action may start from and where it leads.
 * 'held_from' means "back to the status recorded when the hold was placed".
 */
export type TransitionTable<S extends string, A extends string> = Readonly<
  Record<A, { readonly from: readonly S[]; readonly to: S | 'held_from' }>
>;

/** Where `action` leads from `status`, ignoring guards; INVALID_TRANSITION if the table has no edge. */
export function structuralTarget<S extends string, A extends string>(
  table: TransitionTable<S, A>,
  action: A,
  status: S,
  heldFrom: S | null,
): Result<S, 'INVALID_TRANSITION'> {
  const rule = table[action];
  const to = rule.to === 'held_from' ? heldFrom : rule.to;
  if (!rule.from.includes(status) || to === null) return invalidTransition(status, action, to);
  return ok(to);
}

/** Actions the table allows from a status, in table order; guards may still refuse them. */
export function actionsFrom<S extends string, A extends string>(
  table: TransitionTable<S, A>,
  status: S,
): A[] {
  return (Object.keys(table) as A[]).filter((a) => table[a].from.includes(status));
}
