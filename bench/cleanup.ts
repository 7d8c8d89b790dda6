/**
 * The daily housekeeping (`jobs.cleanup`: finished jobs, dispatched events, old idempotency keys) on a
 * large backlog, and how long it holds the event loop:
 *   node bench/cleanup.ts [--events 500000] [--keys 300000] [--jobs 50000] [--one-statement]
 * Works on a fresh SQLite data directory of its own (deleted afterwards): fills it with that many
 * rows past their keeping time, plus a day's worth (a tenth as many) that stay, then runs the cleanup
 * and prints the wall time, the rows deleted and the longest event-loop stall. `--one-statement`
 * deletes each table in one statement instead, as the job did before it worked in batches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db, Tx } from '../apps/server/src/platform/db/database.ts';
import { KEEP_KEYS_MS } from '../apps/server/src/platform/http/idempotency.ts';
import { cleanUp } from '../apps/server/src/platform/jobs/platform-jobs.ts';
import { arg, flag } from './args.ts';
import { openPlant, withStalls } from './plant.ts';

const events = Number(arg('events', '500000'));
const keys = Number(arg('keys', '300000'));
const jobs = Number(arg('jobs', '50000'));
const oneStatement = flag('one-statement');

const DAY = 24 * 3600_000;
const now = Date.now();
const ago = (ms: number) => new Date(now - ms).toISOString();

/** Inserts `n` rows made by `row(i)` through `insert`, 500 per statement, 100,000 per transaction. */
async function fill<R>(
  db: Db,
  n: number,
  row: (i: number) => R,
  insert: (tx: Tx, rows: R[]) => Promise<unknown>,
) {
  for (let start = 0; start < n; start += 100_000) {
    await db.transaction(async (tx) => {
      for (let i = start; i < Math.min(n, start + 100_000); i += 500) {
        const rows: R[] = [];
        for (let j = i; j < Math.min(n, i + 500, start + 100_000); j++) rows.push(row(j));
        await insert(tx, rows);
      }
    });
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-bench-cleanup-'));
const runtime = await openPlant(dir);
try {
  const { db } = runtime;
  const t0 = performance.now();
  const keep = (n: number) => Math.ceil(n / 10);
  await fill(
    db,
    events + keep(events),
    (i) => {
      const at = i < events ? ago(14 * DAY - i) : ago(DAY - i);
      return {
        id: `e${i}`,
        type: 'operation.reported',
        aggregate_type: 'operation',
        aggregate_id: `op${i % 5000}`,
        data: '{"id":"x","good":1,"scrap":0}',
        occurred_at: at,
        dispatched_at: at,
      };
    },
    (tx, rows) => tx.insertInto('outbox').values(rows).execute(),
  );
  await fill(
    db,
    keys + keep(keys),
    (i) => {
      const at = i < keys ? ago(3 * KEEP_KEYS_MS + i) : ago(KEEP_KEYS_MS - i);
      return {
        scope: `user:${i % 50}`,
        key: `k${i}`,
        fingerprint: 'f',
        state: 'done' as const,
        locked_until: at,
        created_at: at,
        response_status: 201,
        response_body: '{"ok":true}',
      };
    },
    (tx, rows) => tx.insertInto('idempotency_keys').values(rows).execute(),
  );
  await fill(
    db,
    jobs + keep(jobs),
    (i) => {
      const at = i < jobs ? ago(14 * DAY - i) : ago(DAY - i);
      return {
        id: `j${i}`,
        queue: 'default',
        name: 'webhook.deliver',
        payload: '{}',
        status: 'done' as const,
        attempts: 1,
        max_attempts: 5,
        run_at: at,
        created_at: at,
        updated_at: at,
        finished_at: at,
      };
    },
    (tx, rows) => tx.insertInto('jobs').values(rows).execute(),
  );
  console.log(
    `filled ${events} + ${keep(events)} events, ${keys} + ${keep(keys)} keys, ${jobs} + ${keep(jobs)} jobs ` +
      `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const run = oneStatement
    ? async () => {
        const cutoff = new Date(now - 7 * DAY).toISOString();
        const j = await db.kysely
          .deleteFrom('jobs')
          .where('status', '=', 'done')
          .where('finished_at', '<', cutoff)
          .executeTakeFirst();
        const e = await db.kysely.deleteFrom('outbox').where('dispatched_at', '<', cutoff).executeTakeFirst();
        const k =
          await sql`delete from idempotency_keys where created_at < ${new Date(now - 2 * KEEP_KEYS_MS).toISOString()}`.execute(
            db.kysely,
          );
        return {
          jobs: Number(j.numDeletedRows),
          events: Number(e.numDeletedRows),
          idempotencyKeys: Number(k.numAffectedRows ?? 0),
        };
      }
    : () => cleanUp(db, now);
  const { result, wallMs, maxStallMs, p99StallMs } = await withStalls(run);
  console.log(
    `${oneStatement ? 'one statement per table' : 'in batches'}: deleted ${result.jobs} jobs, ${result.events} events, ` +
      `${result.idempotencyKeys} keys in ${(wallMs / 1000).toFixed(2)} s; longest stall ${maxStallMs.toFixed(0)} ms, ` +
      `p99 ${p99StallMs.toFixed(1)} ms`,
  );
} finally {
  await runtime.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
