import type { ReconciliationRun } from '@takt/contracts';
import { raiseAlert } from '../../platform/alerts.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ReconciliationRunsTable } from '../../platform/db/schema-hub.ts';
import { notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import type { JobHandler } from '../../platform/jobs/worker.ts';
import type { CheckOptions } from './recon.checks.ts';
import { findDiscrepancies } from './recon.findings.ts';

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { pendingTooLongMs: 3600_000, reportDays: 7 };

export function toRun(r: ReconciliationRunsTable): ReconciliationRun {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    findings: Number(r.findings),
    byCheck: JSON.parse(r.by_check) as Record<string, number>,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

async function createRun(db: Db, id: string, trigger: string): Promise<ReconciliationRunsTable> {
  const row: ReconciliationRunsTable = {
    id,
    trigger,
    status: 'queued',
    findings: 0,
    by_check: '{}',
    started_at: nowIso(),
    finished_at: null,
  };
  await db.kysely
    .insertInto('reconciliation_runs')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return row;
}

/** Queues a run on demand; the worker runs it like the nightly one. */
export async function requestRun(db: Db): Promise<ReconciliationRun> {
  return db.transaction(async (tx) => {
    const row: ReconciliationRunsTable = {
      id: newId(),
      trigger: 'manual',
      status: 'queued',
      findings: 0,
      by_check: '{}',
      started_at: nowIso(),
      finished_at: null,
    };
    await tx.insertInto('reconciliation_runs').values(row).execute();
    await enqueue(tx, {
      name: 'reconcile.run',
      payload: { runId: row.id },
      uniqueKey: `reconcile:${row.id}`,
      maxAttempts: 3,
    });
    return toRun(row);
  });
}

/**
 * Runs every check and stores the findings with the run in one transaction (a run retried after a
 * crash starts over). A run with findings raises one alert, keyed by the run.
 */
export async function executeRun(
  db: Db,
  runId: string,
  options: CheckOptions = DEFAULT_CHECK_OPTIONS,
): Promise<ReconciliationRun> {
  const run = await db.kysely
    .selectFrom('reconciliation_runs')
    .selectAll()
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run) throw notFound('Reconciliation run', runId);
  if (run.status === 'done') return toRun(run);
  await db.kysely
    .updateTable('reconciliation_runs')
    .set({ status: 'running' })
    .where('id', '=', runId)
    .execute();
  // Off the server's thread on an SQLite file (recon.findings.ts): the ledger sums take seconds.
  const answer = await findDiscrepancies(db, options);
  const { byCheck } = answer;
  if (!answer.ok) {
    await db.kysely
      .updateTable('reconciliation_runs')
      .set({ status: 'failed', finished_at: nowIso(), by_check: JSON.stringify(byCheck) })
      .where('id', '=', runId)
      .execute();
    throw new Error(`Reconciliation checks failed: ${answer.error}`);
  }
  const { found } = answer;
  return db.transaction(async (tx) => {
    await tx.deleteFrom('reconciliation_findings').where('run_id', '=', runId).execute();
    const now = nowIso();
    for (const f of found) {
      await tx
        .insertInto('reconciliation_findings')
        .values({
          id: newId(),
          run_id: runId,
          check_code: f.check,
          entity_type: f.entityType,
          entity_id: f.entityId,
          entity_code: f.entityCode,
          expected: f.expected,
          actual: f.actual,
          details: JSON.stringify(f.details),
          state: 'open',
          note: '',
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const after = await tx
      .updateTable('reconciliation_runs')
      .set({ status: 'done', findings: found.length, by_check: JSON.stringify(byCheck), finished_at: now })
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (found.length > 0) {
      const checks = Object.entries(byCheck).filter(([, c]) => c > 0);
      await raiseAlert(tx, systemCtx(), {
        severity: 'warning',
        kind: 'reconciliation_findings',
        title: `Reconciliation found ${found.length} mismatch${found.length === 1 ? '' : 'es'}`,
        detail: checks.map(([name, c]) => `${name}: ${c}`).join(', '),
        entityType: 'reconciliation_run',
        entityId: runId,
        dedupeKey: `reconciliation:${runId}`,
      });
    }
    return toRun(after);
  });
}

/** `reconcile.run` (on demand, `{ runId }`) and `reconcile.daily` (the schedule; the run takes the job id). */
export function reconcileJob(db: Db, options: CheckOptions = DEFAULT_CHECK_OPTIONS): JobHandler {
  return async (payload, { job }) => {
    const given = (payload as { runId?: string }).runId;
    const runId = given ?? job.id;
    if (!given) await createRun(db, runId, 'schedule');
    await executeRun(db, runId, options);
    return { status: 'done' };
  };
}
