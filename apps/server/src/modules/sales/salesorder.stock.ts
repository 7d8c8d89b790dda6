import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Dialect, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ReservationsTable } from '../../platform/db/schema-inventory.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { ScheduledReceipt } from './salesorder.rules.ts';

/**
 * The sales side of stock reservations. A sales order line holds at most one open reservation
 * (demand `sales_order_line`, the line id) in the inventory `reservations` table; shipping moves what
 * it used into a `consumed` row. The inventory module's own reserve/release run their own
 * transaction, so the same rules (item row lock, available = on hand − open reservations) are applied
 * here inside the order's transaction; fold these into inventory once it exports in-transaction forms.
 */
export const DEMAND_TYPE = 'sales_order_line';

/** Serialises reservations of these items (PostgreSQL row locks in id order; SQLite is serial). */
export async function lockItems(tx: Tx, dialect: Dialect, itemIds: readonly string[]): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const id of [...new Set(itemIds)].sort()) {
    await tx.selectFrom('items').select('id').where('id', '=', id).forUpdate().execute();
  }
}

/** Free stock of an item: on hand everywhere minus all open reservations (may be negative). */
export async function availableOf(tx: Tx, itemId: string): Promise<number> {
  const onHand = await tx
    .selectFrom('stock_balances')
    .select(sql<number>`coalesce(sum(on_hand), 0)`.as('n'))
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  const reserved = await tx
    .selectFrom('reservations')
    .select(sql<number>`coalesce(sum(qty), 0)`.as('n'))
    .where('item_id', '=', itemId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(onHand?.n ?? 0) - Number(reserved?.n ?? 0);
}

export async function openReservations(
  tx: Tx,
  lineIds: readonly string[],
): Promise<Map<string, ReservationsTable>> {
  const out = new Map<string, ReservationsTable>();
  if (lineIds.length === 0) return out;
  const rows = await tx
    .selectFrom('reservations')
    .selectAll()
    .where('demand_type', '=', DEMAND_TYPE)
    .where('demand_id', 'in', lineIds)
    .where('status', '=', 'open')
    .execute();
  for (const r of rows) out.set(r.demand_id, { ...r, qty: Number(r.qty) });
  return out;
}

async function audit(tx: Tx, ctx: Ctx, id: string, action: string, before: object | null, after: object) {
  await recordAudit(tx, ctx, { entityType: 'reservation', entityId: id, action, before, after });
}

/** Sets the line's open reservation to `target` (creating, resizing or releasing it). */
export async function setReservation(
  tx: Tx,
  ctx: Ctx,
  line: { id: string; itemId: string },
  current: ReservationsTable | undefined,
  target: number,
): Promise<void> {
  const now = nowIso();
  if (!current) {
    if (target <= 0) return;
    const row: ReservationsTable = {
      id: newId(),
      item_id: line.itemId,
      qty: target,
      demand_type: DEMAND_TYPE,
      demand_id: line.id,
      status: 'open',
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('reservations').values(row).execute();
    await audit(tx, ctx, row.id, 'create', null, row);
    return;
  }
  if (target === current.qty) return;
  const after =
    target <= 0
      ? { ...current, status: 'released' as const, updated_at: now }
      : { ...current, qty: target, updated_at: now };
  await tx
    .updateTable('reservations')
    .set({ qty: after.qty, status: after.status, updated_at: now })
    .where('id', '=', current.id)
    .execute();
  await audit(tx, ctx, current.id, target <= 0 ? 'release' : 'update', current, after);
}

/** Shipping `qty` uses the line's reservation first; returns how much came out of it. */
export async function consumeReservation(
  tx: Tx,
  ctx: Ctx,
  current: ReservationsTable | undefined,
  qty: number,
): Promise<number> {
  if (!current || qty <= 0) return 0;
  const used = Math.min(qty, current.qty);
  const now = nowIso();
  if (used === current.qty) {
    await tx
      .updateTable('reservations')
      .set({ status: 'consumed', updated_at: now })
      .where('id', '=', current.id)
      .execute();
    await audit(tx, ctx, current.id, 'consume', current, { ...current, status: 'consumed' });
    return used;
  }
  await tx
    .updateTable('reservations')
    .set({ qty: sql`qty - ${used}`, updated_at: now })
    .where('id', '=', current.id)
    .execute();
  const consumed: ReservationsTable = {
    ...current,
    id: newId(),
    qty: used,
    status: 'consumed',
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('reservations').values(consumed).execute();
  await audit(tx, ctx, current.id, 'update', current, { ...current, qty: current.qty - used });
  await audit(tx, ctx, consumed.id, 'consume', null, consumed);
  return used;
}

/**
 * Where scheduled receipts come from (open purchase orders, work orders) — none exist yet, so the
 * default source has none and uncovered quantities stay shortages without a promised date.
 * Purchasing and production register theirs with `setReceiptsSource`.
 */
export type ReceiptsSource = (
  tx: Tx,
  itemIds: readonly string[],
) => Promise<ReadonlyMap<string, readonly ScheduledReceipt[]>>;

let receiptsSource: ReceiptsSource = async () => new Map();

export function setReceiptsSource(source: ReceiptsSource): void {
  receiptsSource = source;
}

export const scheduledReceipts: ReceiptsSource = (tx, itemIds) => receiptsSource(tx, itemIds);

/** Work orders made for order lines; production registers the lookup, until then there are none. */
export interface LinkedWorkOrder {
  readonly id: string;
  readonly code: string;
  readonly status: string;
  readonly qty: string;
}
export type WorkOrderLinks = (
  db: Tx | Kysely<Database>,
  lineIds: readonly string[],
) => Promise<ReadonlyMap<string, readonly LinkedWorkOrder[]>>;

let workOrderLinks: WorkOrderLinks = async () => new Map();

export function setWorkOrderLinks(source: WorkOrderLinks): void {
  workOrderLinks = source;
}

export const linkedWorkOrders: WorkOrderLinks = (db, lineIds) => workOrderLinks(db, lineIds);
