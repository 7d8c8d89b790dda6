import { applyOperationAction, type OperationCommand, type Qty, reportOperationOutput } from '@takt/domain';
import { type Ctx, domainCommand } from '../../platform/context.ts';
import { prepared } from '../../platform/db/compiled.ts';
import { can } from '../../platform/auth/roles.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { parseQtyField } from '../../platform/units.ts';
import { consumeLots, parseLotLines } from './operation.lots.ts';
import {
  enqueueExternalDispatch,
  lockOperation,
  type OpRow,
  readOperation,
  refusal,
  saveOperation,
  startFacts,
  startTimeBounds,
  toDomainOp,
} from './operation.service.ts';
import {
  checkStartTime,
  OPERATOR_START_BACK_HOURS,
  SUPERVISOR_START_BACK_HOURS,
} from './operation.start-time.ts';

/** Terminal actions and reports are short and come in bursts: they may share a commit (SQLite). */
const SHORT_WRITE = { groupCommit: true } as const;

export type OperationActionName =
  | 'start'
  | 'pause'
  | 'resume'
  | 'complete'
  | 'hold'
  | 'unhold'
  | 'cancel'
  | 'retry_dispatch'
  | 'requeue';

/** Start, pause, resume, complete, hold … through the domain state machine and its guards. */
export async function actOnOperation(
  db: Db,
  ctx: Ctx,
  id: string,
  input: {
    action: OperationActionName;
    reason?: string;
    operatorEmployeeId?: string;
    closeShort?: boolean;
    startedAt?: string;
  },
) {
  if (input.startedAt !== undefined && input.action !== 'start') {
    throw invalidField('/startedAt', 'is only taken by the start action', {
      code: 'START_TIME_NOT_A_START',
      detail: 'Only a start can be dated earlier',
    });
  }
  return db.transaction(async (tx) => {
    const op = await lockOperation(tx, db, id);
    const base = domainCommand(ctx, input.reason);
    let cmd: OperationCommand;
    switch (input.action) {
      case 'start':
        cmd = {
          ...base,
          action: 'start',
          facts: await startFacts(tx, op, input.operatorEmployeeId ?? op.operator_id),
        };
        break;
      case 'resume': {
        const f = await startFacts(tx, op, null);
        cmd = {
          ...base,
          action: 'resume',
          facts: { machine: f.machine, workOrderStatus: f.workOrderStatus },
        };
        break;
      }
      case 'complete':
        cmd = {
          ...base,
          action: 'complete',
          ...(input.closeShort ? { closeShort: { reason: input.reason ?? '' } } : {}),
        };
        break;
      default:
        cmd = { ...base, action: input.action };
    }
    const r = applyOperationAction(toDomainOp(op), cmd);
    if (!r.ok) throw refusal(r);
    // Dated earlier, a start says when it happened; otherwise it happens now.
    const startedAt =
      input.startedAt === undefined ? undefined : await givenStartTime(tx, ctx, op, input.startedAt);
    const extra =
      input.action === 'start'
        ? {
            started_at: startedAt ?? nowIso(),
            ...(input.operatorEmployeeId ? { operator_id: input.operatorEmployeeId } : {}),
          }
        : input.action === 'retry_dispatch'
          ? { dispatch_no: op.dispatch_no + 1, dispatch_error: null, dispatched_at: nowIso() }
          : {};
    const after = await saveOperation(
      tx,
      ctx,
      op,
      r.value.state,
      input.action,
      r.value.record.reason,
      extra,
      startedAt,
    );
    if (input.action === 'retry_dispatch')
      await enqueueExternalDispatch(tx, op.work_center_id, id, after.dispatch_no);
    return after;
  }, SHORT_WRITE);
}

/** A start time given by the operator or supervisor, checked against what the record already says. */
async function givenStartTime(tx: Tx, ctx: Ctx, op: OpRow, given: string): Promise<string> {
  const check = checkStartTime(given, {
    nowMs: Date.now(),
    ...(await startTimeBounds(tx, op)),
    maxBackHours: can(ctx.actor.permissions, 'shopfloor:update')
      ? SUPERVISOR_START_BACK_HOURS
      : OPERATOR_START_BACK_HOURS,
  });
  if (!check.ok) {
    throw invalidField('/startedAt', check.message, {
      code: check.problem,
      detail: `The start time ${check.message}`,
    });
  }
  return check.startedAt;
}

