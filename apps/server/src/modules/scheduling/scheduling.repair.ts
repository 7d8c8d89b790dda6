import { FOREVER, type Problem, type Schedule } from '@takt/scheduler';
import { repairInWorker } from '@takt/scheduler/worker';
import { raiseAlert } from '../../platform/alerts.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/errors.ts';
import type { OutboxDispatcher } from '../../platform/events/dispatcher.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import type { JobResult, JobWorker } from '../../platform/jobs/worker.ts';
import * as data from './scheduling.data.ts';
import { executeSolveRun, failRun, markRunning, SOLVE_JOB, storeResult } from './scheduling.job.ts';
import { toMinute } from './scheduling.problem.ts';
import { publishRun } from './scheduling.publish.ts';
import * as repo from './scheduling.repo.ts';

/**
 * Re-planning on shop-floor events. A machine going down (or a re-plan request) queues a repair of
 * the published plan: nothing starting before now + the frozen horizon moves, the rest is replayed
 * around the breakdown. The repaired plan is published at once when no operation inside the frozen
 * horizon is affected; otherwise it stays a proposal and the planner gets an alert. Pins are read
 * afresh (pinned since the plan was published, or unpinned meanwhile): a pinned operation keeps its
 * machine and start; one pinned on the broken machine stays there as a conflict and the repair is
 * left as a proposal for the planner. One repair per published plan and machine, however many events
 * report the same breakdown.
 */
export const REPAIR_JOB = 'scheduling.repair';

interface RepairPayload {
  readonly eventId: string;
  readonly machineId: string | null;
  readonly reason: string | null;
}

