import type { Db } from '../../platform/db/database.ts';
import { ensureSchedule } from '../../platform/jobs/schedules.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';
import { pruneRequests } from './request-log.service.ts';

export const REQUEST_LOG_PRUNE_JOB = 'integration.request_log.prune';

/** Prunes the request log every hour, keeping `days` days. */
export async function setupRequestLogRetention(db: Db, worker: JobWorker, days: number): Promise<void> {
  worker.register(REQUEST_LOG_PRUNE_JOB, async () => {
    await pruneRequests(db, days);
    return { status: 'done' };
  });
  await ensureSchedule(db, { name: 'request-log-prune', cron: '41 * * * *', jobName: REQUEST_LOG_PRUNE_JOB });
}
