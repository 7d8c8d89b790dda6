import type {
  ScheduleAssignment,
  ScheduleAssignmentQuery,
  ScheduleMoveCheck,
  ScheduleMoveResult,
  ScheduleRun,
  ScheduleRunCreate,
  ScheduleRunDetail,
} from '@takt/contracts';
import { checkMove, type Problem, type Schedule } from '@takt/scheduler';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { DEFAULT_TIME_LIMIT_MS, SOLVE_JOB } from './scheduling.job.ts';
import { toIso, toMinute } from './scheduling.problem.ts';
import * as repo from './scheduling.repo.ts';

/** Scheduling runs on request (queued as a job), their results, what-if comparison and move checks. */
export function minuteOrigin(at?: string): number {
  const ms = at === undefined ? Date.now() : Date.parse(at);
  if (Number.isNaN(ms)) throw invalidField('/at', 'is not a date-time');
  return Math.floor(ms / 60_000) * 60_000;
}

export async function requestRun(db: Db, ctx: Ctx, input: ScheduleRunCreate): Promise<ScheduleRun> {
  const row = repo.newRunRow({
    id: newId(),
    kind: 'solve',
    trigger: 'manual',
    origin: new Date(minuteOrigin(input.at)).toISOString(),
    seed: input.seed ?? 1,
    time_limit_ms:
      input.maxIterations !== undefined
        ? null
        : Math.round((input.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_MS / 1000) * 1000),
    max_iterations: input.maxIterations ?? null,
    requested_by: ctx.actor.id ?? ctx.actor.login,
  });
  return db.transaction(async (tx) => {
    await repo.insertRun(tx, row);
    await enqueue(tx, {
      name: SOLVE_JOB,
      payload: { runId: row.id },
      uniqueKey: `${SOLVE_JOB}:${row.id}`,
      maxAttempts: 2,
    });
    const { problem: _p, schedule: _s, ...after } = row;
    await recordAudit(tx, ctx, {
      entityType: 'schedule_run',
      entityId: row.id,
      action: 'create',
      before: null,
      after,
    });
    await appendEvent(tx, ctx, {
      type: 'schedule.queued',
      aggregateType: 'schedule_run',
      aggregateId: row.id,
      data: { id: row.id, origin: row.origin, seed: row.seed },
    });
    return repo.toRun(row);
  });
}

export async function listRuns(db: Db, query: { limit?: number; cursor?: string }) {
  return repo.listRuns(db.kysely, query);
}

async function runRow(db: Db, id: string) {
  const row = await repo.findRun(db.kysely, id);
  if (!row) throw notFound('Scheduling run', id);
  return row;
}

/** The run with a what-if comparison against the plan published now. */
export async function getRunDetail(db: Db, id: string): Promise<ScheduleRunDetail> {
  const row = await runRow(db, id);
  const run = repo.toRun(row);
  const published = await repo.publishedRun(db.kysely);
  let changed = 0;
  let added = 0;
  if (published && row.status === 'done') {
    const before = new Map(
      (await repo.assignmentsOf(db.kysely, published.id)).map((a) => [a.operation_id, a]),
    );
    for (const a of await repo.assignmentsOf(db.kysely, id)) {
      const b = before.get(a.operation_id);
      if (!b) added++;
      else if (b.machine_id !== a.machine_id || b.start_at !== a.start_at) changed++;
    }
  }
  return {
    run,
    comparison: {
      publishedRunId: published?.id ?? null,
      before: published ? repo.toRun(published).kpis : null,
      after: run.kpis,
      changedOperations: changed,
      newOperations: added,
    },
  };
}

export async function assignments(
  db: Db,
  id: string,
  query: ScheduleAssignmentQuery,
): Promise<{ items: ScheduleAssignment[] }> {
  await runRow(db, id);
  const iso = (field: string, v?: string) => {
    if (v === undefined) return undefined;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw invalidField(`/querystring/${field}`, 'is not a date-time');
    return new Date(t).toISOString();
  };
  const rows = await repo.assignmentsOf(db.kysely, id, {
    ...(query.machineId ? { machineId: query.machineId } : {}),
    ...(query.from ? { from: iso('from', query.from)! } : {}),
    ...(query.to ? { to: iso('to', query.to)! } : {}),
  });
  return {
    items: rows.map((r) => ({
      operationId: r.operation_id,
      workOrderId: r.work_order_id,
      workOrderCode: r.wo_code,
      seq: r.seq,
      name: r.name,
      machineId: r.machine_id,
      start: r.start_at,
      end: r.end_at,
      setupMinutes: r.setup_minutes,
      locked: r.locked,
      dueDate: r.due_date,
      priority: r.priority,
    })),
  };
}

/** A finished run's problem and schedule as the engine saw them. */
export async function runPlan(db: Db, id: string) {
  const row = await runRow(db, id);
  if (row.status !== 'done' || !row.problem || !row.schedule) {
    throw new AppError('INVALID_STATE', `Scheduling run ${id} is ${row.status}, not done`);
  }
  return {
    row,
    originMs: Date.parse(row.origin),
    problem: JSON.parse(row.problem) as Problem,
    schedule: JSON.parse(row.schedule) as Schedule,
  };
}

/**
 * Parsed plans of the runs the board is checking moves against. A finished run never changes, so
 * a drag does not read and parse megabytes of JSON for every position.
 */
const PLAN_CACHE_SIZE = 4;
const planCache = new Map<string, { originMs: number; problem: Problem; schedule: Schedule }>();

async function cachedPlan(db: Db, id: string) {
  const hit = planCache.get(id);
  if (hit) {
    planCache.delete(id);
    planCache.set(id, hit);
    return hit;
  }
  const { originMs, problem, schedule } = await runPlan(db, id);
  const plan = { originMs, problem, schedule };
  planCache.set(id, plan);
  for (const key of planCache.keys()) {
    if (planCache.size <= PLAN_CACHE_SIZE) break;
    planCache.delete(key);
  }
  return plan;
}

/** Checks one manual move against a run's plan without re-solving. */
export async function checkManualMove(db: Db, input: ScheduleMoveCheck): Promise<ScheduleMoveResult> {
  const { originMs, problem, schedule } = await cachedPlan(db, input.runId);
  const at = Date.parse(input.start);
  if (Number.isNaN(at)) throw invalidField('/start', 'is not a date-time');
  if (!problem.operations.some((o) => o.id === input.operationId)) {
    throw invalidField('/operationId', 'is not an operation of this run');
  }
  const start = toMinute(originMs, new Date(at).toISOString());
  const r = checkMove(problem, schedule, { op: input.operationId, machine: input.machineId, start });
  return {
    ok: r.conflicts.length === 0,
    end: toIso(originMs, r.end),
    setupMinutes: r.setupMinutes,
    conflicts: r.conflicts.map((c) => ({
      code: c.code,
      message: c.message,
      related: [...(c.related ?? [])],
    })),
  };
}
