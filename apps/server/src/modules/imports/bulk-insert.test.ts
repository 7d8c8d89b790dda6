import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { Db } from '../../platform/db/database.ts';
import { bulkInsert, insertPrepared, prepareRows, SQLITE_SLICE_ROWS } from './bulk-insert.ts';

const ROWS = SQLITE_SLICE_ROWS * 8;

function rows(from: number): Record<string, unknown>[] {
  return Array.from({ length: ROWS }, (_, i) => ({ id: from + i, code: `C-${from + i}`, note: 'bulk' }));
}

/** Counts event loop turns (setImmediate callbacks) until `stop` is called. */
function turns(): { readonly count: () => number; readonly stop: () => void } {
  let n = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    n++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    count: () => n,
    stop: () => {
      stopped = true;
    },
  };
}

async function open(): Promise<Db> {
  const db = Db.open({ url: null, sqliteFile: ':memory:' });
  await sql`create table t (id integer primary key, code text not null unique, note text)`.execute(db.kysely);
  return db;
}

const count = async (db: Db) =>
  (await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely)).rows[0]!.n;

describe('bulk insert on SQLite', () => {
  it('lets the event loop turn between slices, inside the one transaction', async () => {
    const db = await open();
    const loop = turns();
    let during = 0;
    await db.transaction(async (tx) => {
      await bulkInsert(tx, 'sqlite', 't', rows(0));
      await insertPrepared(tx, 't', prepareRows('sqlite', ['id', 'code', 'note'], rows(ROWS)));
      during = loop.count();
    });
    loop.stop();
    // One turn at least before each slice of each table; without them the loop would not turn at all.
    assert.ok(during >= 16, `the event loop turned ${during} times`);
    assert.equal(await count(db), 2 * ROWS);
    await db.close();
  });

  it('keeps nothing of any slice when the transaction rolls back', async () => {
    const db = await open();
    await assert.rejects(
      db.transaction(async (tx) => {
        await bulkInsert(tx, 'sqlite', 't', rows(0));
        // A duplicate code in the last slice fails the statement and the whole transaction.
        const bad = rows(ROWS);
        bad[bad.length - 1]!.code = 'C-0';
        await insertPrepared(tx, 't', prepareRows('sqlite', ['id', 'code', 'note'], bad));
      }),
      /UNIQUE/,
    );
    assert.equal(await count(db), 0);
    await db.close();
  });
});
