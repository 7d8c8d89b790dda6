import type {
  MrpAction,
  MrpDemand,
  MrpDemandCreate,
  MrpPlannedOrder,
  MrpResultQuery,
  MrpRun,
  MrpRunCreate,
  MrpShortage,
  PageOf,
} from '@takt/contracts';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { MrpDemandsTable, MrpRunsTable } from '../../platform/db/schema-purchasing.ts';
import { invalidField, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { localDate } from '../purchasing/purchaseorder.rules.ts';
import { readSettings } from '../purchasing/purchasing.settings.ts';
import * as repo from './mrp.repo.ts';

/**
 * MRP runs: a request queues a run and its job (off the request path); at most one run is queued or
 * running at a time, and asking again meanwhile returns that run. Results stay per run.
 */
export const MRP_JOB = 'mrp.run';

export function toRun(r: MrpRunsTable): MrpRun {
  return {
    id: r.id,
    status: r.status,
    trigger: r.trigger,
    planStart: r.plan_start,
    progress: r.progress,
    requestedBy: r.requested_by,
    summary: JSON.parse(r.counts) as Record<string, number>,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

function checkDay(field: string, text: string): string {
  const t = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text)
    throw invalidField(field, 'is not a calendar date');
  return text;
}

/** Queues a run, or returns the one already queued or running (`created: false`). */
export async function requestRun(
  db: Db,
  ctx: Ctx,
  input: MrpRunCreate,
  trigger: 'manual' | 'schedule' = 'manual',
): Promise<{ run: MrpRun; created: boolean }> {
  const start = input.start
    ? checkDay('/start', input.start)
    : localDate(new Date(), (await readSettings(db.kysely)).plantTimeZone);
  try {
    return await db.transaction(async (tx) => {
      const active = await repo.activeRun(tx);
      if (active) return { run: toRun(active), created: false };
      const row: MrpRunsTable = {
        id: newId(),
        status: 'queued',
        active_slot: 1,
        trigger,
        plan_start: start,
        progress: 0,
        requested_by: ctx.actor.id ?? ctx.actor.login,
        counts: '{}',
        error: null,
        created_at: nowIso(),
        started_at: null,
        finished_at: null,
      };
      await repo.insertRun(tx, row);
      await enqueue(tx, {
        name: MRP_JOB,
        payload: { runId: row.id },
        uniqueKey: `mrp.run:${row.id}`,
        maxAttempts: 3,
      });
      await recordAudit(tx, ctx, {
        entityType: 'mrp_run',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
      await appendEvent(tx, ctx, {
        type: 'mrp.queued',
        aggregateType: 'mrp_run',
        aggregateId: row.id,
        data: { id: row.id, planStart: start, trigger },
      });
      return { run: toRun(row), created: true };
    });
  } catch (err) {
    // Another request queued one at the same moment (the unique active slot): that one is the run.
    if (!isUniqueViolation(err)) throw err;
    const active = await repo.activeRun(db.kysely);
    if (!active) throw err;
    return { run: toRun(active), created: false };
  }
}

export async function getRun(db: Db, id: string): Promise<MrpRun> {
  const row = await repo.findRun(db.kysely, id);
  if (!row) throw notFound('MRP run', id);
  return toRun(row);
}

export async function listRuns(db: Db, query: { limit?: number; cursor?: string }): Promise<PageOf<MrpRun>> {
  const { rows, nextCursor } = await repo.listRuns(db.kysely, query);
  return { items: rows.map(toRun), nextCursor };
}

async function existingRun(db: Db, id: string) {
  if (!(await repo.findRun(db.kysely, id))) throw notFound('MRP run', id);
}

export async function plannedOrders(
  db: Db,
  runId: string,
  q: MrpResultQuery,
): Promise<PageOf<MrpPlannedOrder>> {
  await existingRun(db, runId);
  const { rows, nextCursor } = await repo.listResults(db.kysely, 'mrp_planned_orders', runId, q);
  return {
    items: rows.map((r) => ({
      id: r.id,
      ref: r.ref,
      kind: r.kind,
      itemId: r.item_id,
      itemCode: r.item_code,
      qty: formatQty(Number(r.qty)),
      releaseDate: r.release_date,
      dueDate: r.due_date,
      pastDue: r.past_due === 1,
      supplierId: r.supplier_id,
      pegging: (JSON.parse(r.pegging) as { source: { kind: string; id: string | null }; qty: number }[]).map(
        (p) => ({ source: p.source, qty: formatQty(p.qty) }),
      ),
    })),
    nextCursor,
  };
}

export async function shortages(db: Db, runId: string, q: MrpResultQuery): Promise<PageOf<MrpShortage>> {
  await existingRun(db, runId);
  const { rows, nextCursor } = await repo.listResults(db.kysely, 'mrp_shortages', runId, q);
  return {
    items: rows.map((r) => ({
      id: r.id,
      itemId: r.item_id,
      itemCode: r.item_code,
      date: r.date,
      qty: formatQty(Number(r.qty)),
      plannedOrderId: r.planned_order_id,
      releaseDate: r.release_date,
    })),
    nextCursor,
  };
}

export async function actions(db: Db, runId: string, q: MrpResultQuery): Promise<PageOf<MrpAction>> {
  await existingRun(db, runId);
  const { rows, nextCursor } = await repo.listResults(db.kysely, 'mrp_actions', runId, q);
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind as MrpAction['kind'],
      itemId: r.item_id,
      itemCode: r.item_code,
      qty: formatQty(Number(r.qty)),
      receipt: r.receipt_type && r.receipt_id ? { type: r.receipt_type, id: r.receipt_id } : null,
      plannedOrderId: r.planned_order_id,
      currentDue: r.current_due,
      suggestedDue: r.suggested_due,
      pastDue: r.past_due === 1,
    })),
    nextCursor,
  };
}

