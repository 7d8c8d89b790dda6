import type { Logger } from 'pino';
import type { Db } from '../../platform/db/database.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { ensureSchedule } from '../../platform/jobs/schedules.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';
import { type FoldResult, runFold } from './reports.aggregates.ts';

export const FOLD_JOB = 'reports.fold';

/**
 * Keeps the reports' daily read model current (reports.aggregates.ts): every minute, and again at
 * once while a first build of a long history still has days left. The current day is left to the
 * reports' direct queries until it is over. Each run stops after its time
 * budget; each batch is claimed and written in short transactions and computed in between off the
 * server's thread (SQLite) or asynchronously (PostgreSQL), so a big database neither stalls startup
 * nor holds the write lock for long.
 */
export async function setupReportFold(db: Db, worker: JobWorker, log: Logger): Promise<void> {
  worker.register(FOLD_JOB, async () => {
    // Today (UTC, the reports' day) is folded once it is over; until then the reports compute it.
    let result: FoldResult;
    try {
      result = await runFold(db, { budgetMs: 10_000, holdDay: new Date().toISOString().slice(0, 10) });
    } catch (err) {
      // The batch's days went back to the markers: the reports stay exact, the next run tries again.
      return { status: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
    // A long transaction kept a claim waiting (reports.aggregates.ts `claimDays`): the days stay
    // marked, the reports compute them directly, and the next run folds them. Not a failure.
    if (result.busy) log.info(result, 'report fold deferred: a writer in flight held the day markers');
    else if (result.marked > 0 || result.more) log.info(result, 'report aggregates folded');
    if (result.more) {
      const runAt = new Date(Math.ceil(Date.now() / 1000) * 1000);
      await enqueue(db.kysely, { name: FOLD_JOB, uniqueKey: `reports-fold:${runAt.toISOString()}`, runAt });
    }
    return { status: 'done' };
  });
  await ensureSchedule(db, { name: 'reports-fold', cron: '* * * * *', jobName: FOLD_JOB });
}
