import type { Kysely } from 'kysely';
import type {
  CustomFieldsUpdate,
  MaterialIssue,
  OutputReport,
  PageOf,
  WorkOrderAction,
  WorkOrderCreate,
  WorkOrderDetail,
  WorkOrderListQuery,
  WorkOrderSummary,
} from '@takt/contracts';
import {
  applyWorkOrderAction,
  type Qty,
  reportWorkOrderOutput,
  type WorkOrder,
  type WorkOrderCommand,
  type WorkOrderId,
  type WorkOrderStatus,
} from '@takt/domain';
import { recordAudit } from '../../platform/audit.ts';
import { type Ctx, domainCommand } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { WorkOrdersTable } from '../../platform/db/schema-production.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { postInTx } from '../inventory/inventory.service.ts';
import { checkCustomFields, customFieldFilter, customFieldsOf } from '../masterdata/custom-fields.service.ts';
import { explodeWorkOrder } from './workorder.explode.ts';
import { type ItemName, itemNames } from './workorder.items.ts';
import * as repo from './workorder.repo.ts';

function toSummary(r: repo.WorkOrderSummaryRow, item: ItemName): WorkOrderSummary {
  return {
    id: r.id,
    code: r.code,
    itemId: r.item_id,
    itemCode: item.code,
    itemName: item.name,
    qty: formatQty(Number(r.qty)),
    qtyGood: formatQty(Number(r.qty_good)),
    qtyScrap: formatQty(Number(r.qty_scrap)),
    qtyReceived: formatQty(Number(r.qty_received)),
    status: r.status,
    heldFrom: r.held_from,
    parentId: r.parent_id,
    rootId: r.root_id ?? r.id,
    salesOrderId: r.sales_order_id,
    salesOrderLineId: r.sales_order_line_id,
    dueDate: r.due_date,
    priority: r.priority,
    hasBom: r.bom_id !== null,
    hasRouting: r.routing_id !== null,
    // Most orders carry no custom values: skip parsing the empty object on every list row.
    customFields: r.custom_fields === '{}' ? {} : customFieldsOf(r.custom_fields),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function createWorkOrder(db: Db, ctx: Ctx, input: WorkOrderCreate): Promise<WorkOrderDetail> {
  const qty = parseQtyField('/qty', input.qty);
  if (qty <= 0) throw invalidField('/qty', 'must be greater than zero', { detail: 'qty must be positive' });
  const customFields = await checkCustomFields(db.kysely, 'work_orders', input.customFields, null);
  const ids = await db.transaction(async (tx) => {
    const created = await explodeWorkOrder(tx, ctx, {
      itemId: input.itemId,
      qty,
      dueDate: input.dueDate ?? null,
      salesOrderId: input.salesOrderId ?? null,
      salesOrderLineId: input.salesOrderLineId ?? null,
      priority: input.priority ?? 50,
      withChildren: input.withChildren ?? true,
      source: input.salesOrderId ? 'sales_order' : 'manual',
    });
    if (customFields !== '{}') await repo.setCustomFields(tx, created[0]!, customFields);
    return created;
  });
  return getWorkOrder(db, ids[0]!);
}

const { HOT, ARCHIVE } = repo;

/** A work order with its materials, operations, children and history; archived orders too (read-only). */
export async function getWorkOrder(db: Db, id: string): Promise<WorkOrderDetail> {
  // All five reads on one pooled connection: on PostgreSQL under load every checkout waits its turn
  // in the pool's queue, and five turns per request made a long tail.
  return db.kysely.connection().execute(async (k) => {
    const hot = await repo.findWorkOrder(k, id);
    if (hot) return readDetail(k, hot, HOT);
    const archived = await repo.findWorkOrder(k, id, ARCHIVE.orders);
    if (archived) return { ...(await readDetail(k, archived, ARCHIVE)), archived: true };
    throw notFound('Work order', id);
  });
}

async function readDetail(
  k: Kysely<Database>,
  row: repo.WorkOrderRow,
  t: repo.WorkOrderTables,
): Promise<WorkOrderDetail> {
  const { materials, operations, children, history } = await repo.detailOf(k, row.id, t);
  return {
    ...toSummary(row, { code: row.item_code, name: row.item_name }),
    materials: materials.map((m) => ({
      id: m.id,
      position: m.position,
      itemId: m.item_id,
      itemCode: m.code,
      itemName: m.name,
      qtyRequired: formatQty(Number(m.qty_required)),
      qtyIssued: formatQty(Number(m.qty_issued)),
      operationSeq: m.operation_seq,
      childWorkOrderId: m.child_work_order_id,
    })),
    operations: operations.map((o) => ({
      id: o.id,
      seq: o.seq,
      name: o.name,
      workCenterId: o.work_center_id,
      machineId: o.machine_id,
      status: o.status,
      setupMinutes: o.setup_minutes,
      plannedMinutes: o.planned_minutes,
      qtyGood: formatQty(Number(o.qty_good)),
      qtyScrap: formatQty(Number(o.qty_scrap)),
      inspection: o.inspection === 1,
      instructionsUrl: o.instructions_url,
      drawingUrl: o.drawing_url,
    })),
    children: children.map((c) => ({ id: c.id, code: c.code, status: c.status, itemCode: c.item_code })),
    history: history.map((h) => ({
      action: h.action,
      operationId: h.operation_id,
      from: h.from_status,
      to: h.to_status,
      reason: h.reason,
      actorId: h.actor_id,
      at: h.at,
    })),
  };
}

export async function listWorkOrders(db: Db, q: WorkOrderListQuery): Promise<PageOf<WorkOrderSummary>> {
  const limit = q.limit ?? 50;
  const cursor = decodeCursor(q.cursor, '-id');
  const filters: repo.WorkOrderFilters = {
    status: q.status || undefined,
    itemId: q.itemId || undefined,
    salesOrderId: q.salesOrderId || undefined,
    rootId: q.rootId || undefined,
    codeLike: q.q ? `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined,
    beforeId: cursor?.id,
  };
  const custom = await customFieldFilter(db.kysely, db.dialect, 'work_orders', 'w.custom_fields', q);
  const rows = custom
    ? await repo
        .listQuery(db.kysely, q.archived === true, filters, limit + 1)
        .where(custom)
        .execute()
    : await repo.listWorkOrders(db.kysely, q.archived === true, filters, limit + 1);
  const page = rows.length > limit ? rows.slice(0, limit) : rows;
  const items = await itemNames(
    db,
    page.map((r) => r.item_id),
  );
  const out: WorkOrderSummary[] = [];
  for (const r of page) {
    const item = items.get(r.item_id);
    // As the join did: a row whose item is gone is not shown (foreign keys keep that from happening).
    if (!item) continue;
    out.push(q.archived ? { ...toSummary(r, item), archived: true } : toSummary(r, item));
  }
  const last = page[page.length - 1];
  return {
    items: out,
    nextCursor: rows.length > limit && last ? encodeCursor({ s: '-id', v: last.id, id: last.id }) : null,
  };
}

function toDomain(r: WorkOrdersTable): WorkOrder {
  return {
    id: r.id as WorkOrderId,
    status: r.status as WorkOrderStatus,
    heldFrom: r.held_from as WorkOrderStatus | null,
    plannedQty: Number(r.qty) as Qty,
    output: { good: Number(r.qty_good) as Qty, scrap: Number(r.qty_scrap) as Qty },
    closedShort: null,
  };
}

async function locked(tx: Tx, db: Db, id: string, version?: number): Promise<WorkOrdersTable> {
  const row = await repo.lockWorkOrder(tx, db.dialect, id);
  if (!row) throw notFound('Work order', id);
  if (version !== undefined && row.version !== version) {
    throw new AppError(
      'STALE_VERSION',
      `Work order ${row.code} was changed by someone else (now version ${row.version})`,
      { extra: { currentVersion: row.version } },
    );
  }
  return row;
}

async function saveTransition(
  tx: Tx,
  ctx: Ctx,
  before: WorkOrdersTable,
  next: WorkOrder,
  action: string,
  reason: string | null,
  extra: Partial<WorkOrdersTable> = {},
) {
  const now = nowIso();
  const after = await tx
    .updateTable('work_orders')
    .set({
      status: next.status,
      held_from: next.heldFrom,
      qty_good: next.output.good,
      qty_scrap: next.output.scrap,
      version: before.version + 1,
      updated_at: now,
      ...extra,
    })
    .where('id', '=', before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('work_order_history')
    .values({
      id: newId(),
      work_order_id: before.id,
      operation_id: null,
      action,
      from_status: before.status,
      to_status: next.status,
      reason,
      actor_id: ctx.actor.id ?? ctx.actor.login,
      at: now,
    })
    .execute();
  await recordAudit(tx, ctx, { entityType: 'work_order', entityId: before.id, action, before, after });
  await appendEvent(tx, ctx, {
    type: 'workorder.status_changed',
    aggregateType: 'work_order',
    aggregateId: before.id,
    data: { id: before.id, code: before.code, from: before.status, to: next.status, action, reason },
  });
  return after;
}

/** Applies a lifecycle action through the domain state machine; refusals come back as 409 with their code. */
export async function actOnWorkOrder(
  db: Db,
  ctx: Ctx,
  id: string,
  input: WorkOrderAction,
): Promise<WorkOrderDetail> {
  await db.transaction(async (tx) => {
    const row = await locked(tx, db, id, input.version);
    const base = domainCommand(ctx, input.reason);
    let cmd: WorkOrderCommand;
    if (input.action === 'release') {
      const bom = row.bom_id
        ? await tx.selectFrom('boms').select('status').where('id', '=', row.bom_id).executeTakeFirst()
        : null;
      const routing = row.routing_id
        ? await tx.selectFrom('routings').select('status').where('id', '=', row.routing_id).executeTakeFirst()
        : null;
      cmd = {
        ...base,
        action: 'release',
        facts: { hasActiveBom: bom?.status === 'active', hasActiveRouting: routing?.status === 'active' },
      };
    } else if (input.action === 'complete') {
      cmd = {
        ...base,
        action: 'complete',
        ...(input.closeShort ? { closeShort: { reason: input.reason ?? '' } } : {}),
      };
    } else {
      cmd = { ...base, action: input.action };
    }
    const result = applyWorkOrderAction(toDomain(row), cmd);
    if (!result.ok)
      throw new AppError('INVALID_STATE', result.message, {
        extra: { reason: result.code, ...(result.details ?? {}) },
      });
    await saveTransition(
      tx,
      ctx,
      row,
      result.value.state,
      input.action,
      result.value.record.reason,
      input.closeShort ? { closed_short_reason: input.reason ?? null } : {},
    );
    if (input.action === 'release' || input.action === 'cancel') {
      const opStatus = input.action === 'release' ? 'ready' : 'cancelled';
      await tx
        .updateTable('work_order_operations')
        .set({ status: opStatus, updated_at: nowIso() })
        .where('work_order_id', '=', id)
        .where('status', 'in', ['pending', 'ready'])
        .execute();
    }
    if (input.action === 'cancel' && input.cascade) {
      const children = await tx
        .selectFrom('work_orders')
        .select(['id', 'version'])
        .where('parent_id', '=', id)
        .where('qty_good', '=', 0)
        .where('qty_scrap', '=', 0)
        .where('status', 'not in', ['cancelled', 'closed', 'completed'])
        .execute();
      for (const c of children) await actOnWorkOrderTx(tx, db, ctx, c.id, { ...input, version: c.version });
    }
  });
  return getWorkOrder(db, id);
}

async function actOnWorkOrderTx(tx: Tx, db: Db, ctx: Ctx, id: string, input: WorkOrderAction): Promise<void> {
  const row = await locked(tx, db, id, input.version);
  const result = applyWorkOrderAction(toDomain(row), {
    ...domainCommand(ctx, input.reason ?? 'parent cancelled'),
    action: 'cancel',
  });
  if (!result.ok) return;
  await saveTransition(tx, ctx, row, result.value.state, 'cancel', result.value.record.reason);
}

/** Issues materials to the work order by hand: ledger moves referencing the order, issued quantities kept. */
export async function issueMaterials(
  db: Db,
  ctx: Ctx,
  id: string,
  input: MaterialIssue,
): Promise<WorkOrderDetail> {
  const lines = input.lines.map((l, i) => ({ ...l, qty: parseQtyField(`/lines/${i}/qty`, l.qty) }));
  await db.transaction(async (tx) => {
    const row = await locked(tx, db, id);
    if (!['released', 'dispatched', 'in_progress', 'paused'].includes(row.status)) {
      throw new AppError('INVALID_STATE', `Materials cannot be issued while the work order is ${row.status}`);
    }
    for (const [i, l] of lines.entries()) {
      const m = await tx
        .selectFrom('work_order_materials')
        .selectAll()
        .where('id', '=', l.materialId)
        .where('work_order_id', '=', id)
        .executeTakeFirst();
      if (!m)
        throw invalidField(`/lines/${i}/materialId`, 'is not a material of this work order', {
          detail: 'Unknown material line',
        });
      await postInTx(tx, ctx, {
        move: {
          kind: 'issue',
          itemId: m.item_id,
          qty: l.qty as Qty,
          fromLocationId: l.fromLocationId,
          toLocationId: null,
          lot: l.lot ?? '',
          reason: null,
        },
        ref: { type: 'work_order', id },
        reversesId: null,
      });
      await tx
        .updateTable('work_order_materials')
        .set({ qty_issued: Number(m.qty_issued) + l.qty })
        .where('id', '=', m.id)
        .execute();
    }
  });
  return getWorkOrder(db, id);
}

/**
 * Reports output: good quantity into stock (an output move), scrap recorded, and optionally the
 * materials this output consumed backflushed from a location — one transaction.
 */
export async function reportOutput(
  db: Db,
  ctx: Ctx,
  id: string,
  input: OutputReport,
): Promise<WorkOrderDetail> {
  const good = parseQtyField('/goodQty', input.goodQty);
  const scrap = input.scrapQty ? parseQtyField('/scrapQty', input.scrapQty) : 0;
  if (good < 0 || scrap < 0 || good + scrap === 0) {
    throw invalidField('/goodQty', 'good plus scrap must be greater than zero', {
      detail: 'Report a positive good or scrap quantity',
    });
  }
  await db.transaction(async (tx) => {
    const row = await locked(tx, db, id);
    const cmd = domainCommand(ctx);
    const result = reportWorkOrderOutput(toDomain(row), { good: good as Qty, scrap: scrap as Qty }, cmd);
    if (!result.ok) throw new AppError('INVALID_STATE', result.message, { extra: { reason: result.code } });
    if (good > 0) {
      await postInTx(tx, ctx, {
        move: {
          kind: 'output',
          itemId: row.item_id,
          qty: good as Qty,
          fromLocationId: null,
          toLocationId: input.toLocationId,
          lot: input.lot ?? '',
          reason: null,
        },
        ref: { type: 'work_order', id },
        reversesId: null,
      });
    }
    if (input.backflushFromLocationId) {
      const materials = await tx
        .selectFrom('work_order_materials')
        .selectAll()
        .where('work_order_id', '=', id)
        .execute();
      const done = good + scrap;
      for (const m of materials) {
        // Consumption in proportion to the quantity made, never beyond what the order requires.
        const due = Math.min(
          Number(m.qty_required),
          Math.ceil(
            (Number(m.qty_required) * (Number(row.qty_good) + Number(row.qty_scrap) + done)) /
              Number(row.qty),
          ),
        );
        const take = due - Number(m.qty_issued);
        if (take <= 0) continue;
        await postInTx(tx, ctx, {
          move: {
            kind: 'issue',
            itemId: m.item_id,
            qty: take as Qty,
            fromLocationId: input.backflushFromLocationId,
            toLocationId: null,
            lot: '',
            reason: 'backflush',
          },
          ref: { type: 'work_order', id },
          reversesId: null,
        });
        await tx
          .updateTable('work_order_materials')
          .set({ qty_issued: due })
          .where('id', '=', m.id)
          .execute();
      }
    }
    const after = await tx
      .updateTable('work_orders')
      .set({
        qty_good: result.value.state.output.good,
        qty_scrap: result.value.state.output.scrap,
        qty_received: Number(row.qty_received) + good,
        version: row.version + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      entityType: 'work_order',
      entityId: id,
      action: 'report_output',
      before: row,
      after,
    });
    await appendEvent(tx, ctx, {
      type: 'workorder.output_reported',
      aggregateType: 'work_order',
      aggregateId: id,
      data: {
        id,
        code: row.code,
        good: formatQty(good),
        scrap: formatQty(scrap),
        totalGood: formatQty(Number(after.qty_good)),
        planned: formatQty(Number(row.qty)),
      },
    });
  });
  return getWorkOrder(db, id);
}

/** Changes the custom field values of a work order (the keys sent), in any status. */
export async function updateWorkOrderCustomFields(
  db: Db,
  ctx: Ctx,
  id: string,
  input: CustomFieldsUpdate,
): Promise<WorkOrderDetail> {
  await db.transaction(async (tx) => {
    const before = await locked(tx, db, id, input.version);
    const json = await checkCustomFields(tx, 'work_orders', input.customFields, before.custom_fields);
    await repo.setCustomFields(tx, id, json, before.version + 1, nowIso());
    const diff = { before: customFieldsOf(before.custom_fields), after: customFieldsOf(json) };
    await recordAudit(tx, ctx, {
      entityType: 'work_order',
      entityId: id,
      action: 'update',
      before: { customFields: diff.before },
      after: { customFields: diff.after },
    });
    await appendEvent(tx, ctx, {
      type: 'workorder.updated',
      aggregateType: 'work_order',
      aggregateId: id,
      data: { id, code: before.code, customFields: diff.after },
    });
  });
  return getWorkOrder(db, id);
}