/** Planned orders by id, for turning them into purchase orders. */
export async function plannedOrdersByIds(db: Kysely<Database> | Tx, ids: readonly string[]) {
  return repo.plannedByIds(db, ids);
}

// ---- independent demand ----

const toDemand = (r: MrpDemandsTable): MrpDemand => ({
  id: r.id,
  itemId: r.item_id,
  qty: formatQty(Number(r.qty)),
  dueDate: r.due_date,
  kind: r.kind,
  note: r.note,
  createdAt: r.created_at,
});

export async function createDemand(db: Db, ctx: Ctx, input: MrpDemandCreate): Promise<MrpDemand> {
  const qty = parseQtyField('/qty', input.qty);
  if (qty <= 0) throw invalidField('/qty', 'must be greater than zero');
  const row: MrpDemandsTable = {
    id: newId(),
    item_id: input.itemId,
    qty,
    due_date: checkDay('/dueDate', input.dueDate),
    kind: input.kind ?? 'other',
    note: input.note?.trim() ?? '',
    created_at: nowIso(),
  };
  return db.transaction(async (tx) => {
    const item = await tx.selectFrom('items').select('id').where('id', '=', input.itemId).executeTakeFirst();
    if (!item) throw invalidField('/itemId', 'is not a known item', 'not_found');
    await tx.insertInto('mrp_demands').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'mrp_demand',
      entityId: row.id,
      action: 'create',
      before: null,
      after: row,
    });
    return toDemand(row);
  });
}

export async function deleteDemand(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await tx.selectFrom('mrp_demands').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('Demand', id);
    await tx.deleteFrom('mrp_demands').where('id', '=', id).execute();
    await recordAudit(tx, ctx, {
      entityType: 'mrp_demand',
      entityId: id,
      action: 'delete',
      before,
      after: null,
    });
  });
}

export async function listDemands(
  db: Db,
  q: { itemId?: string; limit?: number; cursor?: string },
): Promise<PageOf<MrpDemand>> {
  const limit = q.limit ?? 50;
  const cursor = decodeCursor(q.cursor, 'id');
  let sel = db.kysely
    .selectFrom('mrp_demands')
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (q.itemId) sel = sel.where('item_id', '=', q.itemId);
  if (cursor) sel = sel.where('id', '>', cursor.id);
  const rows = await sel.execute();
  const out = rows.slice(0, limit);
  const last = out[out.length - 1];
  return {
    items: out.map(toDemand),
    nextCursor: rows.length > limit && last ? encodeCursor({ s: 'id', v: null, id: last.id }) : null,
  };
}
