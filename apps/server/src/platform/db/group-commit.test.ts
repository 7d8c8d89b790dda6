import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { type Generated, type Kysely, sql } from 'kysely';
import { Db } from './database.ts';
import { GROUP_COMMIT_LIMITS, type GroupCommitLimits } from './sqlite-dialect.ts';

type Tables = {
  t: { id: Generated<number>; v: string };
  child: { id: number; t_id: number };
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-group-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Groups stay open as long as a test needs (a slow machine must not commit them early) unless told. */
const PATIENT: GroupCommitLimits = { members: GROUP_COMMIT_LIMITS.members, ms: 60_000 };

async function open(t: TestContext, groupCommit = PATIENT): Promise<{ db: Db; k: Kysely<Tables> }> {
  const file = path.join(fs.mkdtempSync(path.join(root, 'db-')), 'takt.db');
  const db = Db.open({ url: null, sqliteFile: file, groupCommit });
  t.after(() => db.close());
  await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
  // Checked at COMMIT, so a member can release its savepoint and still make the shared COMMIT fail.
  await sql`create table child (id integer primary key,
    t_id integer not null references t(id) deferrable initially deferred)`.execute(db.kysely);
  return { db, k: db.kysely.withTables<Tables>() as unknown as Kysely<Tables> };
}

const GROUP = { groupCommit: true } as const;
const tables = (tx: unknown) => (tx as Kysely<Tables>).withTables<Tables>() as unknown as Kysely<Tables>;

/** Rows as the read connection sees them: committed rows only. */
const committed = async (k: Kysely<Tables>) =>
  (await k.selectFrom('t').select('v').orderBy('id').execute()).map((r) => r.v);

/** A transaction that inserts `v`, then waits for `release()` before it ends (throwing `error`). */
function held(db: Db, v: string, options: { groupCommit: boolean }, error?: Error) {
  return holding(
    db,
    options,
    (tx) => tx.insertInto('t').values({ v }).execute(),
    async () => {
      if (error) throw error;
    },
  );
}

/** A transaction that runs `body`, then waits for `release()` before it runs `end` and ends. */
function holding(
  db: Db,
  options: { groupCommit: boolean },
  body: (tx: Kysely<Tables>) => Promise<unknown>,
  end: (tx: Kysely<Tables>) => Promise<unknown>,
) {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let opened!: () => void;
  const inside = new Promise<void>((r) => {
    opened = r;
  });
  let settled = false;
  const done = db
    .transaction(async (tx) => {
      await body(tables(tx));
      opened();
      await released;
      await end(tables(tx));
    }, options)
    .finally(() => {
      settled = true;
    });
  done.catch(() => {});
  return { inside, release, done, settled: () => settled };
}

describe('group commit (SQLite file)', () => {
  it('lets transactions that run at once share commits, each returning only once its rows are committed', async (t) => {
    const { db, k } = await open(t);
    const before = { ...db.commitCounts! };
    const seen: boolean[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db
          .transaction(async (tx) => {
            await tables(tx)
              .insertInto('t')
              .values({ v: `r${i}` })
              .execute();
          }, GROUP)
          // The read connection sees only committed rows: the row is there when the call returns.
          .then(async () => seen.push((await committed(k)).includes(`r${i}`))),
      ),
    );
    assert.equal(seen.length, 40);
    assert.ok(seen.every(Boolean));
    assert.equal((await committed(k)).length, 40);
    const after = db.commitCounts!;
    assert.equal(after.transactions - before.transactions, 40);
    const commits = after.commits - before.commits;
    assert.ok(commits >= 1 && commits < 40, `40 transactions took ${commits} commits`);
  });

  it('keeps a member waiting while the group stays open for the next member, and hides its rows until then', async (t) => {
    const { db, k } = await open(t);
    const a = held(db, 'a', GROUP);
    await a.inside;
    const b = held(db, 'b', GROUP);
    await sleep(5); // b waits for the writer
    a.release();
    await b.inside; // the writer went to b with a's work still in the open transaction
    await sleep(5);
    assert.equal(a.settled(), false, "a must not return before the group's COMMIT");
    assert.deepEqual(await committed(k), []);
    b.release();
    await Promise.all([a.done, b.done]);
    assert.deepEqual(await committed(k), ['a', 'b']);
  });

  it('commits the group before a transaction that does not join it takes the writer', async (t) => {
    const { db, k } = await open(t);
    const a = held(db, 'a', GROUP);
    await a.inside;
    const plain = held(db, 'plain', { groupCommit: false });
    const write = k.insertInto('t').values({ v: 'outside' }).execute(); // a write outside a transaction
    await sleep(5);
    a.release();
    await a.done;
    assert.deepEqual(await committed(k), ['a']);
    await plain.inside;
    plain.release();
    await Promise.all([plain.done, write]);
    assert.deepEqual(await committed(k), ['a', 'plain', 'outside']);
  });

  it('commits a group that has been open its time although the next member waits to join', async (t) => {
    const { db, k } = await open(t, { members: 64, ms: 0 });
    const a = held(db, 'a', GROUP);
    await a.inside;
    const b = held(db, 'b', GROUP);
    await sleep(5);
    a.release();
    await a.done;
    assert.deepEqual(await committed(k), ['a']);
    await b.inside;
    b.release();
    await b.done;
    assert.deepEqual(await committed(k), ['a', 'b']);
  });

  it('rolls back only the member that failed', async (t) => {
    const { db, k } = await open(t);
    const a = held(db, 'a', GROUP);
    await a.inside;
    const b = held(db, 'b', GROUP, new Error('refused'));
    const c = held(db, 'c', GROUP);
    await sleep(5);
    a.release();
    await b.inside;
    b.release();
    await c.inside;
    c.release();
    await assert.rejects(b.done, /refused/);
    await Promise.all([a.done, c.done]);
    assert.deepEqual(await committed(k), ['a', 'c']);
  });

  it('fails every member when the shared COMMIT fails, and the database goes on working', async (t) => {
    const { db, k } = await open(t);
    const a = held(db, 'a', GROUP);
    await a.inside;
    const b = holding(
      db,
      GROUP,
      // A deferred foreign key: the savepoint is released fine, the COMMIT refuses.
      (tx) => tx.insertInto('child').values({ id: 1, t_id: 999 }).execute(),
      async () => {},
    );
    await sleep(5);
    a.release();
    await b.inside;
    b.release();
    await assert.rejects(a.done, /FOREIGN KEY/);
    await assert.rejects(b.done, /FOREIGN KEY/);
    assert.deepEqual(await committed(k), []);
    await db.transaction(async (tx) => {
      await tables(tx).insertInto('t').values({ v: 'next' }).execute();
    }, GROUP);
    assert.deepEqual(await committed(k), ['next']);
  });

  it('fails every member when the database ends the shared transaction itself', async (t) => {
    const { db, k } = await open(t);
    const a = held(db, 'a', GROUP);
    await a.inside;
    const b = holding(
      db,
      GROUP,
      (tx) => tx.insertInto('t').values({ v: 'b' }).execute(),
      // As SQLite does on some errors (a full disk): the whole transaction is gone.
      (tx) => sql`rollback`.execute(tx),
    );
    await sleep(5);
    a.release();
    await b.inside;
    b.release();
    await assert.rejects(a.done, /rolled back/);
    await assert.rejects(b.done, /rolled back/);
    assert.deepEqual(await committed(k), []);
    await k.insertInto('t').values({ v: 'next' }).execute();
    assert.deepEqual(await committed(k), ['next']);
  });

  it(`commits after ${GROUP_COMMIT_LIMITS.members} members even while more wait`, async (t) => {
    const { db, k } = await open(t);
    const before = { ...db.commitCounts! };
    const n = GROUP_COMMIT_LIMITS.members * 3;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        db.transaction(async (tx) => {
          await tables(tx)
            .insertInto('t')
            .values({ v: `r${i}` })
            .execute();
        }, GROUP),
      ),
    );
    assert.equal((await committed(k)).length, n);
    assert.ok(db.commitCounts!.commits - before.commits >= 3);
  });

  it('keeps exactly the members that did not fail, whatever the mix (property)', async (t) => {
    const { db, k } = await open(t);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ rows: fc.integer({ min: 0, max: 3 }), fails: fc.boolean(), plain: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        async (members) => {
          await k.deleteFrom('t').execute();
          const outcomes = await Promise.allSettled(
            members.map((m, i) =>
              db.transaction(
                async (tx) => {
                  for (let r = 0; r < m.rows; r++)
                    await tables(tx)
                      .insertInto('t')
                      .values({ v: `m${i}.${r}` })
                      .execute();
                  if (m.fails) throw new Error(`member ${i} fails`);
                },
                { groupCommit: !m.plain },
              ),
            ),
          );
          const expected = members.flatMap((m, i) =>
            m.fails ? [] : Array.from({ length: m.rows }, (_, r) => `m${i}.${r}`),
          );
          assert.deepEqual(
            outcomes.map((o) => o.status),
            members.map((m) => (m.fails ? 'rejected' : 'fulfilled')),
          );
          assert.deepEqual((await committed(k)).sort(), expected.sort());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps every member that was told it committed, and no half of any member, after SIGKILL', async () => {
    const file = path.join(fs.mkdtempSync(path.join(root, 'crash-')), 'takt.db');
    // A process committing members of two rows each, in bursts that share commits, printing each
    // member once its commit returned; it is killed in the middle of a burst.
    const code = `
      import { sql } from 'kysely';
      const { Db } = await import(${JSON.stringify(new URL('./database.ts', import.meta.url).href)});
      const db = Db.open({ url: null, sqliteFile: ${JSON.stringify(file)} });
      await sql\`create table t (id integer primary key, v text not null)\`.execute(db.kysely);
      await sql\`create table u (id integer primary key, t_id integer not null)\`.execute(db.kysely);
      process.stdout.write('ready\\n');
      for (let burst = 0; ; burst++) {
        await Promise.all(Array.from({ length: 20 }, (_, i) => {
          const id = burst * 100 + i;
          return db.transaction(async (tx) => {
            await sql\`insert into t (id, v) values (\${id}, 'x')\`.execute(tx);
            await sql\`insert into u (id, t_id) values (\${id}, \${id})\`.execute(tx);
          }, { groupCommit: true }).then(() => process.stdout.write(id + '\\n'));
        }));
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const acknowledged = await new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no burst of acknowledgements in 30 s: ${err}`));
      }, 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const ids = out.split('\n').filter((l) => /^\d+$/.test(l));
        if (ids.length >= 400) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve(ids.map(Number));
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    const db = Db.open({ url: null, sqliteFile: file });
    try {
      const t = new Set(
        (await sql<{ id: number }>`select id from t`.execute(db.kysely)).rows.map((r) => r.id),
      );
      const u = new Set(
        (await sql<{ id: number }>`select id from u`.execute(db.kysely)).rows.map((r) => r.id),
      );
      const lost = acknowledged.filter((id) => !t.has(id) || !u.has(id));
      assert.deepEqual(lost, [], 'acknowledged members missing after the crash');
      assert.deepEqual(
        [...t].filter((id) => !u.has(id)),
        [],
        'members with one row of two',
      );
      assert.deepEqual(
        [...u].filter((id) => !t.has(id)),
        [],
        'members with one row of two',
      );
      assert.ok(db.commitCounts, 'a file database');
    } finally {
      await db.close();
    }
  });

  it('is ignored by a database in memory', async () => {
    const db = Db.open({ url: null, sqliteFile: ':memory:' });
    try {
      await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
      await Promise.all(
        [1, 2, 3].map((i) =>
          db.transaction(async (tx) => {
            await tables(tx)
              .insertInto('t')
              .values({ v: `r${i}` })
              .execute();
          }, GROUP),
        ),
      );
      assert.equal(db.commitCounts, null);
      const rows = await tables(db.kysely).selectFrom('t').select('v').execute();
      assert.equal(rows.length, 3);
    } finally {
      await db.close();
    }
  });
});
