import type { Job, JobStats } from '@takt/contracts';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import type { JobsTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { appendEvent } from '../events/outbox.ts';
import { newId, nowIso } from '../ids.ts';

export interface EnqueueOptions {
  readonly name: string;
  readonly payload?: unknown;
  readonly queue?: string;
  readonly runAt?: Date;
  readonly maxAttempts?: number;
  /** At most one job with this key ever exists: enqueueing again is a no-op. */
  readonly uniqueKey?: string;
}

/** Enqueues in the caller's transaction so the job exists if and only if the change commits. */
export async function enqueue(tx: Tx | Db['kysely'], options: EnqueueOptions): Promise<string | null> {
  const now = nowIso();
  const id = newId();
  const res = await tx
    .insertInto('jobs')
    .values({
      id,
      queue: options.queue ?? 'default',
      name: options.name,
      payload: JSON.stringify(options.payload ?? {}),
      status: 'ready',
      attempts: 0,
      max_attempts: options.maxAttempts ?? 5,
      run_at: (options.runAt ?? new Date()).toISOString(),
      lease_until: null,
      locked_by: null,
      last_error: null,
      unique_key: options.uniqueKey ?? null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0 ? id : null;
}

/**
 * Claims up to `limit` due jobs for `workerId`: ready ones whose time has come and running ones whose
 * lease expired (their worker died). Each claim counts as an attempt.
 */
export async function claimJobs(
  db: Db,
  workerId: string,
  options: { limit: number; leaseMs: number; queues?: readonly string[]; now?: Date },
): Promise<JobsTable[]> {
  const now = (options.now ?? new Date()).toISOString();
  const leaseUntil = new Date(Date.parse(now) + options.leaseMs).toISOString();
  return db.transaction(async (tx) => {
    let q = tx
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'ready'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .limit(options.limit);
    if (options.queues && options.queues.length > 0) q = q.where('queue', 'in', options.queues);
    if (db.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const ids = (await q.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running' as const,
        lease_until: leaseUntil,
        locked_by: workerId,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

/** Extends the lease of a long job; false when the job was taken from this worker (lease lost). */
export async function heartbeat(db: Db, id: string, workerId: string, leaseMs: number): Promise<boolean> {
  const res = await db.kysely
    .updateTable('jobs')
    .set({ lease_until: new Date(Date.now() + leaseMs).toISOString() })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function completeJob(db: Db, id: string, workerId: string): Promise<boolean> {
  const now = nowIso();
  const res = await db.kysely
    .updateTable('jobs')
    .set({ status: 'done', lease_until: null, finished_at: now, updated_at: now, last_error: null })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Exponential backoff with jitter: ~2 s, 4 s, 8 s … capped at one hour. */
export function backoffMs(attempts: number, random = Math.random()): number {
  const base = Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempts));
  return Math.round(base * (0.75 + random * 0.5));
}

/**
 * Records a failed attempt: back to `ready` after a backoff, or `dead` once attempts are used up
 * (or when `permanent`). A dead job emits `job.dead` so it is alerted, never silently dropped.
 */
export async function failJob(
  db: Db,
  job: Pick<JobsTable, 'id' | 'name' | 'attempts' | 'max_attempts'>,
  workerId: string,
  error: string,
  options: { permanent?: boolean; delayMs?: number } = {},
): Promise<'retry' | 'dead' | 'lost'> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const dead = options.permanent === true || job.attempts >= job.max_attempts;
    const res = await tx
      .updateTable('jobs')
      .set({
        status: dead ? 'dead' : 'ready',
        lease_until: null,
        locked_by: null,
        last_error: error.slice(0, 4000),
        run_at: dead
          ? undefined
          : new Date(now.getTime() + (options.delayMs ?? backoffMs(job.attempts))).toISOString(),
        finished_at: dead ? now.toISOString() : null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', job.id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return 'lost';
    if (dead) {
      await appendEvent(tx, null, {
        type: 'job.dead',
        aggregateType: 'job',
        aggregateId: job.id,
        data: { name: job.name, attempts: job.attempts, error: error.slice(0, 500) },
      });
    }
    return dead ? 'dead' : 'retry';
  });
}

/** Puts a dead job back in the queue with a fresh set of attempts. */
export async function retryDeadJob(db: Db, id: string): Promise<Job> {
  return db.transaction(async (tx) => {
    const row = await tx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Job', id);
    if (row.status !== 'dead') {
      throw new AppError('INVALID_STATE', `Only dead jobs can be retried; this one is ${row.status}`, {
        extra: { status: row.status },
      });
    }
    const now = nowIso();
    const updated = await tx
      .updateTable('jobs')
      .set({ status: 'ready', attempts: 0, run_at: now, updated_at: now, finished_at: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(tx, null, {
      type: 'job.retried',
      aggregateType: 'job',
      aggregateId: id,
      data: { name: row.name },
    });
    return toJob(updated);
  });
}

export function toJob(row: JobsTable): Job {
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    status: row.status,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function jobStats(db: Db): Promise<JobStats> {
  const counts = await db.kysely
    .selectFrom('jobs')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  const oldest = await db.kysely
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('min'))
    .where('status', '=', 'ready')
    .where('run_at', '<=', nowIso())
    .executeTakeFirst();
  const stats: JobStats = { ready: 0, running: 0, done: 0, dead: 0, oldestReadyAgeSeconds: null };
  for (const c of counts) stats[c.status] = Number(c.n);
  if (oldest?.min)
    stats.oldestReadyAgeSeconds = Math.max(0, (Date.now() - Date.parse(String(oldest.min))) / 1000);
  return stats;
}
