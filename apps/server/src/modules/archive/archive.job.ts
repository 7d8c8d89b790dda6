import type { Logger } from 'pino';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { ensureSchedule } from '../../platform/jobs/schedules.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';
import { archiveOld } from './archive.service.ts';

/**
 * Nightly archiving of closed work orders and old stock moves (TAKT_ARCHIVE_AFTER_DAYS); a run
 * requested through the API may name its own horizon (`{ afterDays }` in the payload).
 */
export async function setupArchive(db: Db, worker: JobWorker, afterDays: number, log: Logger): Promise<void> {
  worker.register('archive.run', async (payload) => {
    const asked = (payload as { afterDays?: unknown } | null)?.afterDays;
    const days = typeof asked === 'number' && Number.isInteger(asked) && asked >= 0 ? asked : afterDays;
    const result = await archiveOld(db, { afterDays: days, log });
    if (result.workOrders > 0 || result.stockMoves > 0) log.info({ ...result, afterDays: days }, 'archived');
    return { status: 'done' };
  });
  await ensureSchedule(db, { name: 'archive', cron: '40 2 * * *', jobName: 'archive.run' });
}

/** Queues an archive run now with the given horizon; the request is audited. */
export async function requestArchiveRun(db: Db, ctx: Ctx, afterDays: number): Promise<{ jobId: string }> {
  return db.transaction(async (tx) => {
    const jobId = await enqueue(tx, { name: 'archive.run', payload: { afterDays }, maxAttempts: 1 });
    if (!jobId) throw new Error('archive run was not queued');
    await recordAudit(tx, ctx, {
      entityType: 'archive',
      entityId: jobId,
      action: 'run',
      before: null,
      after: { afterDays },
    });
    return { jobId };
  });
}
