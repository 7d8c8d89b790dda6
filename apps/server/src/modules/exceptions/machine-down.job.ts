import { applyOperationAction } from '@takt/domain';
import { raiseAlert } from '../../platform/alerts.ts';
import { domainCommand, systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import type { JobHandler } from '../../platform/jobs/worker.ts';
import { lockOperation, saveOperation, toDomainOp } from '../shopfloor/operation.service.ts';

/**
 * When a machine goes down, work waiting for it is put back in the queue (to be dispatched elsewhere)
 * and running work is paused; the planner is alerted and a re-plan is requested for the affected
 * operations. Idempotent: operations already moved off the machine are left alone.
 */
export function machineDownJob(db: Db): JobHandler {
  return async (payload) => {
    const { machineId, reason } = payload as { machineId: string; reason: string | null };
    const machine = await db.kysely
      .selectFrom('machines')
      .select(['code', 'status'])
      .where('id', '=', machineId)
      .executeTakeFirst();
    if (!machine || machine.status === 'up') return { status: 'skipped', reason: 'the machine is up again' };
    const ctx = systemCtx();
    const ops = await db.kysely
      .selectFrom('work_order_operations')
      .select('id')
      .where('machine_id', '=', machineId)
      .where('status', 'in', ['dispatched', 'dispatch_failed', 'in_progress'])
      .execute();
    const moved: string[] = [];
    for (const { id } of ops) {
      await db.transaction(async (tx) => {
        const op = await lockOperation(tx, db, id);
        const action = op.status === 'in_progress' ? 'pause' : 'requeue';
        const r = applyOperationAction(toDomainOp(op), {
          ...domainCommand(ctx, `machine ${machine.code} down`),
          action,
        });
        if (!r.ok) return;
        await saveOperation(
          tx,
          ctx,
          op,
          r.value.state,
          action,
          r.value.record.reason,
          action === 'requeue' ? { machine_id: null } : {},
        );
        moved.push(`${op.wo_code}/${op.seq}`);
      });
    }
    await db.transaction(async (tx) => {
      await appendEvent(tx, ctx, {
        type: 'schedule.replan_requested',
        aggregateType: 'machine',
        aggregateId: machineId,
        data: { machineId, machineCode: machine.code, reason, operations: moved },
      });
      if (moved.length > 0) {
        await raiseAlert(tx, ctx, {
          severity: 'critical',
          kind: 'machine_down',
          title: `${machine.code} down: ${moved.length} operations need another machine or a new plan`,
          detail: moved.join(', '),
          entityType: 'machine',
          entityId: machineId,
        });
      }
    });
    return { status: 'done' };
  };
}
