import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { type Harness, startHarness } from '../../testing/harness.ts';
import { KEEP_KEYS_MS } from '../http/idempotency.ts';
import { cleanUp, cleanUpSessions } from './platform-jobs.ts';

const DAY = 24 * 3600_000;
const NOW = Date.parse('2026-06-30T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

for (const target of await testTargets()) {
  describe(`housekeeping on ${target.name}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(target, { demo: false, start: false });
    });
    after(async () => h.close());
    const db = () => h.runtime.db;

    it('deletes exactly the finished jobs, dispatched events and keys past their time, a few rows per statement', async () => {
      const k = db().kysely;
      await k.deleteFrom('jobs').execute();
      await k.deleteFrom('outbox').execute();
      await k.deleteFrom('idempotency_keys').execute();
      // Jobs: done 8 days ago (due), done 6 days ago, failed for good 8 days ago, ready.
      const job = (id: string, status: 'done' | 'dead' | 'ready', finished: string | null) => ({
        id,
        queue: 'default',
        name: 'test.cleanup',
        payload: '{}',
        status,
        attempts: 1,
        max_attempts: 3,
        run_at: ago(9 * DAY),
        created_at: ago(9 * DAY),
        updated_at: ago(9 * DAY),
        finished_at: finished,
      });
      const dueJobs = ['j1', 'j2', 'j3', 'j4', 'j5'];
      await k
        .insertInto('jobs')
        .values([
          ...dueJobs.map((id) => job(id, 'done', ago(8 * DAY))),
          job('j-recent', 'done', ago(6 * DAY)),
          job('j-dead', 'dead', ago(8 * DAY)),
          job('j-ready', 'ready', null),
        ])
        .execute();
      // Events, in the order they occurred: five dispatched 8–9 days ago (due), one of that age never
      // dispatched, one old but dispatched only yesterday, then recent ones.
      const event = (i: number, occurred: string, dispatched: string | null) => ({
        id: `e${i}`,
        type: 'test.cleanup',
        aggregate_type: 'test',
        aggregate_id: `a${i}`,
        data: '{}',
        occurred_at: occurred,
        dispatched_at: dispatched,
      });
      await k
        .insertInto('outbox')
        .values([
          event(1, ago(9 * DAY), ago(9 * DAY)),
          event(2, ago(9 * DAY), null),
          event(3, ago(9 * DAY), ago(9 * DAY)),
          event(4, ago(8.5 * DAY), ago(1 * DAY)),
          event(5, ago(8.5 * DAY), ago(8.5 * DAY)),
          event(6, ago(8 * DAY), ago(8 * DAY)),
          event(7, ago(8 * DAY), ago(8 * DAY)),
          event(8, ago(2 * DAY), ago(2 * DAY)),
          event(9, ago(1 * DAY), null),
          event(10, ago(0), ago(0)),
        ])
        .execute();
      const key = (n: number, created: string) => ({
        scope: n % 2 === 0 ? 'user:a' : 'user:b',
        key: `k${n}`,
        fingerprint: 'f',
        state: 'done' as const,
        locked_until: created,
        created_at: created,
      });
      await k
        .insertInto('idempotency_keys')
        .values([
          ...[1, 2, 3].map((n) => key(n, ago(2 * KEEP_KEYS_MS + 1000))),
          key(4, ago(2 * KEEP_KEYS_MS - 1000)),
          key(5, ago(0)),
        ])
        .execute();

      const counts = await cleanUp(db(), NOW, 2);

      assert.deepEqual(counts, { jobs: 5, events: 5, idempotencyKeys: 3 });
      const jobs = await k.selectFrom('jobs').select('id').orderBy('id').execute();
      assert.deepEqual(
        jobs.map((j) => j.id),
        ['j-dead', 'j-ready', 'j-recent'],
      );
      const events = await k.selectFrom('outbox').select('id').orderBy('seq').execute();
      assert.deepEqual(
        events.map((e) => e.id),
        ['e2', 'e4', 'e8', 'e9', 'e10'],
      );
      const keys = await k.selectFrom('idempotency_keys').select('key').orderBy('key').execute();
      assert.deepEqual(
        keys.map((r) => r.key),
        ['k4', 'k5'],
      );
      // Nothing more is due: a second run deletes nothing.
      assert.deepEqual(await cleanUp(db(), NOW, 2), { jobs: 0, events: 0, idempotencyKeys: 0 });
    });

    it('deletes expired sessions only, a few per statement', async () => {
      const k = db().kysely;
      const user = await k.selectFrom('users').select('id').executeTakeFirstOrThrow();
      await k.deleteFrom('sessions').execute();
      const session = (id: string, expires: string) => ({
        id,
        user_id: user.id,
        csrf_token: 'c',
        created_at: ago(DAY),
        last_seen_at: ago(DAY),
        expires_at: expires,
        kind: 'browser' as const,
      });
      await k
        .insertInto('sessions')
        .values([
          ...['s1', 's2', 's3', 's4'].map((id) => session(id, ago(1000))),
          session('s-live', new Date(NOW + DAY).toISOString()),
        ])
        .execute();
      assert.equal(await cleanUpSessions(db(), NOW, 2), 4);
      const left = await k.selectFrom('sessions').select('id').execute();
      assert.deepEqual(
        left.map((s) => s.id),
        ['s-live'],
      );
    });
  });
}
