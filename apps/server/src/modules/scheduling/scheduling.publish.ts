import type {
  SchedulePin,
  SchedulePinCreate,
  SchedulePublishResult,
  ScheduleSettings,
  ScheduleSettingsUpdate,
} from '@takt/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SchedulePinsTable } from '../../platform/db/schema-scheduling.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { nowIso } from '../../platform/ids.ts';
import { dispatchOperation } from '../shopfloor/operation.service.ts';
import { OPEN_OPERATION_STATUSES } from './scheduling.data.ts';
import * as repo from './scheduling.repo.ts';

/**
 * Publishing a run writes its machines and times to the operations in one transaction, then
 * dispatches the operations that start within the next hours so the dispatch lists follow the plan.
 * Operations already dispatched, running or done keep their machine; only their planned times change.
 */
const UNDISPATCHED = ['pending', 'ready'];

export async function publishRun(
  db: Db,
  ctx: Ctx,
  runId: string,
  input: { dispatchWithinHours?: number } = {},
): Promise<SchedulePublishResult> {
  const settings = await repo.readSettings(db.kysely);
  const hours = input.dispatchWithinHours ?? settings.dispatch_within_hours;
  const publishedAt = nowIso();
  const { rows, updated } = await db.transaction(async (tx) => {
    const run = await repo.findRun(tx, runId);
    if (!run) throw notFound('Scheduling run', runId);
    if (run.status !== 'done')
      throw new AppError('INVALID_STATE', `Scheduling run ${runId} is ${run.status}, not done`);
    const rows = await repo.assignmentsOf(tx, runId);
    let updated = 0;
    for (const a of rows) {
      if (!OPEN_OPERATION_STATUSES.includes(a.status)) continue;
      const res = await tx
        .updateTable('work_order_operations')
        .set({
          planned_start: a.start_at,
          planned_end: a.end_at,
          ...(UNDISPATCHED.includes(a.status) ? { machine_id: a.machine_id } : {}),
          version: sql<number>`version + 1`,
          updated_at: publishedAt,
        })
        .where('id', '=', a.operation_id)
        .where('status', '=', a.status)
        .executeTakeFirst();
      updated += Number(res.numUpdatedRows ?? 0);
    }
    const by = ctx.actor.id ?? ctx.actor.login;
    await repo.updateRun(tx, runId, { published_at: publishedAt, published_by: by });
    await recordAudit(tx, ctx, {
      entityType: 'schedule_run',
      entityId: runId,
      action: 'publish',
      before: { published_at: run.published_at },
      after: { published_at: publishedAt, published_by: by, operations: updated },
    });
    await appendEvent(tx, ctx, {
      type: 'schedule.published',
      aggregateType: 'schedule_run',
      aggregateId: runId,
      data: { id: runId, kind: run.kind, operations: updated, publishedAt },
    });
    return { rows, updated };
  });
  // 0 hours: nothing goes to the machines on publishing, not even what the plan starts this minute.
  const until = new Date(Date.now() + hours * 3_600_000).toISOString();
  const dispatched: string[] = [];
  const dispatchErrors: { operationId: string; message: string }[] = [];
  for (const a of rows) {
    if (hours === 0 || !UNDISPATCHED.includes(a.status) || a.start_at >= until) continue;
    try {
      await dispatchOperation(db, ctx, a.operation_id, a.machine_id, null);
      dispatched.push(a.operation_id);
    } catch (err) {
      dispatchErrors.push({
        operationId: a.operation_id,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return { runId, publishedAt, updatedOperations: updated, dispatched, dispatchErrors };
}

const toPin = (r: SchedulePinsTable): SchedulePin => ({
  operationId: r.operation_id,
  machineId: r.machine_id,
  start: r.start_at,
  pinnedBy: r.pinned_by,
  createdAt: r.created_at,
});

export async function listPins(db: Db): Promise<{ items: SchedulePin[] }> {
  const rows = await db.kysely.selectFrom('schedule_pins').selectAll().orderBy('start_at').execute();
  return { items: rows.map(toPin) };
}

/** Pins an operation at a machine and start: later runs place it there and never move it. */
export async function pin(db: Db, ctx: Ctx, input: SchedulePinCreate): Promise<SchedulePin> {
  const at = Date.parse(input.start);
  if (Number.isNaN(at)) throw invalidField('/start', 'is not a date-time');
  return db.transaction(async (tx) => {
    const op = await tx
      .selectFrom('work_order_operations')
      .select(['id', 'status'])
      .where('id', '=', input.operationId)
      .executeTakeFirst();
    if (!op) throw notFound('Operation', input.operationId);
    if (!OPEN_OPERATION_STATUSES.includes(op.status)) {
      throw new AppError('INVALID_STATE', `Operation ${input.operationId} is ${op.status}`);
    }
    const machine = await tx
      .selectFrom('machines')
      .select('id')
      .where('id', '=', input.machineId)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (!machine) throw invalidField('/machineId', 'is not an active machine');
    const before = await tx
      .selectFrom('schedule_pins')
      .selectAll()
      .where('operation_id', '=', input.operationId)
      .executeTakeFirst();
    const row: SchedulePinsTable = {
      operation_id: input.operationId,
      machine_id: input.machineId,
      start_at: new Date(Math.floor(at / 60_000) * 60_000).toISOString(),
      pinned_by: ctx.actor.id ?? ctx.actor.login,
      created_at: nowIso(),
    };
    await tx.deleteFrom('schedule_pins').where('operation_id', '=', input.operationId).execute();
    await tx.insertInto('schedule_pins').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'schedule_pin',
      entityId: row.operation_id,
      action: 'pin',
      before: before ?? null,
      after: row,
    });
    await appendEvent(tx, ctx, {
      type: 'schedule.pinned',
      aggregateType: 'operation',
      aggregateId: row.operation_id,
      data: toPin(row),
    });
    return toPin(row);
  });
}

export async function unpin(db: Db, ctx: Ctx, operationId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await tx
      .selectFrom('schedule_pins')
      .selectAll()
      .where('operation_id', '=', operationId)
      .executeTakeFirst();
    if (!before) throw notFound('Pin of operation', operationId);
    await tx.deleteFrom('schedule_pins').where('operation_id', '=', operationId).execute();
    await recordAudit(tx, ctx, {
      entityType: 'schedule_pin',
      entityId: operationId,
      action: 'unpin',
      before,
      after: null,
    });
    await appendEvent(tx, ctx, {
      type: 'schedule.unpinned',
      aggregateType: 'operation',
      aggregateId: operationId,
      data: { operationId },
    });
  });
}

export async function getSettings(db: Db): Promise<ScheduleSettings> {
  return repo.toSettings(await repo.readSettings(db.kysely));
}

export async function updateSettings(
  db: Db,
  ctx: Ctx,
  input: ScheduleSettingsUpdate,
): Promise<ScheduleSettings> {
  return db.transaction(async (tx) => {
    const before = await repo.readSettings(tx);
    const current = Math.max(1, before.version);
    if (input.version !== current) {
      throw new AppError('STALE_VERSION', `Scheduling settings are at version ${current}`, {
        extra: { currentVersion: current },
      });
    }
    const after = {
      id: 1,
      frozen_horizon_minutes: input.frozenHorizonMinutes ?? before.frozen_horizon_minutes,
      dispatch_within_hours: input.dispatchWithinHours ?? before.dispatch_within_hours,
      version: current + 1,
      updated_at: nowIso(),
    };
    await repo.saveSettings(tx, after, before.version > 0);
    await recordAudit(tx, ctx, {
      entityType: 'schedule_settings',
      entityId: '1',
      action: 'update',
      before,
      after,
    });
    return repo.toSettings(after);
  });
}