/**
 * Claims a report's idempotency key by inserting the report: the row comes back only when it was
 * inserted, not when a report with that key exists already.
 */
const claimReport = prepared(
  (
    db,
    id: string,
    operationId: string,
    idempotencyKey: string,
    good: number,
    scrap: number,
    scrapReason: string | null,
    operatorId: string | null,
    machineId: string | null,
    reportedAt: string,
    receivedAt: string,
  ) =>
    db
      .insertInto('operation_reports')
      .values({
        id,
        operation_id: operationId,
        idempotency_key: idempotencyKey,
        good,
        scrap,
        scrap_reason: scrapReason,
        operator_id: operatorId,
        machine_id: machineId,
        reported_at: reportedAt,
        received_at: receivedAt,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id'),
);

const reportByKey = prepared((db, idempotencyKey: string) =>
  db
    .selectFrom('operation_reports')
    .select(['id', 'operation_id'])
    .where('idempotency_key', '=', idempotencyKey),
);

/**
 * A report of good and scrap quantities from the floor. The client's idempotency key makes a report
 * queued offline and sent twice count once: the second send returns the first result.
 */
export async function reportOperation(
  db: Db,
  ctx: Ctx,
  id: string,
  input: {
    idempotencyKey: string;
    good: string;
    scrap?: string;
    scrapReason?: string;
    reportedAt?: string;
    operatorEmployeeId?: string;
    lots?: readonly { lotCode?: string; lotId?: string; qty: string }[];
  },
): Promise<{ duplicate: boolean; reportId: string; operation: OpRow }> {
  const good = parseQtyField('/good', input.good);
  const scrap = input.scrap ? parseQtyField('/scrap', input.scrap) : 0;
  if (good < 0 || scrap < 0 || good + scrap === 0) {
    throw invalidField('/good', 'good plus scrap must be greater than zero', {
      detail: 'Report a positive good or scrap quantity',
    });
  }
  if (scrap > 0 && !input.scrapReason?.trim()) {
    throw invalidField('/scrapReason', 'is required when scrap is reported', {
      detail: 'Scrap needs a reason',
    });
  }
  const lots = parseLotLines(input.lots ?? []);
  // The key is claimed by the report's own insert: no lookup first, and a resend (rare) is told by the
  // insert changing nothing. Two sends racing on PostgreSQL: the second insert waits for the first
  // transaction and then changes nothing either, so both answer with the one report.
  const result = await db.transaction(async (tx) => {
    const op = await lockOperation(tx, db, id);
    const reportId = newId();
    const now = nowIso();
    const claimed = await claimReport.first(
      tx,
      reportId,
      id,
      input.idempotencyKey,
      good,
      scrap,
      input.scrapReason?.trim() || null,
      input.operatorEmployeeId ?? op.operator_id ?? ctx.actor.id,
      op.machine_id,
      input.reportedAt ?? now,
      now,
    );
    if (!claimed) {
      const first = await reportByKey.first(tx, input.idempotencyKey);
      if (!first) throw new Error(`report with key ${input.idempotencyKey} neither inserted nor found`);
      return { ...sameReport(first, id), operation: null };
    }
    // A refusal rolls the report back with everything else.
    const r = reportOperationOutput(
      toDomainOp(op),
      { good: good as Qty, scrap: scrap as Qty },
      domainCommand(ctx),
    );
    if (!r.ok) throw refusal(r);
    await consumeLots(tx, ctx, op, reportId, lots);
    const operation = await saveOperation(tx, ctx, op, r.value.state, 'report', input.scrapReason ?? null);
    return { duplicate: false, reportId, operation };
  }, SHORT_WRITE);
  // A new report returns the row its transaction wrote; a resend answers with the operation as it is now.
  return { ...result, operation: result.operation ?? (await readOperation(db, id)) };
}

function sameReport(existing: { id: string; operation_id: string }, id: string) {
  if (existing.operation_id !== id) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for another operation', {
      fieldErrors: [{ field: '/idempotencyKey', message: 'was already used for another operation' }],
    });
  }
  return { duplicate: true, reportId: existing.id };
}
