import { runMrp } from '@takt/domain';
import { systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { ensureSchedule } from '../../platform/jobs/schedules.ts';
import type { JobResult, JobWorker } from '../../platform/jobs/worker.ts';
import { readSettings } from '../purchasing/purchasing.settings.ts';
import { gatherInput } from './mrp.gather.ts';
import * as repo from './mrp.repo.ts';
import { planRows } from './mrp.rules.ts';
import { MRP_JOB, requestRun } from './mrp.service.ts';

/**
 * Executes a queued MRP run: gather → net (the pure domain runMrp) → store, reporting progress as
 * `mrp.progress` events and ending with `mrp.completed`. Idempotent: a finished run is skipped, and
 * a run left half-done by a dead worker is computed again from scratch (its partial rows removed in
 * the storing transaction), so executing the job twice stores one plan.
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

export async function executeRun(db: Db, runId: string, timings?: RunTimings): Promise<JobResult> {
  const run = await repo.findRun(db.kysely, runId);
  if (!run) return { status: 'skipped', reason: `MRP run ${runId} does not exist` };
  if (run.status === 'done' || run.status === 'failed')
    return { status: 'skipped', reason: `MRP run ${runId} is already ${run.status}` };
  try {
    await progress(db, runId, 5, 'gather', { status: 'running', started_at: run.started_at ?? nowIso() });
    let t = performance.now();
    const input = await gatherInput(db, run.plan_start);
    const offers = (await repo.supplierOffers(db.kysely)).map((o) => ({ ...o, price: Number(o.price) }));
    if (timings) timings.gatherMs = performance.now() - t;
    await progress(db, runId, 30, 'net');
    t = performance.now();
    const result = runMrp(input);
    if (timings) timings.netMs = performance.now() - t;
    const counts = {
      items: input.items.length,
      bomLines: input.bom.length,
      demands: input.demands.length,
      receipts: input.receipts.length,
    };
    if (!result.ok) {
      await finish(db, runId, 'failed', counts, `${result.code}: ${result.message}`);
      return { status: 'done' };
    }
    await progress(db, runId, 60, 'store');
    t = performance.now();
    const kinds = new Map(input.receipts.map((r) => [r.id as string, r.kind as string]));
    const rows = planRows(runId, run.plan_start, result.value, offers, newId, kinds);
    const stored = await db.transaction(async (tx) => {
      const current = await repo.findRun(tx, runId, db.dialect === 'postgres');
      if (current?.status !== 'running') return false;
      await repo.clearResults(tx, runId);
      await repo.storeResults(tx, rows.planned, rows.shortages, rows.actions);
      await repo.updateRun(tx, runId, {
        status: 'done',
        active_slot: null,
        progress: 100,
        counts: JSON.stringify({ ...counts, ...rows.summary }),
        finished_at: nowIso(),
      });
      await appendEvent(tx, null, {
        type: 'mrp.completed',
        aggregateType: 'mrp_run',
        aggregateId: runId,
        data: { id: runId, status: 'done', summary: { ...counts, ...rows.summary }, error: null },
      });
      return true;
    });
    if (timings) timings.storeMs = performance.now() - t;
    return stored ? { status: 'done' } : { status: 'skipped', reason: 'the run was finished meanwhile' };
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
