import type { Db } from '../db/database.ts';
import { KEEP_KEYS_MS } from '../http/idempotency.ts';
import type { JobWorker } from './worker.ts';

/** Housekeeping that every installation runs on a schedule. */
export function registerPlatformJobs(worker: JobWorker, db: Db): void {
  worker.register('jobs.cleanup', async () => {
    const cutoff = new Date(Date.now() - 7 * 24 * 3600_000).toISOString();
    await db.kysely
      .deleteFrom('jobs')
      .where('status', '=', 'done')
      .where('finished_at', '<', cutoff)
      .execute();
    await db.kysely.deleteFrom('outbox').where('dispatched_at', '<', cutoff).execute();
    const keys = new Date(Date.now() - 2 * KEEP_KEYS_MS).toISOString();
    await db.kysely.deleteFrom('idempotency_keys').where('created_at', '<', keys).execute();
    return { status: 'done' };
  });
  worker.register('sessions.cleanup', async () => {
    await db.kysely.deleteFrom('sessions').where('expires_at', '<', new Date().toISOString()).execute();
    return { status: 'done' };
  });
}
