import type { SalesOrder, SalesOrderCreate, SalesOrderUpdate } from '@takt/contracts';
import type { Cents, Qty } from '@takt/domain';
import { lineAmount } from '@takt/domain';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { SalesOrderLinesTable, SalesOrdersTable } from '../../platform/db/schema-sales.ts';
import { invalidField } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatQty, parseMoneyField, parseQtyField } from '../../platform/units.ts';
import {
  fail,
  planOut,
  type LinePlan,
  rebalance,
  releaseLines,
  saveOrder,
  withOrder,
} from './salesorder.actions.ts';
import * as repo from './salesorder.repo.ts';
import {
  canChangeLines,
  checkNewQty,
  effectiveDueDate,
  humanCode,
  orderAmounts,
  rollupStatus,
  type SalesOrderStatus,
} from './salesorder.rules.ts';
import { localDay, nextInSequence } from '../../platform/sequences.ts';
import { priorityOf, toOrder } from './salesorder.view.ts';

const positiveQty = (field: string, text: string): number => {
  const q = parseQtyField(field, text);
  if (q <= 0) throw invalidField(field, 'must be greater than zero');
  return q;
};

const price = (field: string, text: string): number => {
  const c = parseMoneyField(field, text);
  if (c < 0) throw invalidField(field, 'must not be negative');
  return c;
};

function date(field: string, text: string | null | undefined): string {
  const d = text ? new Date(`${text}T00:00:00Z`) : null;
  if (!text || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
    throw invalidField(field, text ? 'is not a calendar date' : 'is required (or give the order a due date)');
  }
  return text;
}

async function checkItems(tx: Tx, lines: readonly { itemId: string }[], at: (i: number) => number) {
  const found = new Map(
    (
      await repo.findItems(
        tx,
        lines.map((l) => l.itemId),
      )
    ).map((r) => [r.id, r]),
  );
  lines.forEach((l, i) => {
    const item = found.get(l.itemId);
    if (!item) throw invalidField(`/lines/${at(i)}/itemId`, 'is not a known item');
    if (item.active !== 1) throw invalidField(`/lines/${at(i)}/itemId`, 'is deactivated');
  });
}

function amountOf(qty: number, unitPrice: number, pricePer: number): number {
  return lineAmount(qty as Qty, unitPrice as Cents, { per: pricePer as Qty });
}

export async function createOrder(db: Db, ctx: Ctx, input: SalesOrderCreate): Promise<SalesOrder> {
  const headerDue = input.dueDate ? date('/dueDate', input.dueDate) : null;
  const parsed = input.lines.map((l, i) => ({
    itemId: l.itemId,
    qty: positiveQty(`/lines/${i}/qty`, l.qty),
    unitPrice: price(`/lines/${i}/unitPrice`, l.unitPrice),
    pricePer: l.pricePer ? positiveQty(`/lines/${i}/pricePer`, l.pricePer) : 1000,
    requestedDate: date(`/lines/${i}/requestedDate`, l.requestedDate ?? headerDue),
  }));
  const { amounts, total } = orderAmounts(
    parsed.map((l) => ({ qty: l.qty as Qty, unitPrice: l.unitPrice as Cents, pricePer: l.pricePer as Qty })),
  );
  const dueDate = effectiveDueDate(parsed.map((l) => l.requestedDate));
  return db.transaction(async (tx) => {
    const customer = await repo.findCustomer(tx, input.customerId);
    if (!customer) throw invalidField('/customerId', 'is not a known customer');
    if (customer.active !== 1) throw invalidField('/customerId', 'is deactivated');
    await checkItems(tx, parsed, (i) => i);
    const today = localDay();
    const id = newId();
    const now = nowIso();
    const code = humanCode('SO', today, await nextInSequence(tx, 'SO', today));
    const priority = priorityOf(id, dueDate, customer.tier, total, today);
    const row: SalesOrdersTable = {
      id,
      code,
      customer_id: customer.id,
      external_ref: input.externalRef?.trim() ?? '',
      currency: input.currency ?? 'CNY',
      status: 'draft',
      header_due_date: headerDue,
      due_date: dueDate,
      order_value: total,
      priority_score: priority.score,
      priority: priority.json,
      note: input.note?.trim() ?? '',
      version: 1,
      confirmed_at: null,
      created_at: now,
      updated_at: now,
    };
    const lines: SalesOrderLinesTable[] = parsed.map((l, i) => ({
      id: newId(),
      sales_order_id: id,
      line_no: i + 1,
      item_id: l.itemId,
      qty: l.qty,
      unit_price: l.unitPrice,
      price_per: l.pricePer,
      amount: amounts[i]!,
      requested_date: l.requestedDate,
      promised_date: null,
      shortage: 0,
      shipped_qty: 0,
    }));
    await repo.insertOrder(tx, row);
    await repo.insertLines(tx, lines);
    const order = toOrder((await repo.findOrder(tx, id))!, await repo.linesOf(tx, [id]));
    await recordAudit(tx, ctx, {
      entityType: 'sales_order',
      entityId: id,
      action: 'create',
      before: null,
      after: { ...row, lines },
    });
    await appendEvent(tx, ctx, {
      type: 'salesorder.created',
      aggregateType: 'sales_order',
      aggregateId: id,
      data: order,
    });
    return order;
  });
}

/**
 * Edits a draft freely; on a confirmed order a change of quantity or date re-balances the
 * reservations and promises and emits `salesorder.changed` (planning re-plans from it).
 */
