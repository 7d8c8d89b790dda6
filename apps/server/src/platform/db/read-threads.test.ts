import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { testTargets } from '../../testing/databases.ts';
import {
  countItems,
  countItemsOffThread,
  endThreadOffThread,
  holdThreadOffThread,
  refuseOffThread,
} from '../../testing/fixtures/read-thread.ts';
import { inventoryReport } from '../../modules/reports/reports.service.ts';
import { startGapMeter } from '../../testing/gap-meter.ts';
import { type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { AppError } from '../errors.ts';
import { Db } from './database.ts';
import { READ_THREADS } from './read-threads.ts';
import { ReadSet, trackReads } from './table-versions.ts';

for (const target of await testTargets()) {
  describe(`reads off the server's thread on ${target.name}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(target, { start: false });
    });
    after(async () => h.close());
    const db = () => h.runtime.db;

    it('answers as the server would, on a read thread', async () => {
      const here = await countItems(db(), 0);
      const there = await countItemsOffThread(db(), 0);
      assert.equal(there.items, here.items);
      assert.ok(here.items > 0);
      assert.equal(here.thread, threadId);
      assert.notEqual(there.thread, threadId);
      // What was committed a moment ago is seen there.
      const item = await db().kysely.selectFrom('items').selectAll().executeTakeFirstOrThrow();
      await db()
        .kysely.updateTable('items')
        .set({ standard_cost: 1_000_000 })
        .where('id', '=', item.id)
        .execute();
      assert.deepEqual((await countItemsOffThread(db(), 1_000_000)).items, 1);
    });

    it('notes what it read in the asking read scope, so a cached answer goes stale on a write', async () => {
      const reads = new ReadSet();
      await trackReads(reads, () => countItemsOffThread(db(), 0));
      assert.ok(reads.full.has('items'), `noted: ${[...reads.full]}`);
    });

    it('keeps an AppError with its code, status and fields', async () => {
      const err = await refuseOffThread(db(), 'from').then(
        () => assert.fail('refused'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'VALIDATION_FAILED');
      assert.equal(err.status, 400);
      assert.deepEqual(err.fieldErrors, [{ field: 'from', message: 'out of range' }]);
      assert.deepEqual(err.extra, { limit: 366 });
    });

    it('leaves the server’s event loop free while a read holds its thread', async () => {
      const meter = startGapMeter(2);
      const t0 = performance.now();
      // More reads than threads: two hold theirs, the others wait for one and still answer.
      const answers = await Promise.all([
        holdThreadOffThread(db(), 400),
        holdThreadOffThread(db(), 400),
        countItemsOffThread(db(), 0),
        countItemsOffThread(db(), 0),
      ]);
      const gap = meter.stop();
      assert.ok(performance.now() - t0 >= 400);
      assert.ok(gap < 200, `the event loop was held for ${gap.toFixed(0)} ms`);
      const threads = new Set(answers.map((a) => a.thread));
      assert.equal(threads.size, READ_THREADS);
      assert.ok(!threads.has(threadId));
    });

    it('fails the read of a thread that ended, and answers the next on a new one', {}, async () => {
      await assert.rejects(endThreadOffThread(db()), /read thread stopped \(exit code 3\)/);
      const again = await countItemsOffThread(db(), 0);
      assert.ok(again.items > 0);
      assert.notEqual(again.thread, threadId);
    });

    it('answers the reports over HTTP as before, and again after the stock they read changed', async () => {
      const s = await signIn(h.runtime, 'admin', h.runtime.config.adminPassword!);
      const get = async () => {
        const res = await h.runtime.app.inject({
          method: 'GET',
          url: '/api/v1/reports/inventory',
          headers: { cookie: s.cookie },
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { asOf: string; totals: { qty: number } };
      };
      const first = await get();
      assert.deepEqual(await get(), first);
      const balance = await db()
        .kysely.selectFrom('stock_balances')
        .selectAll()
        .where('on_hand', '>', 0)
        .executeTakeFirstOrThrow();
      await db()
        .kysely.updateTable('stock_balances')
        .set({ on_hand: Number(balance.on_hand) + 7 })
        .where('item_id', '=', balance.item_id)
        .where('location_id', '=', balance.location_id)
        .where('lot_id', '=', balance.lot_id)
        .execute();
      // The answer computed on this thread after the write is the oracle.
      const now = await inventoryReport(db());
      assert.notEqual(now.totals.qty, first.totals.qty);
      const { asOf: _, ...answer } = await get();
      const { asOf: __, ...expected } = JSON.parse(JSON.stringify(now));
      assert.deepEqual(answer, expected);
    });
  });
}

describe('read threads of a database in memory', () => {
  it('are none: reads stay on the caller’s thread', async () => {
    const memory = Db.open({ url: null, sqliteFile: ':memory:' });
    assert.equal(memory.readThreads(), null);
    await memory.close();
  });
});
