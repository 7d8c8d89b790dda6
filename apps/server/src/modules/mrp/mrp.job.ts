import { Worker } from 'node:worker_threads';
import { systemCtx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { nowIso } from '../../platform/ids.ts';
import { ensureSchedule } from '../../platform/jobs/schedules.ts';
import type { JobResult, JobWorker } from '../../platform/jobs/worker.ts';
import { readSettings } from '../purchasing/purchasing.settings.ts';
import { gatherPlan } from './mrp.gather.ts';
import * as repo from './mrp.repo.ts';
import { MRP_JOB, requestRun } from './mrp.service.ts';
import type { PlanCounts, PlanJob, PlanMessage } from './mrp.worker.ts';

/**
 * Executes a queued MRP run: gather → net (the pure domain runMrp, on a worker thread) → store in
 * short transactions, reporting progress as `mrp.progress` events and ending with `mrp.completed`.
 * No step holds the database or the server's thread for the whole plan. Idempotent: a finished run
 * is skipped, and a run left half-done by a dead worker is computed again from scratch (its partial
 * rows removed before the new ones go in), so executing the job twice stores one plan.
 */
export interface RunTimings {
  gatherMs: number;
  netMs: number;
  storeMs: number;
}

async function progress(db: Db, runId: string, pct: number, phase: string, extra: object = {}) {
  await db.transaction(async (tx) => {
    await repo.advanceRun(tx, runId, { progress: pct, ...extra });
    await appendEvent(tx, null, {
      type: 'mrp.progress',
      aggregateType: 'mrp_run',
      aggregateId: runId,
      data: { id: runId, progress: pct, phase },
    });
  });
}

async function finish(
  db: Db,
  runId: string,
  status: 'done' | 'failed',
  counts: object,
  error: string | null,
) {
  return db.transaction(async (tx) => {
    const run = await repo.findRun(tx, runId, db.dialect === 'postgres');
    if (!run || run.status === 'done' || run.status === 'failed') return false;
    await repo.updateRun(tx, runId, {
      status,
      active_slot: null,
      progress: 100,
      counts: JSON.stringify(counts),
      error,
      finished_at: nowIso(),
    });
    await appendEvent(tx, null, {
      type: 'mrp.completed',
      aggregateType: 'mrp_run',
      aggregateId: runId,
      data: { id: runId, status, summary: counts, error },
    });
    return true;
  });
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

type Planned = Extract<PlanMessage, { kind: 'planned' }>;
type Slice = Extract<PlanMessage, { kind: 'rows' }>;

/** A run being planned on a worker thread (see mrp.worker.ts), so the server keeps answering meanwhile. */
interface Planning {
  readonly planned: Promise<Planned>;
  /** The next slice of result rows, null after the last. */
  next(): Promise<Slice | null>;
  stop(): void;
}

function planOffThread(job: PlanJob, onGathered: (counts: PlanCounts, ms: number) => void): Planning {
  const worker = new Worker(new URL('./mrp.worker.ts', import.meta.url), { workerData: job });
  let failure: Error | null = null;
  let settlePlanned: { resolve: (m: Planned) => void; reject: (e: Error) => void } | null = null;
  let waiting: { resolve: (s: Slice | null) => void; reject: (e: Error) => void } | null = null;
  const planned = new Promise<Planned>((resolve, reject) => {
    settlePlanned = { resolve, reject };
  });
  const fail = (err: Error) => {
    failure ??= err;
    settlePlanned?.reject(failure);
    waiting?.reject(failure);
    waiting = null;
  };
  worker.on('message', (m: PlanMessage) => {
    if (m.kind === 'gathered') onGathered(m.counts, m.ms);
    else if (m.kind === 'planned') {
      settlePlanned?.resolve(m);
      settlePlanned = null;
    } else {
      waiting?.resolve(m.kind === 'rows' ? m : null);
      waiting = null;
    }
  });
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`The MRP planning worker stopped (exit code ${code})`)));
  return {
    planned,
    next: () =>
      new Promise<Slice | null>((resolve, reject) => {
        if (failure) return reject(failure);
        waiting = { resolve, reject };
        worker.postMessage('next');
      }),
    stop: () => void worker.terminate(),
  };
}

/** A short transaction that goes ahead only while the run is still running. */
async function whileRunning(db: Db, runId: string, fn: (tx: Tx) => Promise<void>): Promise<boolean> {
  return db.transaction(async (tx) => {
    const current = await repo.findRun(tx, runId, db.dialect === 'postgres');
    if (current?.status !== 'running') return false;
    await fn(tx);
    return true;
  });
}

/**
 * Stores the rows slice by slice, each in its own short transaction, after removing what an
 * interrupted execution left; then marks the run done in one short transaction that first checks
 * every row is there exactly once (two executions storing the same run at once would leave more).
 * Readers list a run's results once it is done.
 */
