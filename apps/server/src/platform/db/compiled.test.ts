import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type TestDatabase, testTargets } from '../../testing/databases.ts';
import { prepared, preparedList, preparedShapes } from './compiled.ts';
import { Db } from './database.ts';

interface Probe {
  probe: { id: number; code: string; grp: string; qty: number };
}
/** The probe table is not part of the schema: the builders see the database through this type. */
const probe = (db: unknown) => db as Kysely<Probe>;

const byGroup = prepared((db, grp: string, limit: number) =>
  probe(db)
    .selectFrom('probe')
    .select(['id', 'code', 'qty'])
    .where('grp', '=', grp)
    .orderBy('id')
    .limit(limit),
);
const byCode = preparedShapes(
  (shape: 'exact' | 'prefix') => (db, code: string) =>
    probe(db)
      .selectFrom('probe')
      .select('id')
      .where('code', shape === 'exact' ? '=' : 'like', code)
      .orderBy('id'),
);
const byIds = preparedList((db, ids: readonly number[]) =>
  probe(db).selectFrom('probe').select('id').where('id', 'in', ids).orderBy('id'),
);

for (const target of await testTargets()) {
  describe(`compiled queries on ${target.name}`, () => {
    let database: TestDatabase;
    let db: Db;

    before(async () => {
      database = await target.create();
      db = Db.open({ url: database.url, sqliteFile: path.join(database.dataDir, 'takt.db') });
      await sql`create table probe (id integer primary key, code text not null, grp text not null, qty integer not null)`.execute(
        db.kysely,
      );
      for (let id = 1; id <= 100; id++)
        await sql`insert into probe (id, code, grp, qty) values (${id}, ${`P-${id}`}, ${id % 2 ? 'odd' : 'even'}, ${id * 10})`.execute(
          db.kysely,
        );
    });
    after(async () => {
      await db.close();
      await database.drop();
    });

    it('runs one compiled query with new arguments each time and returns what the built query returns', async () => {
      for (const [grp, limit] of [
        ['odd', 3],
        ['even', 2],
        ['none', 5],
      ] as const) {
        const built = await probe(db.kysely)
          .selectFrom('probe')
          .select(['id', 'code', 'qty'])
          .where('grp', '=', grp)
          .orderBy('id')
          .limit(limit)
          .execute();
        const rows = await byGroup.all(db.kysely, grp, limit);
        assert.deepEqual(
          rows.map((r) => ({ ...r, qty: Number(r.qty) })),
          built.map((r) => ({ ...r, qty: Number(r.qty) })),
        );
      }
      assert.deepEqual(await byGroup.all(db.kysely, 'odd', 2), [
        { id: 1, code: 'P-1', qty: 10 },
        { id: 3, code: 'P-3', qty: 30 },
      ]);
      assert.equal((await byGroup.first(db.kysely, 'even', 10))?.code, 'P-2');
      assert.equal(await byGroup.first(db.kysely, 'none', 10), undefined);
    });

    it('keeps one compiled query per shape', async () => {
      assert.deepEqual(await byCode('exact').all(db.kysely, 'P-7'), [{ id: 7 }]);
      assert.deepEqual(
        (await byCode('prefix').all(db.kysely, 'P-9%')).map((r) => r.id),
        [9, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99],
      );
      assert.deepEqual(await byCode('exact').all(db.kysely, 'P-8'), [{ id: 8 }]);
    });

    it('runs list queries of any length, short ones compiled once per length', async () => {
      assert.deepEqual(await byIds(db.kysely, [5]), [{ id: 5 }]);
      assert.deepEqual(await byIds(db.kysely, [9, 2, 4]), [{ id: 2 }, { id: 4 }, { id: 9 }]);
      assert.deepEqual(await byIds(db.kysely, [6]), [{ id: 6 }]);
      const many = Array.from({ length: 80 }, (_, i) => i + 11);
      assert.deepEqual(
        (await byIds(db.kysely, many)).map((r) => r.id),
        many,
      );
    });

    it('reads inside a transaction what the transaction wrote, and nothing once it rolled back', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await sql`insert into probe (id, code, grp, qty) values (1000, 'P-1000', 'new', 1)`.execute(tx);
          assert.deepEqual(await byGroup.all(tx, 'new', 5), [{ id: 1000, code: 'P-1000', qty: 1 }]);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(await byGroup.all(db.kysely, 'new', 5), []);
    });

    it('refuses a build that computes with an argument instead of passing it to the query', async () => {
      const contains = prepared((d, text: string) =>
        probe(d).selectFrom('probe').select('id').where('code', 'like', `%${text}%`),
      );
      await assert.rejects(contains.all(db.kysely, 'P-1'), /argument 0 is not a parameter/);
    });
  });
}

describe('SQLite rows', () => {
  it('are plain objects that follow schema changes made through the database handle', async () => {
    const db = Db.open({ url: null, sqliteFile: ':memory:' });
    await sql`create table t (a integer)`.execute(db.kysely);
    await sql`insert into t (a) values (1)`.execute(db.kysely);
    const all = () => sql<Record<string, unknown>>`select * from t`.execute(db.kysely);
    // The first run of a statement and the later ones build their rows differently.
    for (let run = 0; run < 3; run++) {
      const [row] = (await all()).rows;
      assert.deepEqual(row, { a: 1 });
      assert.equal(Object.getPrototypeOf(row), Object.prototype);
    }
    await sql`alter table t add column b text default 'x'`.execute(db.kysely);
    assert.deepEqual((await all()).rows, [{ a: 1, b: 'x' }]);
    await db.close();
  });

  it('keep the last of duplicate column names and take any column name as a plain key', async () => {
    const db = Db.open({ url: null, sqliteFile: ':memory:' });
    for (let run = 0; run < 3; run++) {
      const dup = await sql<Record<string, unknown>>`select 1 as a, 2 as a`.execute(db.kysely);
      assert.deepEqual(dup.rows, [{ a: 2 }]);
      const odd = await sql<
        Record<string, unknown>
      >`select 1 as "__proto__", 2 as "x""y", 3 as "constructor"`.execute(db.kysely);
      const [row] = odd.rows;
      assert.equal(Object.hasOwn(row!, '__proto__'), true);
      assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 1);
      assert.equal(row!['x"y'], 2);
      assert.equal(row!.constructor, 3);
    }
    await db.close();
  });
});
