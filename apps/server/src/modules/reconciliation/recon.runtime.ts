import type { Db } from '../../platform/db/database.ts';
import { ensureSchedule } from '../../platform/jobs/schedules.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';
import { readSettings } from '../purchasing/purchasing.settings.ts';
import type { CheckOptions } from './recon.checks.ts';
import { DEFAULT_CHECK_OPTIONS, reconcileJob } from './recon.service.ts';

/** Registers the reconciliation jobs and the nightly run at 03:30 plant time. */
export async function setupReconciliation(
  db: Db,
  worker: JobWorker,
  options: Partial<CheckOptions> = {},
): Promise<void> {
  const handler = reconcileJob(db, { ...DEFAULT_CHECK_OPTIONS, ...options });
  worker.register('reconcile.run', handler);
  worker.register('reconcile.daily', handler);
  const { plantTimeZone } = await readSettings(db.kysely);
  await ensureSchedule(db, {
    name: 'reconcile-daily',
    cron: '30 3 * * *',
    jobName: 'reconcile.daily',
    tz: plantTimeZone,
  });
}