export async function updateOrder(
  db: Db,
  ctx: Ctx,
  id: string,
  input: SalesOrderUpdate,
): Promise<SalesOrder> {
  return withOrder(db, id, input.version, async (tx, order, lines) => {
    const status = order.status as SalesOrderStatus;
    const can = canChangeLines(status);
    if (!can.ok) throw fail(can);
    const draft = status === 'draft';
    const header: Partial<SalesOrdersTable> = {};
    if (input.externalRef !== undefined) header.external_ref = input.externalRef.trim();
    if (input.currency !== undefined) header.currency = input.currency;
    if (input.note !== undefined) header.note = input.note.trim();
    if (input.dueDate !== undefined)
      header.header_due_date = input.dueDate ? date('/dueDate', input.dueDate) : null;
    const headerDue = header.header_due_date !== undefined ? header.header_due_date : order.header_due_date;
    const changes: Record<string, unknown>[] = [];
    if (input.lines) {
      const byId = new Map(lines.map((l) => [l.id, l]));
      const keep = new Set<string>();
      const added: SalesOrderLinesTable[] = [];
      let nextNo = Math.max(0, ...lines.map((l) => Number(l.line_no))) + 1;
      for (const [i, c] of input.lines.entries()) {
        const qty = positiveQty(`/lines/${i}/qty`, c.qty);
        const cur = c.id ? byId.get(c.id) : undefined;
        if (c.id && (!cur || keep.has(c.id)))
          throw invalidField(`/lines/${i}/id`, 'is not a line of this order');
        if (cur) {
          keep.add(cur.id);
          if (c.itemId && c.itemId !== cur.item_id) {
            throw invalidField(`/lines/${i}/itemId`, 'cannot change; remove the line and add a new one');
          }
          const q = checkNewQty({ qty: cur.qty, shipped: cur.shipped_qty }, qty);
          if (!q.ok) throw fail(q, `/lines/${i}/qty`);
          const unitPrice =
            c.unitPrice !== undefined ? price(`/lines/${i}/unitPrice`, c.unitPrice) : cur.unit_price;
          const pricePer =
            c.pricePer !== undefined ? positiveQty(`/lines/${i}/pricePer`, c.pricePer) : cur.price_per;
          const requested = c.requestedDate
            ? date(`/lines/${i}/requestedDate`, c.requestedDate)
            : cur.requested_date;
          const next = { qty, unit_price: unitPrice, price_per: pricePer, requested_date: requested };
          if (Object.entries(next).some(([k, v]) => cur[k as keyof typeof next] !== v)) {
            await repo.updateLine(tx, cur.id, { ...next, amount: amountOf(qty, unitPrice, pricePer) });
            changes.push({
              lineId: cur.id,
              itemId: cur.item_id,
              qty: { from: formatQty(cur.qty), to: formatQty(qty) },
              requestedDate: { from: cur.requested_date, to: requested },
            });
          }
          continue;
        }
        if (!c.itemId) throw invalidField(`/lines/${i}/itemId`, 'is required for a new line');
        if (c.unitPrice === undefined)
          throw invalidField(`/lines/${i}/unitPrice`, 'is required for a new line');
        await checkItems(tx, [{ itemId: c.itemId }], () => i);
        const unitPrice = price(`/lines/${i}/unitPrice`, c.unitPrice);
        const pricePer = c.pricePer ? positiveQty(`/lines/${i}/pricePer`, c.pricePer) : 1000;
        const row: SalesOrderLinesTable = {
          id: newId(),
          sales_order_id: id,
          line_no: nextNo++,
          item_id: c.itemId,
          qty,
          unit_price: unitPrice,
          price_per: pricePer,
          amount: amountOf(qty, unitPrice, pricePer),
          requested_date: date(`/lines/${i}/requestedDate`, c.requestedDate ?? headerDue),
          promised_date: null,
          shortage: 0,
          shipped_qty: 0,
        };
        added.push(row);
        changes.push({ lineId: row.id, itemId: row.item_id, qty: { from: null, to: formatQty(qty) } });
      }
      const removed = lines.filter((l) => !keep.has(l.id));
      const shippedIndex = removed.findIndex((l) => l.shipped_qty > 0);
      if (shippedIndex >= 0) {
        const q = checkNewQty(
          { qty: removed[shippedIndex]!.qty, shipped: removed[shippedIndex]!.shipped_qty },
          0,
        );
        if (!q.ok) throw fail(q, '/lines');
      }
      await releaseLines(tx, ctx, removed);
      for (const r of removed) {
        await repo.deleteLine(tx, r.id);
        changes.push({ lineId: r.id, itemId: r.item_id, qty: { from: formatQty(r.qty), to: null } });
      }
      await repo.insertLines(tx, added);
    }
    const now = await repo.linesOf(tx, [id]);
    const total = now.reduce((s, l) => s + l.amount, 0);
    const dueDate = effectiveDueDate(now.map((l) => l.requested_date));
    const today = localDay();
    let plan: LinePlan[] = [];
    if (!draft) plan = await rebalance(tx, ctx, db.dialect, now, today);
    const priority = priorityOf(id, dueDate, order.customer_tier, total, today);
    const next = rollupStatus(
      status,
      now.map((l) => ({ qty: l.qty, shipped: l.shipped_qty })),
    );
    return saveOrder(
      tx,
      ctx,
      order,
      {
        ...header,
        status: next,
        order_value: total,
        due_date: dueDate,
        priority: priority.json,
        priority_score: priority.score,
      },
      draft ? 'update' : 'change',
      draft
        ? { type: 'salesorder.updated', data: {} }
        : {
            type: 'salesorder.changed',
            data: { reason: input.reason?.trim() ?? null, changes, dueDate, lines: plan.map(planOut) },
          },
    );
  });
}
