import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { testTargets } from '../../testing/databases.ts';
import { type Harness, startHarness, waitFor } from '../../testing/harness.ts';
import { backoffMs, claimJobs, completeJob, enqueue, failJob, jobStats, retryDeadJob } from './queue.ts';
import { enqueueDueSchedules, ensureSchedule, nextRun } from './schedules.ts';
import { JobWorker } from './worker.ts';

const silent = pino({ level: 'silent' });

for (const target of await testTargets()) {
  describe(`job queue on ${target.name}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(target, { demo: false, start: false });
    });
    after(async () => h.close());
    const db = () => h.runtime.db;
    const job = (id: string) =>
      db().kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('runs a job once and marks it done', async () => {
      const id = (await enqueue(db().kysely, { name: 'test.once', payload: { n: 1 } }))!;
      const seen: unknown[] = [];
      const w = new JobWorker(db(), silent, { id: 'w1', runSchedules: false, queues: [] });
      w.register('test.once', async (payload) => {
        seen.push(payload);
        return { status: 'done' };
      });
      await w.poll();
      await waitFor(async () => (await job(id)).status === 'done');
      await w.stop();
      assert.deepEqual(seen, [{ n: 1 }]);
      assert.equal((await job(id)).attempts, 1);
    });

    it('enqueues a job inside the caller transaction: a rolled-back change leaves no job', async () => {
      await assert.rejects(
        db().transaction(async (tx) => {
          await enqueue(tx, { name: 'test.rollback', uniqueKey: 'rollback-1' });
          throw new Error('abort');
        }),
      );
      const rows = await db()
        .kysely.selectFrom('jobs')
        .selectAll()
        .where('unique_key', '=', 'rollback-1')
        .execute();
      assert.equal(rows.length, 0);
    });

    it('keeps one job per unique key', async () => {
      const a = await enqueue(db().kysely, { name: 'test.unique', uniqueKey: 'k-1' });
      const b = await enqueue(db().kysely, { name: 'test.unique', uniqueKey: 'k-1' });
      assert.ok(a);
      assert.equal(b, null);
    });

    it('never hands the same job to two concurrent claimers', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++)
        ids.add((await enqueue(db().kysely, { name: 'test.claim', queue: 'claim' }))!);
      const claims = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          claimJobs(db(), `c${i}`, { limit: 6, leaseMs: 60_000, queues: ['claim'] }),
        ),
      );
      const got = claims.flat().map((j) => j.id);
      assert.equal(new Set(got).size, got.length, 'a job was claimed twice');
      assert.equal(got.length, 20);
      for (const id of got) assert.ok(ids.has(id));
    });

    it('retries with exponential backoff, then dead-letters and emits job.dead', async () => {
      const id = (await enqueue(db().kysely, { name: 'test.fail', queue: 'fail', maxAttempts: 3 }))!;
      for (let attempt = 1; attempt <= 3; attempt++) {
        await db()
          .kysely.updateTable('jobs')
          .set({ run_at: new Date(0).toISOString() })
          .where('id', '=', id)
          .execute();
        const [claimed] = await claimJobs(db(), 'w', { limit: 1, leaseMs: 60_000, queues: ['fail'] });
        assert.ok(claimed);
        assert.equal(claimed.attempts, attempt);
        const before = Date.now();
        const outcome = await failJob(db(), claimed, 'w', `boom ${attempt}`);
        const row = await job(id);
        if (attempt < 3) {
          assert.equal(outcome, 'retry');
          assert.equal(row.status, 'ready');
          const delay = Date.parse(row.run_at) - before;
          assert.ok(
            delay >= backoffMs(attempt, 0) - 50 && delay <= backoffMs(attempt, 1) + 50,
            `delay ${delay}`,
          );
        } else {
          assert.equal(outcome, 'dead');
          assert.equal(row.status, 'dead');
          assert.equal(row.last_error, 'boom 3');
        }
      }
      const events = await db()
        .kysely.selectFrom('outbox')
        .selectAll()
        .where('aggregate_id', '=', id)
        .execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['job.dead'],
      );
      const stats = await jobStats(db());
      assert.ok(stats.dead >= 1);

      const retried = await retryDeadJob(db(), id);
      assert.equal(retried.status, 'ready');
      assert.equal(retried.attempts, 0);
      await assert.rejects(retryDeadJob(db(), id), (e: { code?: string }) => e.code === 'INVALID_STATE');
    });

    it('dead-letters a job whose handler reports a permanent failure without further attempts', async () => {
      const id = (await enqueue(db().kysely, { name: 'test.permanent', queue: 'perm', maxAttempts: 5 }))!;
      const w = new JobWorker(db(), silent, { id: 'wp', runSchedules: false, queues: ['perm'] });
      w.register('test.permanent', async () => ({ status: 'failed', error: 'unknown machine code' }));
      await w.poll();
      await waitFor(async () => (await job(id)).status === 'dead');
      await w.stop();
      assert.equal((await job(id)).attempts, 1);
    });

    it('does not let a worker that lost its lease complete the job', async () => {
      const id = (await enqueue(db().kysely, { name: 'test.lease', queue: 'lease' }))!;
      await claimJobs(db(), 'slow', { limit: 1, leaseMs: 1, queues: ['lease'] });
      await new Promise((r) => setTimeout(r, 10));
      const [again] = await claimJobs(db(), 'fast', { limit: 1, leaseMs: 60_000, queues: ['lease'] });
      assert.equal(again?.id, id);
      assert.equal(await completeJob(db(), id, 'slow'), false);
      assert.equal(await completeJob(db(), id, 'fast'), true);
    });

    it('runs a job again after its worker process is killed mid-job', async (t) => {
      const id = (await enqueue(db().kysely, {
        name: 'test.crash',
        queue: 'crash',
        payload: { order: 'WO-1' },
      }))!;
      const child = spawn(
        process.execPath,
        [
          path.join(import.meta.dirname, '../../testing/fixtures/claim-and-hang.ts'),
          h.database.url ?? '-',
          h.database.dataDir,
          '1500',
          'crash',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      t.after(() => child.kill('SIGKILL'));
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString()));
        child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
      });
      assert.deepEqual(JSON.parse(line).claimed, [id]);
      assert.equal((await job(id)).status, 'running');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const runs: string[] = [];
      const w = new JobWorker(db(), silent, {
        id: 'survivor',
        runSchedules: false,
        queues: ['crash'],
        pollMs: 100,
      });
      w.register('test.crash', async (_p, ctx) => {
        runs.push(ctx.job.locked_by ?? '');
        return { status: 'done' };
      });
      w.start();
      // Not before the lease expires: the dead worker might still be alive as far as anyone knows.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(runs.length, 0);
      await waitFor(async () => (await job(id)).status === 'done', 8000);
      await w.stop();
      assert.deepEqual(runs, ['survivor']);
      assert.equal((await job(id)).attempts, 2);
    });

    it('enqueues each recurring slot once even when two processes tick together', async () => {
      await ensureSchedule(db(), { name: 'test-every-minute', cron: '* * * * *', jobName: 'test.recurring' });
      const due = new Date(Date.now() - 120_000).toISOString();
      await db()
        .kysely.updateTable('job_schedules')
        .set({ next_run_at: due })
        .where('name', '=', 'test-every-minute')
        .execute();
      // The plant's own schedules (some every minute) would be due too and counted with ours: they
      // sit out this tick. The same moment for all three ticks, as for processes ticking together.
      const others = await db()
        .kysely.updateTable('job_schedules')
        .set({ enabled: 0 })
        .where('name', '!=', 'test-every-minute')
        .where('enabled', '=', 1)
        .returning('name')
        .execute();
      const now = new Date();
      let counts: number[];
      try {
        counts = await Promise.all([
          enqueueDueSchedules(db(), now),
          enqueueDueSchedules(db(), now),
          enqueueDueSchedules(db(), now),
        ]);
      } finally {
        if (others.length > 0) {
          await db()
            .kysely.updateTable('job_schedules')
            .set({ enabled: 1 })
            .where(
              'name',
              'in',
              others.map((o) => o.name),
            )
            .execute();
        }
      }
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        1,
      );
      const jobs = await db()
        .kysely.selectFrom('jobs')
        .selectAll()
        .where('name', '=', 'test.recurring')
        .execute();
      assert.equal(jobs.length, 1);
      const s = await db()
        .kysely.selectFrom('job_schedules')
        .selectAll()
        .where('name', '=', 'test-every-minute')
        .executeTakeFirstOrThrow();
      assert.ok(Date.parse(s.next_run_at) > Date.now());
      assert.equal(s.last_run_at, due);
    });

    it('computes the next cron slot in the schedule time zone', () => {
      const after = new Date('2026-03-01T20:00:00Z');
      assert.equal(nextRun('0 2 * * *', after).toISOString(), '2026-03-02T02:00:00.000Z');
      assert.equal(
        nextRun('0 2 * * *', after, 'Asia/Shanghai').toISOString(),
        '2026-03-01T18:00:00.000Z'.replace('03-01T18', '03-02T18'),
      );
    });
  });
}
