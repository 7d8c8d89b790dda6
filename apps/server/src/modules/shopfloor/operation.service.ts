import {
  applyOperationAction,
  type Operation,
  type OperationCommand,
  type OperationId,
  type OperationStatus,
  type Qty,
  type StartFacts,
  type WorkOrderId,
  type WorkOrderStatus,
} from '@takt/domain';
import type { Selectable } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import { type Ctx, domainCommand } from '../../platform/context.ts';
import { prepared, preparedShapes } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { deferWrites } from '../../platform/db/pg-pipeline.ts';
import { writesInPartitions } from '../../platform/db/table-versions.ts';
import type { WorkOrderOperationsTable } from '../../platform/db/schema-production.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { formatQty } from '../../platform/units.ts';
import { firstArticleStatus } from '../quality/inspection.service.ts';

export type OpRow = Selectable<WorkOrderOperationsTable>;
type WorkOrderColumns = { wo_qty?: number; wo_status?: string; wo_code?: string };

/** The operation with its work order's columns, locked on PostgreSQL; one compiled query per dialect. */
const lockShapes = preparedShapes((dialect: Db['dialect']) => (db, id: string) => {
  const q = db
    .selectFrom('work_order_operations as o')
    .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
    .selectAll('o')
    .select(['w.qty as wo_qty', 'w.status as wo_status', 'w.code as wo_code'])
    .where('o.id', '=', id);
  return dialect === 'postgres' ? q.forUpdate() : q;
});

export async function lockOperation(
  tx: Tx,
  db: Db,
  id: string,
): Promise<OpRow & { wo_qty: number; wo_status: string; wo_code: string }> {
  const row = await lockShapes(db.dialect).first(tx, id);
  if (!row) throw notFound('Operation', id);
  return row;
}

export async function readOperation(db: Db, id: string): Promise<OpRow> {
  const row = await db.kysely
    .selectFrom('work_order_operations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Operation', id);
  return row;
}

export function toDomainOp(r: OpRow & { wo_qty: number }): Operation {
  return {
    id: r.id as OperationId,
    workOrderId: r.work_order_id as WorkOrderId,
    sequence: r.seq,
    status: r.status as OperationStatus,
    heldFrom: r.held_from as OperationStatus | null,
    plannedQty: Number(r.wo_qty) as Qty,
    output: { good: Number(r.qty_good) as Qty, scrap: Number(r.qty_scrap) as Qty },
    closedShort: null,
  };
}

/**
 * The update of an operation, compiled once per set of columns written (which depends on the action
 * and on whether the status changes): `columns` lists them, comma-separated, in the order of the values.
 */
const updateShapes = preparedShapes(
  (columns: string) =>
    (db, id: string, ...values: unknown[]) =>
      db
        .updateTable('work_order_operations')
        .set(Object.fromEntries(columns.split(',').map((c, i) => [c, values[i]])) as Partial<OpRow>)
        .where('id', '=', id)
        .returningAll(),
);

const insertHistory = prepared(
  (
    db,
    id: string,
    workOrderId: string,
    operationId: string,
    action: string,
    fromStatus: string,
    toStatus: string,
    reason: string | null,
    actorId: string,
    at: string,
  ) =>
    db.insertInto('work_order_history').values({
      id,
      work_order_id: workOrderId,
      operation_id: operationId,
      action,
      from_status: fromStatus,
      to_status: toStatus,
      reason,
      actor_id: actorId,
      at,
    }),
);

/**
 * Persists a domain transition of an operation with history, audit and event. `at` is when the
 * transition happened, when that is earlier than now (a start entered late): the status and the
 * history row carry it, the audit row keeps the time it was entered, and the event carries both.
 */
