import { setImmediate as yieldTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { deleteInBatches } from '../db/in-batches.ts';
import { KEEP_KEYS_MS } from '../http/idempotency.ts';
import type { JobWorker } from './worker.ts';

/** How long finished jobs and dispatched events are kept. */
const KEEP_DONE_MS = 7 * 24 * 3600_000;

/**
 * Rows per DELETE of the housekeeping jobs. A week of a busy plant's events or a day of its
 * idempotency keys is hundreds of thousands of rows: deleted in one statement on SQLite (which runs on
 * the event loop), a stall of seconds for every request. Between statements the event loop takes a turn.
 */
export const CLEANUP_BATCH = 5000;

export interface CleanupCounts {
  readonly jobs: number;
  readonly events: number;
  readonly idempotencyKeys: number;
}

/**
 * Deletes finished jobs and dispatched events older than a week, and idempotency keys past twice
 * their keeping time, `batch` rows per statement; returns how many of each.
 */
export async function cleanUp(db: Db, now = Date.now(), batch = CLEANUP_BATCH): Promise<CleanupCounts> {
  const cutoff = new Date(now - KEEP_DONE_MS).toISOString();
  const jobs = await deleteInBatches(async () => {
    const res = await db.kysely
      .deleteFrom('jobs')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('status', '=', 'done')
          .where('finished_at', '<', cutoff)
          .limit(batch),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }, batch);
  const events = await deleteDispatchedEvents(db, cutoff, batch);
  const keys = new Date(now - 2 * KEEP_KEYS_MS).toISOString();
  // The key is (scope, key); the subquery walks the created_at index, oldest first.
  const idempotencyKeys = await deleteInBatches(async () => {
    const res = await sql`delete from idempotency_keys where (scope, key) in (
        select scope, key from idempotency_keys where created_at < ${keys} order by created_at limit ${batch})`.execute(
      db.kysely,
    );
    return Number(res.numAffectedRows ?? 0);
  }, batch);
  return { jobs, events, idempotencyKeys };
}

/** Deletes expired sessions, `batch` rows per statement; returns how many. */
export async function cleanUpSessions(db: Db, now = Date.now(), batch = CLEANUP_BATCH): Promise<number> {
  const at = new Date(now).toISOString();
  return deleteInBatches(async () => {
    const res = await db.kysely
      .deleteFrom('sessions')
      .where('id', 'in', (eb) =>
        eb.selectFrom('sessions').select('id').where('expires_at', '<', at).limit(batch),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }, batch);
}

/**
 * Dispatched events older than `cutoff`. The outbox has no index on `dispatched_at` (every event
 * written would pay for one), so the walk goes along `seq`, `batch` events at a time, oldest first,
 * and each range is deleted by its key. An event is dispatched after it occurred, so the walk ends at
 * the first range holding an event that occurred at or after the cutoff: every later event is newer.
 * An event not yet dispatched stays, whatever its age, and the walk goes past it.
 */
async function deleteDispatchedEvents(db: Db, cutoff: string, batch: number): Promise<number> {
  let total = 0;
  let after = -1;
  for (;;) {
    const range = await db.kysely
      .selectFrom('outbox')
      .select(['seq', 'occurred_at'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(batch)
      .execute();
    if (range.length === 0) return total;
    const last = Number(range[range.length - 1]!.seq);
    const res = await db.kysely
      .deleteFrom('outbox')
      .where('seq', '>', after)
      .where('seq', '<=', last)
      .where('dispatched_at', '<', cutoff)
      .executeTakeFirst();
    total += Number(res.numDeletedRows);
    if (range.length < batch || range.some((e) => e.occurred_at >= cutoff)) return total;
    after = last;
    await yieldTurn();
  }
}

/** Housekeeping that every installation runs on a schedule. */
export function registerPlatformJobs(worker: JobWorker, db: Db): void {
  worker.register('jobs.cleanup', async () => {
    await cleanUp(db);
    return { status: 'done' };
  });
  worker.register('sessions.cleanup', async () => {
    await cleanUpSessions(db);
    return { status: 'done' };
  });
}
