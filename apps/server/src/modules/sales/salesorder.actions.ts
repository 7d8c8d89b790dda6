import type { SalesOrder, SalesOrderAction } from '@takt/contracts';
import type { Refusal } from '@takt/domain';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Dialect, Tx } from '../../platform/db/database.ts';
import type { SalesOrdersTable } from '../../platform/db/schema-sales.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { nowIso } from '../../platform/ids.ts';
import { formatQty } from '../../platform/units.ts';
import { staleVersion } from '../masterdata/mutation.ts';
import * as repo from './salesorder.repo.ts';
import {
  promiseLines,
  reservationTarget,
  type SalesAction,
  type SalesOrderStatus,
  transition,
} from './salesorder.rules.ts';
import {
  availableOf,
  lockItems,
  openReservations,
  scheduledReceipts,
  setReservation,
} from './salesorder.stock.ts';
import { localDay } from '../../platform/sequences.ts';
import { priorityOf, toOrder } from './salesorder.view.ts';

const PROBLEM_KEYS = new Set([
  'type',
  'title',
  'status',
  'code',
  'detail',
  'instance',
  'requestId',
  'errors',
]);

/** A refusal from the rules as the API error: lifecycle refusals are 409 INVALID_STATE. */
export function fail(r: Refusal, field?: string): AppError {
  const fieldErrors = field ? [{ field, message: r.message, code: r.code }] : [];
  // Details ride along in the problem body; never let them shadow its own members (status, code…).
  const extra: Record<string, unknown> = { refusal: r.code };
  for (const [k, v] of Object.entries(r.details ?? {})) if (!PROBLEM_KEYS.has(k)) extra[k] = v;
  switch (r.code) {
    case 'REASON_REQUIRED':
      return new AppError('VALIDATION_FAILED', r.message, {
        fieldErrors: [{ field: '/reason', message: 'is required', code: r.code }],
      });
    case 'OVER_SHIPMENT':
    case 'QTY_BELOW_SHIPPED':
      return new AppError(r.code, r.message, { fieldErrors, extra });
    default:
      return new AppError('INVALID_STATE', r.message, { fieldErrors, extra });
  }
}

export interface LinePlan {
  readonly lineId: string;
  readonly itemId: string;
  readonly qty: number;
  readonly shipped: number;
  readonly reserved: number;
  readonly shortage: number;
  readonly promisedDate: string | null;
}

/**
 * Brings every line's reservation to what it should hold (its remaining quantity, as far as free stock
 * allows) and promises a date per line. Shrinking comes first so a line can pick up what another line
 * of the same order let go.
 */
export async function rebalance(
  tx: Tx,
  ctx: Ctx,
  dialect: Dialect,
  lines: readonly repo.LineRow[],
  today: string,
): Promise<LinePlan[]> {
  await lockItems(
    tx,
    dialect,
    lines.map((l) => l.item_id),
  );
  const open = await openReservations(
    tx,
    lines.map((l) => l.id),
  );
  const held = new Map<string, number>();
  for (const l of lines) {
    const remaining = Math.max(0, l.qty - l.shipped_qty);
    const current = open.get(l.id);
    const cur = current?.qty ?? 0;
    if (cur > remaining) await setReservation(tx, ctx, { id: l.id, itemId: l.item_id }, current, remaining);
    held.set(l.id, Math.min(cur, remaining));
  }
  const fresh = await openReservations(
    tx,
    lines.map((l) => l.id),
  );
  for (const l of lines) {
    const remaining = Math.max(0, l.qty - l.shipped_qty);
    const cur = held.get(l.id) ?? 0;
    const target = reservationTarget(remaining, cur, await availableOf(tx, l.item_id));
    if (target !== cur)
      await setReservation(tx, ctx, { id: l.id, itemId: l.item_id }, fresh.get(l.id), target);
    held.set(l.id, target);
  }
  const receipts = await scheduledReceipts(tx, [...new Set(lines.map((l) => l.item_id))]);
  const promises = promiseLines(
    lines.map((l) => ({
      itemId: l.item_id,
      remaining: Math.max(0, l.qty - l.shipped_qty),
      reserved: held.get(l.id) ?? 0,
      requestedDate: l.requested_date,
    })),
    receipts,
    today,
  );
  const out: LinePlan[] = [];
  for (const [i, l] of lines.entries()) {
    const p = promises[i]!;
    if (p.promisedDate !== l.promised_date || p.shortage !== l.shortage) {
      await repo.updateLine(tx, l.id, { promised_date: p.promisedDate, shortage: p.shortage });
    }
    out.push({
      lineId: l.id,
      itemId: l.item_id,
      qty: l.qty,
      shipped: l.shipped_qty,
      reserved: held.get(l.id) ?? 0,
      shortage: p.shortage,
      promisedDate: p.promisedDate,
    });
  }
  return out;
}