async function storePlan(
  db: Db,
  runId: string,
  planning: Planning,
  planned: Extract<Planned, { ok: true }>,
  counts: object,
): Promise<boolean> {
  for (const table of repo.RESULT_TABLES) {
    for (let cleared = -1; cleared !== 0; ) {
      let n = 0;
      const running = await whileRunning(db, runId, async (tx) => {
        n = await repo.clearResultsChunk(tx, table, runId, repo.ROWS_PER_SLICE[db.dialect] * 4);
      });
      if (!running) return false;
      cleared = n;
      await yieldToRequests();
    }
  }
  for (let slice = await planning.next(); slice; slice = await planning.next()) {
    const { table, rows } = slice;
    if (!(await whileRunning(db, runId, (tx) => repo.insertResults(tx, table, rows as never)))) return false;
    await yieldToRequests();
  }
  const summary = { ...counts, ...planned.summary };
  return whileRunning(db, runId, async (tx) => {
    for (const table of repo.RESULT_TABLES) {
      const stored = await repo.countResults(tx, table, runId);
      if (stored !== planned.sizes[table])
        throw new Error(
          `MRP run ${runId} has ${stored} rows in ${table} instead of ${planned.sizes[table]}: ` +
            'it was stored by two executions at once; run MRP again',
        );
    }
    await repo.updateRun(tx, runId, {
      status: 'done',
      active_slot: null,
      progress: 100,
      counts: JSON.stringify(summary),
      finished_at: nowIso(),
    });
    await appendEvent(tx, null, {
      type: 'mrp.completed',
      aggregateType: 'mrp_run',
      aggregateId: runId,
      data: { id: runId, status: 'done', summary, error: null },
    });
  });
}

export async function executeRun(db: Db, runId: string, timings?: RunTimings): Promise<JobResult> {
  const run = await repo.findRun(db.kysely, runId);
  if (!run) return { status: 'skipped', reason: `MRP run ${runId} does not exist` };
  if (run.status === 'done' || run.status === 'failed')
    return { status: 'skipped', reason: `MRP run ${runId} is already ${run.status}` };
  try {
    await progress(db, runId, 5, 'gather', { status: 'running', started_at: run.started_at ?? nowIso() });
    const t = performance.now();
    // SQLite is read by the worker through its own connection; PostgreSQL answers asynchronously.
    const sqliteFile = db.sqliteFile;
    const gathered = sqliteFile ? null : await gatherPlan(db, run.plan_start);
    const mainGatherMs = performance.now() - t;
    let counts: PlanCounts = { items: 0, bomLines: 0, demands: 0, receipts: 0 };
    let netting: Promise<void> = Promise.resolve();
    const planning = planOffThread(
      {
        runId,
        start: run.plan_start,
        sqliteFile,
        gathered,
        rowsPerSlice: repo.ROWS_PER_SLICE[db.dialect],
      },
      (c, ms) => {
        counts = c;
        if (timings) timings.gatherMs = mainGatherMs + ms;
        netting = progress(db, runId, 30, 'net');
        // Awaited below; a worker failing first must not leave it unobserved.
        netting.catch(() => undefined);
      },
    );
    try {
      const planned = await planning.planned;
      await netting;
      if (timings) timings.netMs = planned.ms;
      if (!planned.ok) {
        await finish(db, runId, 'failed', counts, planned.error);
        return { status: 'done' };
      }
      await progress(db, runId, 60, 'store');
      const s = performance.now();
      const stored = await storePlan(db, runId, planning, planned, counts);
      if (timings) timings.storeMs = performance.now() - s;
      return stored ? { status: 'done' } : { status: 'skipped', reason: 'the run was finished meanwhile' };
    } finally {
      planning.stop();
    }
  } catch (err) {
    // A failed run frees the slot so planners can start another; the error is on the run.
    const message = err instanceof Error ? err.message : String(err);
    await finish(db, runId, 'failed', {}, message.slice(0, 2000));
    return { status: 'failed', error: message };
  }
}

export function registerMrpJobs(worker: JobWorker, db: Db): void {
  worker.register(MRP_JOB, async (payload) => executeRun(db, (payload as { runId: string }).runId));
  worker.register('mrp.scheduled', async () => {
    await requestRun(db, systemCtx(), {}, 'schedule');
    return { status: 'done' };
  });
}

/** Nightly run at 02:00 in the plant time zone (purchasing settings). */
export async function ensureMrpSchedule(db: Db): Promise<void> {
  const { plantTimeZone } = await readSettings(db.kysely);
  await ensureSchedule(db, {
    name: 'mrp-nightly',
    cron: '0 2 * * *',
    jobName: 'mrp.scheduled',
    tz: plantTimeZone,
  });
}