export async function executeRepair(db: Db, payload: RepairPayload): Promise<JobResult> {
  const base = await repo.publishedRun(db.kysely);
  const key = payload.machineId ? `breakdown:${payload.machineId}` : `event:${payload.eventId}`;
  if (!base?.problem || !base.schedule) return replanFromScratch(db, payload);
  if (base.repair_key === key)
    return { status: 'skipped', reason: 'the published plan already repairs this' };
  const originMs = Date.parse(base.origin);
  const pins = await data.pins(db);
  const problem = withPins(JSON.parse(base.problem) as Problem, pins, originMs);
  const schedule = JSON.parse(base.schedule) as Schedule;
  if (payload.machineId) {
    const machine = await db.kysely
      .selectFrom('machines')
      .select('status')
      .where('id', '=', payload.machineId)
      .executeTakeFirst();
    if (!machine || machine.status === 'up') return { status: 'skipped', reason: 'the machine is up' };
    if (!problem.machines.some((m) => m.id === payload.machineId))
      return { status: 'skipped', reason: 'the machine is not in the published plan' };
  }
  const settings = await repo.readSettings(db.kysely);
  const currentTime = Math.max(0, Math.floor((Date.now() - originMs) / 60_000));
  const runId = newId();
  try {
    await repo.insertRun(
      db.kysely,
      repo.newRunRow({
        id: runId,
        kind: 'repair',
        trigger: 'event',
        origin: base.origin,
        seed: base.seed,
        base_run_id: base.id,
        repair_key: key,
        note: payload.reason,
      }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) return { status: 'skipped', reason: 'this repair exists' };
    throw err;
  }
  try {
    await markRunning(db, runId, 20);
    const t = performance.now();
    const event = payload.machineId
      ? ({ type: 'breakdown', machine: payload.machineId, start: currentTime, end: FOREVER } as const)
      : ({ type: 'shortage', release: 0 } as const);
    const frozenHorizon = settings.frozen_horizon_minutes;
    const result = await repairInWorker(problem, schedule, event, {
      currentTime,
      frozenHorizon,
      seed: base.seed,
    });
    const frozenUntil = currentTime + frozenHorizon;
    const after = new Map(result.schedule.assignments.map((a) => [a.op, a]));
    const affected = schedule.assignments.filter((a) => {
      if (a.start >= frozenUntil) return false;
      const b = after.get(a.op);
      if (!b || b.machine !== a.machine || b.start !== a.start || b.end !== a.end) return true;
      return a.machine === payload.machineId && a.end > currentTime;
    });
    const worse = result.schedule.kpis.unscheduledOperations > schedule.kpis.unscheduledOperations;
    const pinnedHere = new Set(
      pins.filter((p) => p.machine_id === payload.machineId).map((p) => p.operation_id),
    );
    const stuck = [
      ...new Set(
        result.schedule.conflicts
          .filter((c) => c.code === 'PINNED_CONFLICT' && pinnedHere.has(c.op))
          .map((c) => c.op),
      ),
    ];
    const publish = affected.length === 0 && !worse && stuck.length === 0;
    const reasons = [
      ...(affected.length > 0 ? [`${affected.length} operation(s) inside the frozen horizon affected`] : []),
      ...(worse ? ['more unscheduled'] : []),
      ...(stuck.length > 0 ? [`${stuck.length} pinned operation(s) on the broken machine`] : []),
    ];
    const note = publish ? `repaired ${payload.reason ?? ''}`.trim() : `proposal: ${reasons.join(', ')}`;
    await storeResult(db, runId, { problem: result.problem, originMs }, result.schedule, {
      moved: result.moved,
      elapsedMs: performance.now() - t,
      note,
    });
    if (publish) {
      await publishRun(db, systemCtx(), runId);
    } else {
      await db.transaction(async (tx) => {
        await raiseAlert(tx, null, {
          severity: 'warning',
          kind: 'schedule_proposal',
          title: `Re-plan needs a planner: ${reasons.join(', ')}`,
          detail: [...new Set([...affected.map((a) => a.op), ...stuck])].join(', '),
          entityType: 'schedule_run',
          entityId: runId,
          dedupeKey: `schedule_proposal:${runId}`,
        });
      });
    }
    return { status: 'done' };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await failRun(db, runId, message);
    return { status: 'failed', error: message };
  }
}

/**
 * The published problem with today's pins: operations unpinned since lose their pin, operations
 * pinned since get one. Started operations keep their frozen lock.
 */
export function withPins(
  problem: Problem,
  pins: readonly { operation_id: string; machine_id: string; start_at: string }[],
  originMs: number,
): Problem {
  const byOp = new Map(pins.map((p) => [p.operation_id, p]));
  return {
    ...problem,
    operations: problem.operations.map((o) => {
      if (o.lock?.kind === 'frozen') return o;
      const pin = byOp.get(o.id);
      if (pin) {
        return {
          ...o,
          lock: {
            kind: 'pinned',
            machine: pin.machine_id,
            start: Math.max(0, toMinute(originMs, pin.start_at)),
          },
        };
      }
      if (!o.lock) return o;
      const { lock: _unpinned, ...rest } = o;
      return rest;
    }),
  };
}

/** Without a published plan there is nothing to repair: a full run is made and left as a proposal. */
async function replanFromScratch(db: Db, payload: RepairPayload): Promise<JobResult> {
  const runId = newId();
  await repo.insertRun(
    db.kysely,
    repo.newRunRow({
      id: runId,
      kind: 'solve',
      trigger: 'event',
      origin: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
      seed: 1,
      time_limit_ms: 2000,
      note: payload.reason,
    }),
  );
  return executeSolveRun(db, runId);
}

export function registerSchedulingJobs(worker: JobWorker, dispatcher: OutboxDispatcher, db: Db): void {
  worker.register(SOLVE_JOB, async (payload) => executeSolveRun(db, (payload as { runId: string }).runId));
  worker.register(REPAIR_JOB, async (payload) => executeRepair(db, payload as RepairPayload));
  const request = async (eventId: string, machineId: string | null, reason: string | null) => {
    await enqueue(db.kysely, {
      name: REPAIR_JOB,
      payload: { eventId, machineId, reason } satisfies RepairPayload,
      uniqueKey: `${REPAIR_JOB}:${eventId}`,
      maxAttempts: 3,
    });
  };
  dispatcher.subscribe('scheduling-replan', 'schedule.replan_requested', async (event) => {
    const data = event.data as { machineId?: string; reason?: string | null };
    await request(event.id, data.machineId ?? null, data.reason ?? null);
  });
  dispatcher.subscribe('scheduling-machine-down', 'machine.status_changed', async (event) => {
    const data = event.data as { machineId: string; to: string; reason: string | null };
    if (data.to === 'down') await request(event.id, data.machineId, data.reason);
  });
}
