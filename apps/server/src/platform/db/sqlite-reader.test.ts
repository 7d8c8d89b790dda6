import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it, type TestContext } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { Db } from './database.ts';
import { openSqliteReader, readsOnly } from './sqlite-dialect.ts';

type Tables = {
  t: { id: number; v: string };
};

const DATABASE_TS = new URL('./database.ts', import.meta.url).href;

/** A database file in a directory of its own, removed once every test (and its Db) is done. */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-reader-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(root, 'db-')), 'takt.db');
}

async function openWithTable(t: TestContext, file = tempFile()): Promise<{ db: Db; k: Kysely<Tables> }> {
  const db = Db.open({ url: null, sqliteFile: file });
  t.after(() => db.close());
  await sql`create table if not exists t (id integer primary key, v text not null)`.execute(db.kysely);
  return { db, k: db.kysely.withTables<Tables>() as unknown as Kysely<Tables> };
}

/** A write transaction that stays open until `release()` is called; then commits, or throws `error`. */
function holdTransaction(db: Db, body: (tx: Kysely<Tables>) => Promise<void>, error?: Error) {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let opened!: () => void;
  const open = new Promise<void>((r) => {
    opened = r;
  });
  const done = db.transaction(async (tx) => {
    await body(tx.withTables<Tables>() as unknown as Kysely<Tables>);
    opened();
    await released;
    if (error) throw error;
  });
  return { open, release, done };
}

const values = async (k: Kysely<Tables>) =>
  (await k.selectFrom('t').select('v').orderBy('id').execute()).map((r) => r.v);

/** Settles `p` into a flag, so a test can tell whether it is still waiting. */
function track<T>(p: Promise<T>): { readonly settled: () => boolean; readonly promise: Promise<T> } {
  let settled = false;
  const promise = p.finally(() => {
    settled = true;
  });
  return { settled: () => settled, promise };
}

