import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { testTargets } from '../../testing/databases.ts';
import { Db } from './database.ts';
import { deferWrites, StatementNames, statementNames } from './pg-pipeline.ts';

type Tables = { t: { id: number; v: string } };

const targets = await testTargets();

async function open(t: TestContext, target: (typeof targets)[number]) {
  const database = await target.create();
  const db = Db.open({ url: database.url, sqliteFile: path.join(database.dataDir, 'takt.db') });
  t.after(async () => {
    await db.close();
    await database.drop();
  });
  await sql`create table t (id integer primary key, v text not null unique)`.execute(db.kysely);
  const k = db.kysely.withTables<Tables>() as unknown as Kysely<Tables>;
  const tables = (tx: unknown) => (tx as Kysely<Tables>).withTables<Tables>() as unknown as Kysely<Tables>;
  const rows = async () => (await k.selectFrom('t').select('v').orderBy('id').execute()).map((r) => r.v);
  return { db, k, tables, rows, postgres: target.name === 'postgres' };
}

const code = (err: unknown) => (err as { code?: string }).code;
/** A unique violation, as each database names it. */
const isDuplicate = (err: unknown) =>
  code(err) === '23505' || /UNIQUE constraint failed/.test(String((err as Error).message));

for (const target of targets) {
  describe(`statements sent ahead in a transaction (${target.name})`, () => {
    it('commits deferred writes in order with the rest, and later statements see them', async (t) => {
      const { db, tables, rows } = await open(t, target);
      const seen = await db.transaction(async (tx) => {
        await deferWrites(() => tables(tx).insertInto('t').values({ id: 1, v: 'a' }).execute());
        await deferWrites(() => tables(tx).insertInto('t').values({ id: 2, v: 'b' }).execute());
        // Awaited: sent after the two writes, so it sees them.
        const inside = await tables(tx).selectFrom('t').select('v').orderBy('id').execute();
        await deferWrites(() => tables(tx).updateTable('t').set({ v: 'c' }).where('id', '=', 2).execute());
        return inside.map((r) => r.v);
      });
      assert.deepEqual(seen, ['a', 'b']);
      assert.deepEqual(await rows(), ['a', 'c']);
    });

    it('fails the transaction with a deferred write’s own error, and commits none of it', async (t) => {
      const { db, k, tables, rows, postgres } = await open(t, target);
      await k.insertInto('t').values({ id: 1, v: 'taken' }).execute();
      let returned = false;
      const err = await db
        .transaction(async (tx) => {
          await deferWrites(() => tables(tx).insertInto('t').values({ id: 2, v: 'x' }).execute());
          await deferWrites(() => tables(tx).insertInto('t').values({ id: 3, v: 'taken' }).execute());
          returned = true;
          await deferWrites(() => tables(tx).insertInto('t').values({ id: 4, v: 'y' }).execute());
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      assert.ok(err, 'the transaction failed');
      assert.ok(isDuplicate(err), `the duplicate is the error: ${String(err)}`);
      // On PostgreSQL the failing insert did not wait for its answer; the commit saw it.
      assert.equal(returned, postgres);
      assert.deepEqual(await rows(), ['taken']);
    });

    it('makes the next awaited statement throw the deferred write’s error, not “transaction aborted”', async (t) => {
      const { db, k, tables, rows } = await open(t, target);
      await k.insertInto('t').values({ id: 1, v: 'taken' }).execute();
      const err = await db
        .transaction(async (tx) => {
          await deferWrites(() => tables(tx).insertInto('t').values({ id: 2, v: 'taken' }).execute());
          await tables(tx).selectFrom('t').selectAll().execute();
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      assert.ok(isDuplicate(err), `the duplicate is the error: ${String(err)}`);
      assert.notEqual(code(err), '25P02');
      assert.deepEqual(await rows(), ['taken']);
    });

    it('rolls back deferred writes when the function throws, and the connection serves on', async (t) => {
      const { db, tables, rows } = await open(t, target);
      await assert.rejects(
        db.transaction(async (tx) => {
          await deferWrites(() => tables(tx).insertInto('t').values({ id: 1, v: 'gone' }).execute());
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.deepEqual(await rows(), []);
      // Every pooled connection, again: none is left pipelining or inside a transaction.
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          db.transaction(async (tx) => {
            await deferWrites(() =>
              tables(tx)
                .insertInto('t')
                .values({ id: 10 + i, v: `v${i}` })
                .execute(),
            );
            await tables(tx)
              .selectFrom('t')
              .select('id')
              .where('id', '=', 10 + i)
              .executeTakeFirstOrThrow();
          }),
        ),
      );
      assert.equal((await rows()).length, 12);
    });

    it('reports a failing first statement itself, with BEGIN sent ahead of it', async (t) => {
      const { db, tables, rows } = await open(t, target);
      await assert.rejects(
        db.transaction(async (tx) => {
          await sql`select * from no_such_table`.execute(tx);
        }),
        /no_such_table|no such table/,
      );
      await db.transaction(async (tx) => {
        await tables(tx).insertInto('t').values({ id: 1, v: 'after' }).execute();
      });
      assert.deepEqual(await rows(), ['after']);
    });

    it('leaves writes outside a transaction and writes that return rows waiting as before', async (t) => {
      const { db, k, tables } = await open(t, target);
      // Outside a transaction: the error comes at the call.
      await k.insertInto('t').values({ id: 1, v: 'taken' }).execute();
      await assert.rejects(
        deferWrites(() => k.insertInto('t').values({ id: 2, v: 'taken' }).execute()),
        (e: unknown) => isDuplicate(e),
      );
      // RETURNING: the caller reads the answer, so it waits for it.
      const got = await db.transaction((tx) =>
        deferWrites(() =>
          tables(tx).insertInto('t').values({ id: 3, v: 'r' }).returning('v').executeTakeFirstOrThrow(),
        ),
      );
      assert.equal(got.v, 'r');
    });
  });
}

describe('names of prepared statements', () => {
  it('names a text the second time it is seen, the same name after, up to the limit', () => {
    const names = new StatementNames(2);
    const a = 'select * from t where id = $1';
    assert.equal(names.nameOf(a), undefined);
    const name = names.nameOf(a);
    assert.ok(name);
    assert.equal(names.nameOf(a), name);
    assert.equal(names.nameOf('begin'), undefined);
    assert.equal(names.nameOf('begin'), undefined);
    const b = 'insert into t (id, v) values ($1, $2)';
    names.nameOf(b);
    const nameB = names.nameOf(b);
    assert.ok(nameB && nameB !== name);
    // The limit is reached: a third text stays unnamed, the two named keep their names.
    const c = 'update t set v = $1 where id = $2';
    names.nameOf(c);
    assert.equal(names.nameOf(c), undefined);
    assert.equal(names.nameOf(a), name);
    names.forget();
    assert.equal(names.size, 0);
    names.nameOf(a);
    const again = names.nameOf(a);
    assert.ok(again && again !== name, 'a new name after forget()');
  });
});

const postgres = targets.find((t) => t.name === 'postgres');
describe('statements kept prepared on PostgreSQL', { skip: !postgres }, () => {
  it('prepares a repeated statement once per connection, and outlives a table that changed shape', async (t) => {
    const { db, tables } = await open(t, postgres!);
    const prepared = (tx: unknown) =>
      sql<{ statement: string }>`select statement from pg_prepared_statements`
        .execute(tx as Kysely<unknown>)
        .then((r) => r.rows.map((x) => x.statement));
    const select = (tx: unknown) => tables(tx).selectFrom('t').selectAll().where('id', '=', 1).execute();
    // One connection throughout (a transaction holds it): the second run is prepared, the third reuses it.
    const seen = await db.transaction(async (tx) => {
      await tables(tx).insertInto('t').values({ id: 1, v: 'a' }).execute();
      await select(tx);
      await select(tx);
      const rows = await select(tx);
      return { rows, statements: await prepared(tx) };
    });
    assert.deepEqual(seen.rows, [{ id: 1, v: 'a' }]);
    assert.equal(seen.statements.filter((s) => /from "t" where "id" = \$1/.test(s)).length, 1);
    // Another process adds a column: the prepared `select *` now answers another shape, which the
    // server refuses; the names are forgotten and the transaction runs again, preparing it anew.
    const text = tables(db.kysely).selectFrom('t').selectAll().where('id', '=', 1).compile().sql;
    const before = statementNames.nameOf(text);
    assert.ok(before, 'named once run twice');
    await sql`alter table t add column w text`.execute(db.kysely);
    for (let i = 0; i < 12; i++) {
      const rows = await db.transaction(async (tx) => select(tx));
      assert.deepEqual(rows, [{ id: 1, v: 'a', w: null }]);
    }
    const after = statementNames.nameOf(text);
    assert.ok(after && after !== before, `named ${before}, then ${after}`);
  });
});