/** Releases what the lines hold reserved (cancel, close short, removed lines). */
export async function releaseLines(tx: Tx, ctx: Ctx, lines: readonly repo.LineRow[]): Promise<number[]> {
  const open = await openReservations(
    tx,
    lines.map((l) => l.id),
  );
  const released: number[] = [];
  for (const l of lines) {
    const current = open.get(l.id);
    released.push(current?.qty ?? 0);
    if (current) await setReservation(tx, ctx, { id: l.id, itemId: l.item_id }, current, 0);
  }
  return released;
}

export const planOut = (p: LinePlan) => ({
  lineId: p.lineId,
  itemId: p.itemId,
  qty: formatQty(p.qty),
  shipped: formatQty(p.shipped),
  reserved: formatQty(p.reserved),
  shortage: formatQty(p.shortage),
  promisedDate: p.promisedDate,
});

/** Loads and locks the order, checks the version the caller read, and runs `step` in one transaction. */
export async function withOrder<T>(
  db: Db,
  id: string,
  version: number | undefined,
  step: (tx: Tx, order: repo.OrderRow, lines: repo.LineRow[]) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const order = await repo.lockOrder(tx, db.dialect, id);
    if (!order) throw notFound('Sales order', id);
    if (version !== undefined && version !== Number(order.version)) {
      throw staleVersion('Sales order', order.code, Number(order.version));
    }
    return step(tx, order, await repo.linesOf(tx, [id]));
  });
}

/** Writes the order row (version + 1), its audit entry and event, and returns the order as it now is. */
export async function saveOrder(
  tx: Tx,
  ctx: Ctx,
  order: repo.OrderRow,
  changes: Partial<SalesOrdersTable>,
  action: string,
  event: { type: string; data: Record<string, unknown> } | null,
): Promise<SalesOrder> {
  const written = await repo.updateOrder(tx, order.id, Number(order.version), {
    ...changes,
    updated_at: nowIso(),
  });
  if (!written) throw staleVersion('Sales order', order.code, Number(order.version));
  const after = (await repo.findOrder(tx, order.id))!;
  const lines = await repo.linesOf(tx, [order.id]);
  const out = toOrder(after, lines);
  await recordAudit(tx, ctx, { entityType: 'sales_order', entityId: order.id, action, before: order, after });
  if (event) {
    await appendEvent(tx, ctx, {
      type: event.type,
      aggregateType: 'sales_order',
      aggregateId: order.id,
      data: { id: order.id, code: order.code, status: out.status, version: out.version, ...event.data },
    });
  }
  return out;
}

function statusChange(order: repo.OrderRow, action: SalesAction, reason?: string): SalesOrderStatus {
  const to = transition(order.status as SalesOrderStatus, action, reason);
  if (!to.ok) throw fail(to);
  return to.value;
}

export async function confirmOrder(db: Db, ctx: Ctx, id: string, input: SalesOrderAction) {
  return withOrder(db, id, input.version, async (tx, order, lines) => {
    const status = statusChange(order, 'confirm');
    const today = localDay();
    const plan = await rebalance(tx, ctx, db.dialect, lines, today);
    const priority = priorityOf(id, order.due_date, order.customer_tier, Number(order.order_value), today);
    return saveOrder(
      tx,
      ctx,
      order,
      { status, confirmed_at: nowIso(), priority: priority.json, priority_score: priority.score },
      'confirm',
      {
        type: 'salesorder.confirmed',
        data: { customerId: order.customer_id, dueDate: order.due_date, lines: plan.map(planOut) },
      },
    );
  });
}

/** Cancelling releases every reservation; the event lists the lines so production can offer to cancel work. */
export async function cancelOrder(db: Db, ctx: Ctx, id: string, input: SalesOrderAction) {
  return withOrder(db, id, input.version, async (tx, order, lines) => {
    const status = statusChange(order, 'cancel', input.reason);
    const released = await releaseLines(tx, ctx, lines);
    return saveOrder(tx, ctx, order, { status }, 'cancel', {
      type: 'salesorder.cancelled',
      data: {
        reason: input.reason?.trim() ?? null,
        lines: lines.map((l, i) => ({
          lineId: l.id,
          itemId: l.item_id,
          qty: formatQty(l.qty),
          shipped: formatQty(l.shipped_qty),
          released: formatQty(released[i] ?? 0),
        })),
      },
    });
  });
}

/** Closes a shipped order, or a partially shipped one short (with a reason), releasing what is left. */
export async function closeOrder(db: Db, ctx: Ctx, id: string, input: SalesOrderAction) {
  return withOrder(db, id, input.version, async (tx, order, lines) => {
    const status = statusChange(order, 'close', input.reason);
    await releaseLines(tx, ctx, lines);
    return saveOrder(tx, ctx, order, { status }, 'close', {
      type: 'salesorder.closed',
      data: { reason: input.reason?.trim() ?? null },
    });
  });
}

/** For production: the first work order for a confirmed order started. */
export async function markInProduction(db: Db, ctx: Ctx, id: string) {
  return withOrder(db, id, undefined, async (tx, order) => {
    const status = statusChange(order, 'start_production');
    return saveOrder(tx, ctx, order, { status }, 'start_production', {
      type: 'salesorder.status_changed',
      data: { from: order.status, to: status },
    });
  });
}