/** Runs an ES module script in a fresh Node process; resolves with its exit code, signal and output. */
function runScript(code: string, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`script still running after ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, out });
      });
    },
  );
}

describe('SQLite file database with a read connection', () => {
  it('answers reads outside a held write transaction with committed rows only', async (t) => {
    const { db, k } = await openWithTable(t);
    await k.insertInto('t').values({ id: 1, v: 'committed' }).execute();
    const held = holdTransaction(db, async (tx) => {
      await tx.insertInto('t').values({ id: 2, v: 'uncommitted' }).execute();
    });
    await held.open;
    assert.deepEqual(await values(k), ['committed']);
    const raw = await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely);
    assert.equal(raw.rows[0]!.n, 1);
    held.release();
    await held.done;
    assert.deepEqual(await values(k), ['committed', 'uncommitted']);
  });

  it('makes a write outside the transaction wait until it ends, then applies it', async (t) => {
    const { db, k } = await openWithTable(t);
    const held = holdTransaction(db, async (tx) => {
      await tx.insertInto('t').values({ id: 1, v: 'first' }).execute();
    });
    await held.open;
    const outside = track(k.insertInto('t').values({ id: 2, v: 'second' }).execute());
    const raw = track(sql`insert into t (id, v) values (3, 'raw')`.execute(db.kysely));
    const another = track(
      db.transaction(async (tx) => {
        await sql`insert into t (id, v) values (4, 'next transaction')`.execute(tx);
      }),
    );
    await sleep(50);
    assert.equal(outside.settled() || raw.settled() || another.settled(), false);
    assert.deepEqual(await values(k), []);
    held.release();
    await Promise.all([held.done, outside.promise, raw.promise, another.promise]);
    assert.deepEqual(await values(k), ['first', 'second', 'raw', 'next transaction']);
  });

  it('hands the writer on after a rollback, with nothing of the rolled back transaction left', async (t) => {
    const { db, k } = await openWithTable(t);
    const failing = holdTransaction(
      db,
      async (tx) => {
        await tx.insertInto('t').values({ id: 1, v: 'rolled back' }).execute();
      },
      new Error('refused'),
    );
    await failing.open;
    const waiting = track(k.insertInto('t').values({ id: 2, v: 'after' }).execute());
    await sleep(30);
    assert.equal(waiting.settled(), false);
    failing.release();
    await assert.rejects(failing.done, /refused/);
    await waiting.promise;
    assert.deepEqual(await values(k), ['after']);
    // A failed statement inside a transaction rolls back too, and the writer is free again.
    await assert.rejects(
      db.transaction(async (tx) => {
        await sql`insert into t (id, v) values (3, 'x')`.execute(tx);
        await sql`insert into t (id, v) values (3, 'duplicate')`.execute(tx);
      }),
      /UNIQUE/,
    );
    await db.transaction(async (tx) => {
      await sql`insert into t (id, v) values (4, 'later')`.execute(tx);
    });
    assert.deepEqual(await values(k), ['after', 'later']);
  });

  it('keeps savepoints of a transaction on the writer while reads go on outside it', async (t) => {
    const { db, k } = await openWithTable(t);
    const trx = await db.kysely.withTables<Tables>().startTransaction().execute();
    const tx = trx as unknown as Kysely<Tables>;
    await tx.insertInto('t').values({ id: 1, v: 'kept' }).execute();
    const sp = await trx.savepoint('sp1').execute();
    await (sp as unknown as Kysely<Tables>).insertInto('t').values({ id: 2, v: 'undone' }).execute();
    assert.deepEqual(await values(sp as unknown as Kysely<Tables>), ['kept', 'undone']);
    const back = await sp.rollbackToSavepoint('sp1').execute();
    const sp2 = await back.savepoint('sp2').execute();
    await (sp2 as unknown as Kysely<Tables>).insertInto('t').values({ id: 3, v: 'released' }).execute();
    const after = await sp2.releaseSavepoint('sp2').execute();
    // Outside the transaction nothing of it shows yet, and the read does not wait for it.
    assert.deepEqual(await values(k), []);
    await after.commit().execute();
    assert.deepEqual(await values(k), ['kept', 'released']);
  });

  it('streams a read on a connection of its own, while later reads see later commits', async (t) => {
    const { db, k } = await openWithTable(t);
    await db.transaction(async (tx) => {
      for (let i = 1; i <= 100; i++)
        await sql`insert into t (id, v) values (${i}, ${`row ${i}`})`.execute(tx);
    });
    const held = holdTransaction(db, async (tx) => {
      await tx.insertInto('t').values({ id: 1000, v: 'uncommitted' }).execute();
    });
    await held.open;
    let streamed = 0;
    for await (const row of k.selectFrom('t').select(['id', 'v']).orderBy('id').stream()) {
      streamed++;
      if (row.id === 50) {
        // Mid-stream: a write commits, and a plain read sees it (the stream keeps its own snapshot).
        held.release();
        await held.done;
        await k.insertInto('t').values({ id: 2000, v: 'after' }).execute();
        const seen = await k.selectFrom('t').select('id').where('id', 'in', [1000, 2000]).execute();
        assert.equal(seen.length, 2);
      }
    }
    assert.equal(streamed, 100);
    // Inside a transaction a stream runs on the writer and sees the transaction's own rows.
    await db.transaction(async (tx) => {
      await sql`insert into t (id, v) values (3000, 'own')`.execute(tx);
      let inside = 0;
      for await (const _ of (tx.withTables<Tables>() as unknown as Kysely<Tables>)
        .selectFrom('t')
        .select('id')
        .stream())
        inside++;
      assert.equal(inside, 103);
    });
  });

  it('routes every writing statement to the writer, and the reader refuses writes', async (t) => {
    const file = tempFile();
    const { db, k } = await openWithTable(t, file);
    // Raw writes outside a transaction, including those that start like a read.
    await sql`insert into t (id, v) values (1, 'raw insert')`.execute(db.kysely);
    await sql`with n(x) as (select 2) insert into t (id, v) select x, 'with insert' from n`.execute(
      db.kysely,
    );
    await sql`update t set v = 'raw update' where id = 1`.execute(db.kysely);
    await sql`with n(x) as (select 1) delete from t where id in (select x from n)`.execute(db.kysely);
    const returned = await sql<{
      id: number;
    }>`insert into t (id, v) values (5, 'returning') returning id`.execute(db.kysely);
    assert.deepEqual(returned.rows, [{ id: 5 }]);
    const built = await k.insertInto('t').values({ id: 6, v: 'built' }).returning('id').executeTakeFirst();
    assert.equal(built?.id, 6);
    await sql`pragma user_version = 7`.execute(db.kysely);
    assert.deepEqual(await values(k), ['with insert', 'returning', 'built']);
    const version = await sql<{ user_version: number }>`pragma user_version`.execute(db.kysely);
    assert.equal(version.rows[0]!.user_version, 7);
    // A read naming a writing word in a literal or a quoted name is still a read.
    const quoted = await sql<{ v: string }>`select v as "update" from t where v <> 'delete me'`.execute(
      db.kysely,
    );
    assert.equal(quoted.rows.length, 3);

    const reader = openSqliteReader(file);
    t.after(() => reader.close());
    assert.throws(
      () => reader.exec(`insert into t (id, v) values (9, 'x')`),
      /readonly|read-only|query_only/i,
    );
  });

  it('classifies only reading statements as reads', () => {
    const raw = (text: string) => readsOnly(CompiledQuery.raw(text));
    assert.equal(raw('select * from t'), true);
    assert.equal(raw('  WITH x AS (select 1) SELECT * FROM x'), true);
    assert.equal(raw(`select * from t where v = 'insert into t'`), true);
    assert.equal(raw(`select * from pragma_table_info('t')`), true);
    assert.equal(raw('with x as (select 1) insert into t select * from x'), false);
    assert.equal(raw('with x as (select 1) update t set v = 1'), false);
    assert.equal(raw('with x as (select 1) delete from t'), false);
    assert.equal(raw('with x as (select 1) replace into t select * from x'), false);
    assert.equal(raw(`with x as (select 'it''s') insert into t select * from x`), false);
    assert.equal(raw('insert into t (v) values (1) returning *'), false);
    assert.equal(raw('pragma user_version = 1'), false);
    assert.equal(raw('pragma table_info(t)'), false);
    assert.equal(raw('/* note */ select 1'), false);
    assert.equal(raw('vacuum'), false);
    const db = Db.open({ url: null, sqliteFile: ':memory:' });
    const k = db.kysely.withTables<Tables>() as unknown as Kysely<Tables>;
    assert.equal(readsOnly(k.selectFrom('t').selectAll().compile()), true);
    assert.equal(readsOnly(k.insertInto('t').values({ id: 1, v: 'a' }).returning('id').compile()), false);
    assert.equal(
      readsOnly(
        k
          .with('x', (q) => q.selectFrom('t').select(['id', 'v']))
          .insertInto('t')
          .expression((e) => e.selectFrom('x').select(['id', 'v']))
          .compile(),
      ),
      false,
    );
    assert.equal(readsOnly(k.updateTable('t').set({ v: 'b' }).compile()), false);
    assert.equal(readsOnly(k.deleteFrom('t').compile()), false);
    assert.equal(readsOnly(k.schema.createTable('u').addColumn('id', 'integer').compile()), false);
    return db.close();
  });

  it('keeps one connection for :memory: databases, and on request for files', async (t) => {
    const memory = Db.open({ url: null, sqliteFile: ':memory:' });
    t.after(() => memory.close());
    assert.equal(memory.kysely.getExecutor().adapter.supportsMultipleConnections, false);
    await sql`create table t (id integer primary key, v text)`.execute(memory.kysely);
    await memory.transaction(async (tx) => {
      await sql`insert into t (id, v) values (1, 'a')`.execute(tx);
    });
    assert.equal(
      (await sql<{ n: number }>`select count(*) as n from t`.execute(memory.kysely)).rows[0]!.n,
      1,
    );
    const single = Db.open({ url: null, sqliteFile: tempFile(), sqliteReader: false });
    t.after(() => single.close());
    assert.equal(single.kysely.getExecutor().adapter.supportsMultipleConnections, false);
    const { db } = await openWithTable(t);
    assert.equal(db.kysely.getExecutor().adapter.supportsMultipleConnections, true);
  });

  it('checkpoints the log in its own thread, not inside the commit', async (t) => {
    const file = tempFile();
    const { db } = await openWithTable(t, file);
    const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely);
    assert.deepEqual(auto.rows, [{ wal_autocheckpoint: 0 }]);
    const before = fs.statSync(file).size;
    // About 8 MB of log: far more than the 1,000 pages after which a commit would checkpoint itself.
    await db.transaction(async (tx) => {
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 40000)
        insert into t (v) select hex(randomblob(100)) from n`.execute(tx);
    });
    assert.ok(fs.statSync(`${file}-wal`).size > 8_000_000, 'the log holds the transaction');
    const deadline = Date.now() + 30_000;
    while (fs.statSync(file).size < before + 8_000_000 && Date.now() < deadline) await sleep(50);
    assert.ok(fs.statSync(file).size > before + 8_000_000, 'the checkpoint thread copied the log');
  });

  it('starts a long log again while writes never pause', async (t) => {
    const file = tempFile();
    // A log counts as long from 64 frames here (8,192 in a server), so this test writes little.
    const db = Db.open({ url: null, sqliteFile: file, longLogFrames: 64 });
    t.after(() => db.close());
    await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
    const pragma = async (name: 'page_count') =>
      Number(Object.values((await sql.raw(`pragma ${name}`).execute(db.kysely)).rows[0] as object)[0]);
    // Small transactions (two pages or so, as a shop-floor report writes) one after the other for
    // 3 s, with only a turn of the event loop between them (as requests have): never a pause in
    // which the checkpoint thread could copy the whole log.
    const deadline = Date.now() + 3000;
    let transactions = 0;
    while (Date.now() < deadline) {
      const i = transactions++;
      await db.transaction(async (tx) => {
        await tx
          .withTables<Tables>()
          .insertInto('t')
          .values(
            Array.from({ length: 8 }, (_, j) => ({ id: i * 8 + j + 1, v: `${i}-${j}-${'x'.repeat(1000)}` })),
          )
          .execute();
      });
      await new Promise((r) => setImmediate(r));
    }
    // Every page of the table went through the log at least once.
    const pages = await pragma('page_count');
    // The log's length now (frames since it last started again), from a connection of its own.
    const probe = new DatabaseSync(file);
    const { log } = probe.prepare('pragma wal_checkpoint(passive)').get() as { log: number };
    probe.close();
    assert.ok(pages > 5000, `enough written to tell (${pages} pages in ${transactions} transactions)`);
    assert.ok(db.commitCounts!.catchUps > 0, 'the writer caught up');
    assert.ok(log < pages / 4, `the log holds ${log} frames after ${pages} pages went through it`);
    // Started again, its file is cut back to the size limit (64 MB) when it had grown past it.
    assert.ok(fs.statSync(`${file}-wal`).size <= 64 * 1024 * 1024 + 65536);
  });

  it('ends with Db.close(): no thread keeps the process alive', async () => {
    const file = tempFile();
    const { code, signal, out } = await runScript(`
      import { Db } from ${JSON.stringify(DATABASE_TS)};
      import { sql } from 'kysely';
      const db = Db.open({ url: null, sqliteFile: ${JSON.stringify(file)} });
      await sql\`create table t (id integer primary key, v text)\`.execute(db.kysely);
      await db.transaction((tx) => sql\`insert into t (v) values ('a')\`.execute(tx));
      await new Promise((r) => setTimeout(r, 700)); // a checkpoint round or more
      await db.close();
      console.log('closed');
    `);
    assert.equal(signal, null, out);
    assert.equal(code, 0, out);
    assert.match(out, /closed/);
  });

  it('keeps a committed transaction when the process dies before any checkpoint or close', async (t) => {
    const file = tempFile();
    const { signal, out } = await runScript(`
      import { Db } from ${JSON.stringify(DATABASE_TS)};
      import { sql } from 'kysely';
      const db = Db.open({ url: null, sqliteFile: ${JSON.stringify(file)} });
      await sql\`create table t (id integer primary key, v text)\`.execute(db.kysely);
      await db.transaction(async (tx) => {
        for (let i = 1; i <= 500; i++) await sql\`insert into t (id, v) values (\${i}, 'kept')\`.execute(tx);
      });
      const open = db.transaction(async (tx) => {
        await sql\`insert into t (id, v) values (1000, 'lost')\`.execute(tx);
        console.log('committed');
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => {});
      });
      await open;
    `);
    assert.equal(signal, 'SIGKILL', out);
    assert.match(out, /committed/);
    const { k } = await openWithTable(t, file);
    const rows = await k.selectFrom('t').select(['id', 'v']).execute();
    assert.equal(rows.length, 500);
    assert.ok(rows.every((r) => r.v === 'kept'));
  });
});
