import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { commitScope, withCommitHook } from './commit-hooks.ts';
import { Db } from './database.ts';

describe('commit hooks', () => {
  const open = () => Db.open({ url: null, sqliteFile: ':memory:' });
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('run inside every transaction of their scope, with its result, and roll back with it', async () => {
    const db = open();
    await sql`create table t (v integer)`.execute(db.kysely);
    const seen: unknown[] = [];
    await withCommitHook(
      async (tx, result) => {
        seen.push(result);
        await sql`insert into t (v) values (${Number(result)})`.execute(tx);
      },
      async () => {
        await db.transaction(async () => 1);
        await assert.rejects(
          db.transaction(async () => {
            throw new Error('refused');
          }),
        );
        await db.transaction(async () => 2);
      },
    );
    await db.transaction(async () => 3);
    assert.deepEqual(seen, [1, 2]);
    const rows = await sql<{ v: number }>`select v from t order by v`.execute(db.kysely);
    assert.deepEqual(
      rows.rows.map((r) => r.v),
      [1, 2],
    );
    await db.close();
  });

  it('do not leak into loops woken after commit, nor run once their scope closed', async () => {
    const db = open();
    const seen: string[] = [];
    let woken: Promise<unknown> | null = null;
    const off = db.onCommit(() => {
      woken ??= new Promise((r) => setTimeout(r, 1)).then(() => db.transaction(async () => 'background'));
    });
    const s = commitScope(async (_tx, result) => {
      seen.push(String(result));
    });
    let later: Promise<unknown> | null = null;
    await s.run(async () => {
      await db.transaction(async () => 'request');
      later = new Promise((r) => setTimeout(r, 1)).then(() => db.transaction(async () => 'timer'));
    });
    s.close();
    await woken;
    await later;
    await tick();
    assert.deepEqual(seen, ['request']);
    off();
    await db.close();
  });
});
