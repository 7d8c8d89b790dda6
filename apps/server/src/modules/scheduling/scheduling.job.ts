import type { ScheduleConflict, ScheduleKpis } from '@takt/contracts';
import type { Problem, Schedule } from '@takt/scheduler';
import { solveInWorker } from '@takt/scheduler/worker';
import type { Db } from '../../platform/db/database.ts';
import type { ScheduleAssignmentsTable } from '../../platform/db/schema-scheduling.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { nowIso } from '../../platform/ids.ts';
import type { JobResult } from '../../platform/jobs/worker.ts';
import { buildProblem, toIso } from './scheduling.problem.ts';
import * as repo from './scheduling.repo.ts';

/**
 * Executes a queued solve run: build the problem from the plant, solve it in the engine's worker
 * thread, store KPIs, conflicts and one assignment per operation. Idempotent: a finished run is
 * skipped; a run left running by a dead worker is computed again (its rows replaced).
 */
export const SOLVE_JOB = 'scheduling.run';
export const DEFAULT_TIME_LIMIT_MS = 4000;

const round1 = (x: number) => Math.round(x * 10) / 10;

export function kpisOf(schedule: Schedule): ScheduleKpis {
  const k = schedule.kpis;
  const byMachine = Object.fromEntries(Object.entries(k.utilization).map(([m, u]) => [m, round1(u * 100)]));
  const values = Object.values(byMachine);
  return {
    onTimePercent: round1(k.onTimePercent),
    weightedTardiness: round1(k.totalWeightedTardiness),
    makespanMinutes: k.makespan,
    utilisationPercent: values.length > 0 ? round1(values.reduce((s, x) => s + x, 0) / values.length) : 0,
    utilisationByMachine: byMachine,
    setups: k.setups,
    setupMinutes: k.setupMinutes,
    scheduledOperations: k.scheduledOperations,
    unscheduledOperations: k.unscheduledOperations,
  };
}

export function conflictsOf(schedule: Schedule): ScheduleConflict[] {
  return schedule.conflicts.map((c) => ({
    code: c.code,
    operationId: c.op,
    message: c.message,
    related: [...(c.related ?? [])],
  }));
}

export function assignmentRows(
  runId: string,
  problem: Problem,
  schedule: Schedule,
  originMs: number,
): ScheduleAssignmentsTable[] {
  const locks = new Map(problem.operations.map((o) => [o.id, o.lock?.kind ?? null]));
  return schedule.assignments.map((a) => ({
    run_id: runId,
    operation_id: a.op,
    machine_id: a.machine,
    start_at: toIso(originMs, a.start),
    end_at: toIso(originMs, a.end),
    setup_minutes: a.setupMinutes,
    locked: locks.get(a.op) ?? null,
  }));
}

/** Stores a finished run (problem, schedule, KPIs, assignments) and emits `schedule.completed`. */
export async function storeResult(
  db: Db,
  runId: string,
  built: { problem: Problem; originMs: number },
  schedule: Schedule,
  extra: { moved?: readonly string[]; elapsedMs: number; note?: string | null },
): Promise<boolean> {
  const kpis = kpisOf(schedule);
  return db.transaction(async (tx) => {
    const run = await repo.findRun(tx, runId);
    if (!run || run.status === 'done' || run.status === 'failed') return false;
    await repo.replaceAssignments(tx, runId, assignmentRows(runId, built.problem, schedule, built.originMs));
    await repo.updateRun(tx, runId, {
      status: 'done',
      progress: 100,
      kpis: JSON.stringify(kpis),
      conflicts: JSON.stringify(conflictsOf(schedule)),
      moved: JSON.stringify(extra.moved ?? []),
      problem: JSON.stringify(built.problem),
      schedule: JSON.stringify(schedule),
      note: extra.note ?? null,
      elapsed_ms: Math.round(extra.elapsedMs),
      finished_at: nowIso(),
    });
    await appendEvent(tx, null, {
      type: 'schedule.completed',
      aggregateType: 'schedule_run',
      aggregateId: runId,
      data: { id: runId, kind: run.kind, status: 'done', kpis },
    });
    return true;
  });
}

export async function failRun(db: Db, runId: string, message: string): Promise<void> {
  await db.transaction(async (tx) => {
    const run = await repo.findRun(tx, runId);
    if (!run || run.status === 'done' || run.status === 'failed') return;
    await repo.updateRun(tx, runId, {
      status: 'failed',
      progress: 100,
      error: message.slice(0, 2000),
      finished_at: nowIso(),
    });
    await appendEvent(tx, null, {
      type: 'schedule.completed',
      aggregateType: 'schedule_run',
      aggregateId: runId,
      data: { id: runId, kind: run.kind, status: 'failed', error: message.slice(0, 500) },
    });
  });
}

export async function markRunning(db: Db, runId: string, progress: number): Promise<void> {
  await db.transaction(async (tx) => {
    const run = await repo.findRun(tx, runId);
    await repo.updateRun(tx, runId, { status: 'running', progress, started_at: run?.started_at ?? nowIso() });
    await appendEvent(tx, null, {
      type: 'schedule.progress',
      aggregateType: 'schedule_run',
      aggregateId: runId,
      data: { id: runId, progress },
    });
  });
}

export async function executeSolveRun(db: Db, runId: string): Promise<JobResult> {
  const run = await repo.findRun(db.kysely, runId);
  if (!run) return { status: 'skipped', reason: `scheduling run ${runId} does not exist` };
  if (run.status === 'done' || run.status === 'failed')
    return { status: 'skipped', reason: `scheduling run ${runId} is already ${run.status}` };
  try {
    await markRunning(db, runId, 10);
    const t = performance.now();
    const built = await buildProblem(db, Date.parse(run.origin));
    await markRunning(db, runId, 30);
    const schedule = await solveInWorker(built.problem, {
      seed: run.seed,
      ...(run.max_iterations !== null
        ? { maxIterations: run.max_iterations }
        : { timeLimitMs: run.time_limit_ms ?? DEFAULT_TIME_LIMIT_MS }),
    });
    const stored = await storeResult(db, runId, built, schedule, { elapsedMs: performance.now() - t });
    return stored ? { status: 'done' } : { status: 'skipped', reason: 'the run was finished meanwhile' };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await failRun(db, runId, message);
    return { status: 'failed', error: message };
  }
}
