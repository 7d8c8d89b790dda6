import type { Logger } from 'pino';
import type { Db } from '../../platform/db/database.ts';
import { ensureSchedule } from '../../platform/jobs/schedules.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';
import { archiveOld } from './archive.service.ts';

/** Nightly archiving of closed work orders and old stock moves (TAKT_ARCHIVE_AFTER_DAYS). */
export async function setupArchive(db: Db, worker: JobWorker, afterDays: number, log: Logger): Promise<void> {
  worker.register('archive.run', async () => {
    const result = await archiveOld(db, { afterDays, log });
    if (result.workOrders > 0 || result.stockMoves > 0) log.info({ ...result, afterDays }, 'archived');
    return { status: 'done' };
  });
  await ensureSchedule(db, { name: 'archive', cron: '40 2 * * *', jobName: 'archive.run' });
}
