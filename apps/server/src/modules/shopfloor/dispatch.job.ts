import { applyOperationAction } from '@takt/domain';
import { raiseAlert } from '../../platform/alerts.ts';
import { domainCommand, systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { JobHandler, JobResult } from '../../platform/jobs/worker.ts';
import { nowIso } from '../../platform/ids.ts';
import { formatQty } from '../../platform/units.ts';
import { lockOperation, saveOperation, toDomainOp } from './operation.service.ts';

export interface DispatchJobOptions {
  /** Backoff before retry n is base × 2^(n−1). */
  readonly retryBaseMs: number;
  readonly timeoutMs: number;
}

/**
 * Sends a dispatched operation to the work center's external endpoint (e.g. a machine-controller
 * gateway) with an idempotency key, so a retried send is recognised by the receiver. After the last
 * attempt fails, the operation goes to `dispatch_failed` with the error and an alert is raised —
 * never left waiting silently.
 */
export function dispatchJob(db: Db, options: DispatchJobOptions): JobHandler {
  return async (payload, { job, signal }): Promise<JobResult> => {
    const { operationId, dispatchNo } = payload as { operationId: string; dispatchNo: number };
    const op = await db.kysely
      .selectFrom('work_order_operations as o')
      .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
      .leftJoin('machines as m', 'm.id', 'o.machine_id')
      .leftJoin('items as i', 'i.id', 'w.item_id')
      .select([
        'o.id',
        'o.status',
        'o.dispatch_no',
        'o.seq',
        'o.name',
        'o.work_center_id',
        'w.code as wo_code',
        'w.qty',
        'm.code as machine_code',
        'i.code as item_code',
      ])
      .where('o.id', '=', operationId)
      .executeTakeFirst();
    if (!op || op.dispatch_no !== dispatchNo || op.status !== 'dispatched') {
      return { status: 'skipped', reason: 'the operation was re-dispatched, started or cancelled meanwhile' };
    }
    const target = await db.kysely
      .selectFrom('dispatch_targets')
      .select('url')
      .where('work_center_id', '=', op.work_center_id)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (!target) return { status: 'skipped', reason: 'no external endpoint any more' };

    let error: string;
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `op-${operationId}-${dispatchNo}` },
        body: JSON.stringify({
          operationId,
          dispatchNo,
          workOrder: op.wo_code,
          item: op.item_code,
          seq: op.seq,
          name: op.name,
          machine: op.machine_code,
          qty: formatQty(Number(op.qty)),
        }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      await res.body?.cancel();
      if (res.ok) {
        await db.kysely
          .updateTable('work_order_operations')
          .set({ external_ack_at: nowIso(), dispatch_error: null })
          .where('id', '=', operationId)
          .execute();
        return { status: 'done' };
      }
      error = `endpoint answered ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (job.attempts < job.max_attempts) {
      return { status: 'retry', error, delayMs: options.retryBaseMs * 2 ** (job.attempts - 1) };
    }
    await markDispatchFailed(db, operationId, dispatchNo, error, job.attempts);
    return { status: 'failed', error };
  };
}

async function markDispatchFailed(
  db: Db,
  operationId: string,
  dispatchNo: number,
  error: string,
  attempts: number,
) {
  const ctx = systemCtx();
  await db.transaction(async (tx) => {
    const op = await lockOperation(tx, db, operationId);
    if (op.dispatch_no !== dispatchNo || op.status !== 'dispatched') return;
    const r = applyOperationAction(toDomainOp(op), {
      ...domainCommand(ctx, `external dispatch failed: ${error}`),
      action: 'dispatch_fail',
    });
    if (!r.ok) return;
    await saveOperation(tx, ctx, op, r.value.state, 'dispatch_fail', r.value.record.reason, {
      dispatch_error: error.slice(0, 500),
    });
    await raiseAlert(tx, ctx, {
      severity: 'critical',
      kind: 'dispatch_failed',
      title: `Dispatch of ${op.wo_code} op ${op.seq} failed after ${attempts} attempts`,
      detail: error,
      entityType: 'operation',
      entityId: operationId,
      dedupeKey: `dispatch_failed:${operationId}:${dispatchNo}`,
    });
  });
}
