import { nextInSequence } from '../../platform/sequences.ts';
import type {
  CancelBody,
  PageOf,
  PoLineInput,
  PurchaseOrder,
  PurchaseOrderCreate,
  PurchaseOrderListQuery,
  PurchaseOrderUpdate,
} from '@takt/contracts';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { PurchaseOrderLinesTable, PurchaseOrdersTable } from '../../platform/db/schema-purchasing.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatMoney, formatQty, parseMoneyField, parseQtyField } from '../../platform/units.ts';
import { itemsByIds } from '../items/item.service.ts';
import { staleVersion } from '../masterdata/mutation.ts';
import * as repo from './purchaseorder.repo.ts';
import { localDate, type PoAction, type PoStatus, poCode, transition } from './purchaseorder.rules.ts';
import { readSettings } from './purchasing.settings.ts';

type Q = Kysely<Database> | Tx;

/** Purchase orders: creation (by hand or from planned orders), changes while draft, the lifecycle. */
export async function toOrders(db: Q, rows: readonly PurchaseOrdersTable[]): Promise<PurchaseOrder[]> {
  const lines = await repo.linesOf(
    db,
    rows.map((r) => r.id),
  );
  const items = new Map(
    (
      await itemsByIds(
        db,
        lines.map((l) => l.item_id),
      )
    ).map((i) => [i.id, i]),
  );
  const suppliers = new Map(
    (await repo.suppliersByIds(db, [...new Set(rows.map((r) => r.supplier_id))])).map((s) => [s.id, s]),
  );
  const linesOf = new Map<string, typeof lines>();
  for (const l of lines) {
    const of = linesOf.get(l.po_id);
    if (of) of.push(l);
    else linesOf.set(l.po_id, [l]);
  }
  return rows.map((r) => {
    const own = linesOf.get(r.id) ?? [];
    let total = 0;
    const dtoLines = own.map((l) => {
      const qty = Number(l.qty);
      const received = Number(l.received_qty);
      const price = Number(l.unit_price);
      const amount = Math.round((qty * price) / 1000);
      total += amount;
      const item = items.get(l.item_id);
      return {
        id: l.id,
        lineNo: l.line_no,
        itemId: l.item_id,
        itemCode: item?.code ?? '',
        itemName: item?.name ?? '',
        uom: item?.uom ?? '',
        qty: formatQty(qty),
        receivedQty: formatQty(received),
        returnedQty: formatQty(Number(l.returned_qty)),
        openQty: formatQty(l.status === 'cancelled' ? 0 : Math.max(0, qty - received)),
        unitPrice: formatMoney(price),
        amount: formatMoney(amount),
        dueDate: l.due_date,
        status: l.status,
        plannedOrderId: l.planned_order_id,
      };
    });
    const supplier = suppliers.get(r.supplier_id);
    return {
      id: r.id,
      code: r.code,
      supplierId: r.supplier_id,
      supplierCode: supplier?.code ?? '',
      supplierName: supplier?.name ?? '',
      status: r.status,
      currency: r.currency,
      overReceiptTolerance: formatMoney(r.tolerance_bp),
      notes: r.notes,
      total: formatMoney(total),
      lines: dtoLines,
      createdBy: r.created_by,
      approvedBy: r.approved_by,
      approvedAt: r.approved_at,
      sentAt: r.sent_at,
      closedAt: r.closed_at,
      cancelledAt: r.cancelled_at,
      cancelReason: r.cancel_reason,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

export async function orderDto(db: Q, row: PurchaseOrdersTable): Promise<PurchaseOrder> {
  return (await toOrders(db, [row]))[0]!;
}

export async function getOrder(db: Db, id: string): Promise<PurchaseOrder> {
  const row = await repo.findOrder(db.kysely, id);
  if (!row) throw notFound('Purchase order', id);
  return orderDto(db.kysely, row);
}

export async function listOrders(db: Db, query: PurchaseOrderListQuery): Promise<PageOf<PurchaseOrder>> {
  const { rows, nextCursor } = await repo.listOrders(db.kysely, query);
  return { items: await toOrders(db.kysely, rows), nextCursor };
}

function checkDay(field: string, text: string): string {
  const t = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text)
    throw invalidField(field, 'is not a calendar date');
  return text;
}

function toleranceOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const bp = parseMoneyField('/overReceiptTolerance', text);
  if (bp > 10_000) throw invalidField('/overReceiptTolerance', 'must be at most 100 %');
  return bp;
}

/** Validated line rows; a missing unit price comes from the supplier's price list for the item. */
export async function buildLines(
  tx: Tx,
  poId: string,
  supplierId: string,
  input: readonly (PoLineInput & { plannedOrderId?: string })[],
): Promise<PurchaseOrderLinesTable[]> {
  const items = new Map(
    (
      await itemsByIds(
        tx,
        input.map((l) => l.itemId),
      )
    ).map((i) => [i.id, i]),
  );
  const offers = (await repo.offersFor(tx, [...items.keys()])).filter((o) => o.supplierId === supplierId);
  const price = new Map(offers.map((o) => [o.itemId, Number(o.price)]));
  return input.map((l, i) => {
    const at = `/lines/${i}`;
    const item = items.get(l.itemId);
    if (!item) throw invalidField(`${at}/itemId`, 'is not a known item', 'not_found');
    if (item.active !== 1) throw invalidField(`${at}/itemId`, 'is deactivated');
    const qty = parseQtyField(`${at}/qty`, l.qty);
    if (qty <= 0) throw invalidField(`${at}/qty`, 'must be greater than zero');
    let unitPrice =
      l.unitPrice !== undefined ? parseMoneyField(`${at}/unitPrice`, l.unitPrice) : price.get(item.id);
    if (unitPrice === undefined)
      throw invalidField(`${at}/unitPrice`, "the supplier's price list has no price for this item; give one");
    if (unitPrice < 0) throw invalidField(`${at}/unitPrice`, 'must not be negative');
    unitPrice = Math.round(unitPrice);
    return {
      id: newId(),
      po_id: poId,
      line_no: (i + 1) * 10,
      item_id: item.id,
      qty,
      received_qty: 0,
      returned_qty: 0,
      unit_price: unitPrice,
      due_date: checkDay(`${at}/dueDate`, l.dueDate),
      status: 'open',
      planned_order_id: l.plannedOrderId ?? null,
    };
  });
}

/** Inserts a draft order with its code, audit entry and event, in the caller's transaction. */
export async function insertDraft(
  tx: Tx,
  ctx: Ctx,
  input: PurchaseOrderCreate & { lines: (PoLineInput & { plannedOrderId?: string })[] },
): Promise<PurchaseOrdersTable> {
  const supplier = await repo.findSupplier(tx, input.supplierId);
  if (!supplier) throw invalidField('/supplierId', 'is not a known supplier', 'not_found');
  if (supplier.active !== 1) throw invalidField('/supplierId', 'is deactivated');
  const settings = await readSettings(tx);
  const now = new Date();
  const day = localDate(now, settings.plantTimeZone);
  const period = day.slice(2).replaceAll('-', '');
  const id = newId();
  const lines = await buildLines(tx, id, supplier.id, input.lines);
  const row: PurchaseOrdersTable = {
    id,
    code: poCode(day, await nextInSequence(tx, 'PO', period)),
    supplier_id: supplier.id,
    status: 'draft',
    currency: input.currency ?? 'CNY',
    tolerance_bp: toleranceOf(input.overReceiptTolerance, settings.overReceiptToleranceBp),
    notes: input.notes?.trim() ?? '',
    created_by: ctx.actor.id ?? ctx.actor.login,
    approved_by: null,
    approved_at: null,
    sent_at: null,
    closed_at: null,
    cancelled_at: null,
    cancel_reason: null,
    version: 1,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await repo.insertOrder(tx, row, lines);
  await recordAudit(tx, ctx, {
    entityType: 'purchase_order',
    entityId: id,
    action: 'create',
    before: null,
    after: { ...row, lines },
  });
  await appendEvent(tx, ctx, {
    type: 'purchaseorder.created',
    aggregateType: 'purchase_order',
    aggregateId: id,
    data: { id, code: row.code, supplierId: row.supplier_id },
  });
  return row;
}

export async function createOrder(db: Db, ctx: Ctx, input: PurchaseOrderCreate): Promise<PurchaseOrder> {
  return db.transaction(async (tx) => orderDto(tx, await insertDraft(tx, ctx, input)));
}

export async function updateOrder(
  db: Db,
  ctx: Ctx,
  id: string,
  input: PurchaseOrderUpdate,
): Promise<PurchaseOrder> {
  return db.transaction(async (tx) => {
    const before = await repo.findOrder(tx, id, db.dialect === 'postgres');
    if (!before) throw notFound('Purchase order', id);
    const allowed = transition(before.status, 'edit');
    if (!allowed.ok)
      throw new AppError('INVALID_STATE', allowed.message, { extra: { currentStatus: before.status } });
    const oldLines = await repo.linesOf(tx, [id]);
    const changes: Partial<PurchaseOrdersTable> = { updated_at: nowIso() };
    if (input.notes !== undefined) changes.notes = input.notes.trim();
    if (input.overReceiptTolerance !== undefined)
      changes.tolerance_bp = toleranceOf(input.overReceiptTolerance, before.tolerance_bp);
    const after = await repo.updateOrder(tx, id, input.version, changes);
    if (!after) throw staleVersion('Purchase order', before.code, before.version);
    let lines = oldLines;
    if (input.lines) {
      const planned = new Map(oldLines.map((l) => [l.item_id, l.planned_order_id]));
      lines = await buildLines(tx, id, before.supplier_id, input.lines);
      // A line keeps its planned-order link when its item is still on the order.
      lines = lines.map((l) => ({ ...l, planned_order_id: planned.get(l.item_id) ?? null }));
      await repo.replaceLines(tx, id, lines);
    }
    await recordAudit(tx, ctx, {
      entityType: 'purchase_order',
      entityId: id,
      action: 'update',
      before: { ...before, lines: oldLines },
      after: { ...after, lines },
    });
    await appendEvent(tx, ctx, {
      type: 'purchaseorder.updated',
      aggregateType: 'purchase_order',
      aggregateId: id,
      data: { id, code: after.code },
    });
    return orderDto(tx, after);
  });
}

const EVENT: Partial<Record<PoAction, string>> = {
  approve: 'purchaseorder.approved',
  send: 'purchaseorder.sent',
  close: 'purchaseorder.closed',
  cancel: 'purchaseorder.cancelled',
};

/** approve | send | close | cancel, checked by the state machine and the order's version. */
export async function act(
  db: Db,
  ctx: Ctx,
  id: string,
  action: 'approve' | 'send' | 'close' | 'cancel',
  body: { version: number } & Partial<Pick<CancelBody, 'reason'>>,
): Promise<PurchaseOrder> {
  return db.transaction(async (tx) => {
    const before = await repo.findOrder(tx, id, db.dialect === 'postgres');
    if (!before) throw notFound('Purchase order', id);
    const next = transition(before.status, action);
    if (!next.ok)
      throw new AppError('INVALID_STATE', next.message, { extra: { currentStatus: before.status } });
    const actor = ctx.actor.id ?? ctx.actor.login;
    if (action === 'approve') {
      const settings = await readSettings(tx);
      if (settings.requireSeparateApprover && before.created_by === actor)
        throw new AppError(
          'SEPARATE_APPROVER_REQUIRED',
          'Someone other than the creator of this purchase order must approve it',
        );
    }
    const now = nowIso();
    const changes: Partial<PurchaseOrdersTable> = { status: next.value as PoStatus, updated_at: now };
    if (action === 'approve') Object.assign(changes, { approved_by: actor, approved_at: now });
    if (action === 'send') changes.sent_at = now;
    if (action === 'close') changes.closed_at = now;
    if (action === 'cancel')
      Object.assign(changes, { cancelled_at: now, cancel_reason: body.reason ?? null });
    const after = await repo.updateOrder(tx, id, body.version, changes);
    if (!after) throw staleVersion('Purchase order', before.code, before.version);
    const lines = await repo.linesOf(tx, [id]);
    if (action === 'cancel' || action === 'close') {
      // Closing short ends what is still open; cancelling ends every line.
      for (const l of lines)
        if (action === 'cancel' || l.status === 'open') await repo.setLineStatus(tx, l.id, 'cancelled');
    }
    await recordAudit(tx, ctx, { entityType: 'purchase_order', entityId: id, action, before, after });
    const dto = await orderDto(tx, after);
    await appendEvent(tx, ctx, {
      type: EVENT[action] ?? `purchaseorder.${action}`,
      aggregateType: 'purchase_order',
      aggregateId: id,
      data: {
        id,
        code: after.code,
        status: after.status,
        supplierId: after.supplier_id,
        lines: dto.lines.map((l) => ({ id: l.id, itemId: l.itemId, openQty: l.openQty, dueDate: l.dueDate })),
        ...(action === 'cancel' ? { reason: body.reason } : {}),
      },
    });
    return dto;
  });
}