export async function saveOperation(
  tx: Tx,
  ctx: Ctx,
  before: OpRow & { wo_code: string },
  next: Operation,
  action: string,
  reason: string | null,
  extra: Partial<OpRow> = {},
  at?: string,
): Promise<OpRow> {
  const now = nowIso();
  const happened = at ?? now;
  const set: Record<string, unknown> = {
    status: next.status,
    held_from: next.heldFrom,
    qty_good: next.output.good,
    qty_scrap: next.output.scrap,
    version: before.version + 1,
    updated_at: now,
  };
  if (next.status !== before.status) set.status_since = happened;
  for (const [column, value] of Object.entries(extra)) if (value !== undefined) set[column] = value;
  const columns = Object.keys(set);
  // This one operation's row and its order's history: answers read from other orders', machines'
  // and work centers' rows stay current (table-versions.ts). Moved, it leaves one and joins another.
  const moved = (column: 'machine_id' | 'work_center_id') => [
    before[column],
    column in set ? (set[column] as string | null) : before[column],
  ];
  const after = await writesInPartitions(
    {
      work_order_operations: {
        id: [before.id],
        work_order_id: [before.work_order_id],
        machine_id: moved('machine_id'),
        work_center_id: moved('work_center_id'),
      },
      work_order_history: { work_order_id: [before.work_order_id] },
    },
    async () => {
      const row = (await updateShapes(columns.join(',')).first(
        tx,
        before.id,
        ...columns.map((c) => set[c]),
      )) as OpRow | undefined;
      if (!row) throw notFound('Operation', before.id);
      await deferWrites(() =>
        insertHistory.all(
          tx,
          newId(),
          before.work_order_id,
          before.id,
          `operation.${action}`,
          before.status,
          next.status,
          reason,
          ctx.actor.id ?? ctx.actor.login,
          happened,
        ),
      );
      return row;
    },
  );
  // The work order's columns read along with the operation are not the operation's to audit.
  const {
    wo_code: _code,
    wo_qty: _qty,
    wo_status: _status,
    ...own
  } = before as typeof before & WorkOrderColumns;
  await recordAudit(tx, ctx, { entityType: 'operation', entityId: before.id, action, before: own, after });
  await appendEvent(tx, ctx, {
    type: `operation.${action === 'report' ? 'reported' : 'status_changed'}`,
    aggregateType: 'work_order',
    aggregateId: before.work_order_id,
    data: {
      operationId: before.id,
      workOrderId: before.work_order_id,
      workOrderCode: before.wo_code,
      seq: before.seq,
      machineId: after.machine_id,
      from: before.status,
      to: next.status,
      action,
      qtyGood: formatQty(Number(after.qty_good)),
      qtyScrap: formatQty(Number(after.qty_scrap)),
      startedAt: after.started_at,
      ...(happened === now ? {} : { at: happened, enteredAt: now }),
    },
  });
  return after;
}

/** Facts for the start guard, read from the database. */
export async function startFacts(
  tx: Tx,
  op: OpRow & { wo_status: string },
  operatorEmployeeId: string | null,
): Promise<StartFacts> {
  const prev = await tx
    .selectFrom('work_order_operations')
    .select(['status', 'qty_good'])
    .where('work_order_id', '=', op.work_order_id)
    .where('seq', '<', op.seq)
    .where('status', '<>', 'cancelled')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  const machine = op.machine_id
    ? await tx.selectFrom('machines').select('status').where('id', '=', op.machine_id).executeTakeFirst()
    : null;
  const skills = operatorEmployeeId
    ? await tx
        .selectFrom('employee_skills')
        .select(['skill_code', 'level'])
        .where('employee_id', '=', operatorEmployeeId)
        .execute()
    : [];
  const materials = await tx
    .selectFrom('work_order_materials')
    .select(['qty_required', 'qty_issued', 'operation_seq'])
    .where('work_order_id', '=', op.work_order_id)
    .execute();
  const mine = materials.filter((m) => m.operation_seq === null || m.operation_seq === op.seq);
  return {
    workOrderStatus: op.wo_status as WorkOrderStatus,
    previousOperation: prev
      ? { completed: prev.status === 'completed', goodQty: Number(prev.qty_good) as Qty }
      : null,
    overlapTransferQty: op.overlap === 1 ? (1 as Qty) : null,
    machine: machine ? (machine.status === 'up' ? 'up' : 'down') : 'none',
    requiredSkill:
      op.skill_code && operatorEmployeeId ? { skill: op.skill_code, level: op.skill_level ?? 1 } : null,
    operatorSkills: Object.fromEntries(skills.map((s) => [s.skill_code, s.level])),
    // Materials count as issued when every line for this operation has something issued; shops that
    // backflush report consumption with the output instead.
    materialsIssued: mine.every((m) => Number(m.qty_issued) > 0),
    backflush: true,
    // The piece made during setup is checked by quality when the routing step asks for it.
    firstArticle: (await firstArticleStatus(tx, op)).state,
  };
}

