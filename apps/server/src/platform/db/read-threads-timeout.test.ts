import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { countItemsOffThread, holdThreadOffThread } from '../../testing/fixtures/read-thread.ts';
import { AppError } from '../errors.ts';
import { Db } from './database.ts';

describe('a read that runs over its time on a read thread', () => {
  let dir: string;
  let db: Db;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'takt-read-timeout-'));
    db = Db.open({ url: null, sqliteFile: path.join(dir, 'takt.db'), readTimeoutMs: 500 });
    await db.migrate();
    await db.kysely
      .insertInto('items')
      .values({
        id: 'it-1',
        code: 'P-1',
        name: 'Part',
        type: 'purchased',
        uom: 'pcs',
        standard_cost: 0,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      } as never)
      .execute();
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails with READ_TIMEOUT (503), and the reads its thread still owed answer on a fresh one', async () => {
    // Both threads start (loading the server's modules takes longer than 500 ms here): a thread's
    // start does not count against the reads waiting for it.
    await Promise.all([countItemsOffThread(db, 0), countItemsOffThread(db, 0)]);
    const t0 = performance.now();
    const stuck = holdThreadOffThread(db, 20_000).then(
      () => assert.fail('a read held for 20 s answered'),
      (e: unknown) => e,
    );
    const other = holdThreadOffThread(db, 50);
    // Both threads now hold one read: this one waits behind one of them, possibly the stuck one.
    const behind = countItemsOffThread(db, 0);
    const err = await stuck;
    const waited = performance.now() - t0;
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, 'READ_TIMEOUT');
    assert.equal(err.status, 503);
    assert.deepEqual(err.extra, { timeoutMs: 500 });
    assert.ok(waited >= 450 && waited < 5_000, `failed after ${waited.toFixed(0)} ms`);
    assert.ok((await other).thread !== threadId);
    const answered = await behind;
    assert.equal(answered.items, 1);
    // The next reads are answered, on threads other than this one.
    const next = await Promise.all([countItemsOffThread(db, 0), countItemsOffThread(db, 0)]);
    for (const n of next) {
      assert.equal(n.items, 1);
      assert.notEqual(n.thread, threadId);
    }
  });

  it('closes idle threads by asking them to end, not by terminating them after a wait', async () => {
    const other = Db.open({ url: null, sqliteFile: path.join(dir, 'takt.db') });
    await Promise.all([countItemsOffThread(other, 0), countItemsOffThread(other, 0)]);
    const t0 = performance.now();
    await other.close();
    const took = performance.now() - t0;
    // A thread that did not end by itself would be terminated after 2 s.
    assert.ok(took < 1_500, `closing took ${took.toFixed(0)} ms`);
  });
});