/** Transitions of an operation that a start entered late may not precede. */
const EXECUTION_EVENTS = [
  'operation.start',
  'operation.pause',
  'operation.resume',
  'operation.report',
  'operation.hold',
  'operation.unhold',
  'operation.complete',
  'operation.requeue',
] as const;

/** When the operation's work order was last released, and the last execution event on the operation. */
export async function startTimeBounds(
  tx: Tx,
  op: OpRow,
): Promise<{ releasedAt: string | null; lastEventAt: string | null }> {
  const released = await tx
    .selectFrom('work_order_history')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('work_order_id', '=', op.work_order_id)
    .where('operation_id', 'is', null)
    .where('action', '=', 'release')
    .executeTakeFirst();
  const last = await tx
    .selectFrom('work_order_history')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('operation_id', '=', op.id)
    .where('action', 'in', EXECUTION_EVENTS)
    .executeTakeFirst();
  return { releasedAt: released?.at ?? null, lastEventAt: last?.at ?? null };
}

export function refusal(result: {
  code: string;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}): AppError {
  // `status` would clash with the problem's HTTP status: the operation's status goes out as `currentStatus`.
  const { status, ...details } = result.details ?? {};
  return new AppError('INVALID_STATE', result.message, {
    extra: { reason: result.code, ...details, ...(status === undefined ? {} : { currentStatus: status }) },
  });
}

/** Dispatch to a machine (and optionally an operator). Idempotent: the same target again changes nothing. */
export async function dispatchOperation(
  db: Db,
  ctx: Ctx,
  id: string,
  machineId: string,
  operatorId: string | null,
) {
  return db.transaction(async (tx) => {
    const op = await lockOperation(tx, db, id);
    if (op.status === 'dispatched' && op.machine_id === machineId) return op;
    const machine = await tx
      .selectFrom('machines')
      .select(['id', 'work_center_id', 'active'])
      .where('id', '=', machineId)
      .executeTakeFirst();
    if (machine?.active !== 1) {
      throw invalidField('/machineId', 'is not an active machine', { detail: 'Unknown or inactive machine' });
    }
    if (machine.work_center_id !== op.work_center_id) {
      throw invalidField('/machineId', 'is not in the operation’s work center', {
        detail: 'The machine belongs to another work center',
      });
    }
    const cmd: OperationCommand = {
      ...domainCommand(ctx),
      action: op.status === 'pending' ? 'make_ready' : 'dispatch',
    };
    let state = toDomainOp(op);
    if (cmd.action === 'make_ready') {
      const r = applyOperationAction(state, cmd);
      if (!r.ok) throw refusal(r);
      state = r.value.state;
    }
    const r = applyOperationAction(state, { ...domainCommand(ctx), action: 'dispatch' });
    if (!r.ok) throw refusal(r);
    const dispatchNo = op.dispatch_no + 1;
    const after = await saveOperation(tx, ctx, op, r.value.state, 'dispatch', null, {
      machine_id: machineId,
      operator_id: operatorId,
      dispatch_no: dispatchNo,
      dispatched_at: nowIso(),
      dispatch_error: null,
      external_ack_at: null,
    });
    await enqueueExternalDispatch(tx, op.work_center_id, id, dispatchNo);
    return after;
  });
}

/** When the work center has an external endpoint, the send is a job in the same transaction. */
export async function enqueueExternalDispatch(
  tx: Tx,
  workCenterId: string,
  operationId: string,
  dispatchNo: number,
) {
  const target = await tx
    .selectFrom('dispatch_targets')
    .select(['url'])
    .where('work_center_id', '=', workCenterId)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (!target) return;
  await enqueue(tx, {
    name: 'operation.dispatch',
    payload: { operationId, dispatchNo },
    uniqueKey: `dispatch:${operationId}:${dispatchNo}`,
    // The first send plus up to three retries.
    maxAttempts: 4,
  });
}
