import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createRuntime } from '../../runtime.ts';
import { redisUrlIfReachable, testTargets } from '../../testing/databases.ts';
import { insertBom, insertMachine, insertRouting, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness, testConfig, waitFor } from '../../testing/harness.ts';
import { TableVersions, tablesRead, tablesWritten, trackReads } from '../db/table-versions.ts';

describe('table versions', () => {
  it('tells a change after the clock reading from one before it', () => {
    const v = new TableVersions();
    v.bump(['items']);
    const epoch = v.epoch;
    assert.equal(v.changedSince(['items', 'work_orders'], epoch), false);
    v.bump(['work_orders']);
    assert.equal(v.changedSince(['items'], epoch), false);
    assert.equal(v.changedSince(['items', 'work_orders'], epoch), true);
    const later = v.epoch;
    v.bumpAll();
    assert.equal(v.changedSince(['anything'], later), true);
  });

  it('reads the tables of builder and raw statements', async (t) => {
    const [target] = await testTargets();
    const h = await startHarness(target!, { demo: false, start: false });
    t.after(() => h.close());
    const k = h.runtime.db.kysely;
    const tables = (c: { query: unknown; sql: string }) => ({
      written: [...tablesWritten(c.query as never, c.sql)].sort(),
      read: [...tablesRead(c.query as never, c.sql)].sort(),
    });
    assert.deepEqual(
      tables(
        k
          .selectFrom('work_orders as wo')
          .innerJoin('items', 'items.id', 'wo.item_id')
          .where('wo.id', 'in', k.selectFrom('work_order_operations').select('work_order_id'))
          .select('wo.id')
          .compile(),
      ),
      { written: [], read: ['items', 'work_order_operations', 'work_orders'] },
    );
    assert.deepEqual(tables(k.updateTable('items').set({ name: 'x' }).where('id', '=', '1').compile()), {
      written: ['items'],
      read: ['items'],
    });
    assert.deepEqual(tables(k.deleteFrom('stock_moves').where('id', '=', '1').compile()).written, [
      'stock_moves',
    ]);
    assert.deepEqual(
      tables(
        k
          .insertInto('outbox')
          .values({ id: '1' } as never)
          .compile(),
      ).written,
      ['outbox'],
    );
    const raw = sql`UPDATE "stock_balances" SET on_hand = 0 WHERE item_id IN (SELECT id FROM items)`.compile(
      k,
    );
    assert.deepEqual(tables(raw), { written: ['stock_balances'], read: ['items'] });
  });

  it('notes what a scope reads, and a transaction bumps what it wrote when it ends, committed or not', async (t) => {
    for (const target of await testTargets()) {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      const seen = new Set<string>();
      await trackReads(seen, async () => {
        await db.kysely.selectFrom('customers').select('id').execute();
        await sql`SELECT count(*) FROM suppliers`.execute(db.kysely);
      });
      assert.deepEqual([...seen].sort(), ['customers', 'suppliers'], target.name);

      const before = db.versions.epoch;
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.updateTable('customers').set({ name: 'never' }).where('id', '=', 'none').execute();
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.ok(db.versions.changedSince(['customers'], before), `${target.name}: a rollback still bumps`);
      assert.ok(!db.versions.changedSince(['suppliers'], before), `${target.name}: nothing else moves`);
    }
  });
});

for (const target of await testTargets()) {
  describe(`read cache on ${target.name}`, () => {
    it('gives a kept answer again until a table it read changes, by whatever path', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const rt = h.runtime;
      const admin = api(rt, await signIn(rt, 'admin', ADMIN_PASSWORD));
      const created = await admin('POST', '/api/v1/items', {
        code: 'RC-1',
        name: 'first',
        type: 'raw',
        uom: 'pcs',
      });
      assert.equal(created.statusCode, 201, created.body);
      const item = created.json() as { id: string; version: number };
      const get = () => admin('GET', `/api/v1/items/${item.id}`);

      const first = await get();
      assert.equal(first.headers['x-read-cache'], 'miss');
      const second = await get();
      assert.equal(second.headers['x-read-cache'], 'hit');
      assert.equal(second.body, first.body);
      assert.match(String(second.headers['content-type']), /application\/json/);

      // Through the API.
      const patched = await admin('PATCH', `/api/v1/items/${item.id}`, {
        name: 'second',
        version: item.version,
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const afterPatch = await get();
      assert.equal(afterPatch.headers['x-read-cache'], 'miss');
      assert.equal((afterPatch.json() as { name: string }).name, 'second');

      // The list of items too, and a write to an unrelated table leaves it kept.
      const list = () => admin('GET', '/api/v1/items?limit=5');
      await list();
      assert.equal((await list()).headers['x-read-cache'], 'hit');
      await rt.db.kysely.updateTable('customers').set({ name: 'x' }).where('id', '=', 'none').execute();
      assert.equal((await list()).headers['x-read-cache'], 'hit');
      await admin('POST', '/api/v1/items', { code: 'RC-2', name: 'another', type: 'raw', uom: 'pcs' });
      const relisted = await list();
      assert.equal(relisted.headers['x-read-cache'], 'miss');
      assert.equal((relisted.json() as { items: unknown[] }).items.length, 2);

      // Straight through the query layer, outside any service.
      assert.equal((await list()).headers['x-read-cache'], 'hit');
      await rt.db.kysely.updateTable('items').set({ name: 'third' }).where('id', '=', item.id).execute();
      const afterRaw = await list();
      assert.equal(afterRaw.headers['x-read-cache'], 'miss');
      assert.ok(afterRaw.body.includes('"third"'), afterRaw.body);

      // The client can ask past it.
      assert.equal(
        (await admin('GET', `/api/v1/items/${item.id}`, undefined, { 'cache-control': 'no-cache' })).headers[
          'x-read-cache'
        ],
        'miss',
      );
    });

    it('keeps answers per caller and still checks the session and permission first', async (t) => {
      const h = await startHarness(target, { demo: true, start: false });
      t.after(() => h.close());
      const rt = h.runtime;
      const adminSession = await signIn(rt, 'admin', ADMIN_PASSWORD);
      const admin = api(rt, adminSession);
      const planner = api(rt, await signIn(rt, 'planner', 'takt-demo'));
      const url = '/api/v1/sales-orders?limit=5';
      assert.equal((await admin('GET', url)).headers['x-read-cache'], 'miss');
      assert.equal((await admin('GET', url)).headers['x-read-cache'], 'hit');
      const other = await planner('GET', url);
      assert.equal(other.statusCode, 200);
      assert.equal(other.headers['x-read-cache'], 'miss', 'another caller computes its own answer');

      const outsider = api(rt, await signIn(rt, 'operator', 'takt-demo'));
      const refused = await outsider('GET', url);
      assert.equal(refused.statusCode, 403);

      assert.equal((await admin('POST', '/api/v1/auth/logout')).statusCode, 204);
      assert.equal((await admin('GET', url)).statusCode, 401, 'a signed-out session gets nothing kept');
    });

    it('a report on the floor moves the dispatch list, the work order and its operation', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const rt = h.runtime;
      const call = api(rt, await signIn(rt, 'admin', ADMIN_PASSWORD));
      const k = rt.db.kysely;
      const item = (
        await call('POST', '/api/v1/items', { code: 'RC-SF', name: '轴', type: 'semi_finished', uom: 'pcs' })
      ).json().id as string;
      const wc = await insertWorkCenter(k, 'RC-WC');
      const machine = await insertMachine(k, 'RC-M1', wc);
      const rm = (
        await call('POST', '/api/v1/items', { code: 'RC-RM', name: '圆钢', type: 'raw', uom: 'kg' })
      ).json().id as string;
      await insertBom(k, item, 'RC-SF', [[rm, 'RC-RM', 1_500, 0]]);
      await insertRouting(k, item, 'RC-SF', [[10, 'turn', wc, false]], { setup: 10, runMilliMinutes: 1_000 });
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: item, qty: '10' })).json();
      const released = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'release',
        version: wo.version,
      });
      assert.equal(released.statusCode, 200, released.body);
      const op = (released.json() as { operations: { id: string }[] }).operations[0]!;
      assert.equal(
        (await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: machine })).statusCode,
        200,
      );
      const started = await call('POST', `/api/v1/operations/${op.id}/actions`, { action: 'start' });
      assert.equal(started.statusCode, 200, started.body);

      const urls = [
        `/api/v1/work-orders/${wo.id}`,
        `/api/v1/operations/${op.id}`,
        `/api/v1/shopfloor/dispatch-list?machineId=${machine}`,
        `/api/v1/shopfloor/floor?workCenterId=${wc}`,
        '/api/v1/work-orders?status=in_progress',
      ];
      const before = new Map<string, string>();
      for (const url of urls) {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        before.set(url, res.body);
        assert.equal((await call('GET', url)).headers['x-read-cache'], 'hit', url);
      }
      const report = await call('POST', `/api/v1/operations/${op.id}/reports`, {
        idempotencyKey: 'rc-report-1',
        good: '3',
        scrap: '0',
      });
      assert.ok([200, 201].includes(report.statusCode), report.body);
      for (const url of urls) {
        const res = await call('GET', url);
        const fresh = await call('GET', url, undefined, { 'cache-control': 'no-cache' });
        assert.equal(res.body, fresh.body, `${url}: what is given equals what is computed now`);
        // The list shows no reported quantities: it may stay kept; the others show the report.
        if (!url.includes('status=')) {
          assert.equal(res.headers['x-read-cache'], 'miss', `${url} is computed again after the report`);
          assert.notEqual(res.body, before.get(url), `${url} shows the report`);
        }
      }
    });
  });
}

const postgres = (await testTargets()).find((t) => t.name === 'postgres');
const redisUrl = await redisUrlIfReachable();

describe('read cache across processes', () => {
  it('a write through one runtime makes the kept answers of another stale through Redis', {
    skip: !postgres || !redisUrl ? 'PostgreSQL and Redis are needed' : false,
  }, async (t) => {
    const database = await postgres!.create();
    const config = testConfig(database, { demo: false, redisUrl });
    const a = await createRuntime(config, { log: pino({ level: 'silent' }) });
    const b = await createRuntime(config, { log: pino({ level: 'silent' }), bootstrap: false });
    t.after(async () => {
      await a.close();
      await b.close();
      await database.drop();
    });
    const session = await signIn(a, 'admin', ADMIN_PASSWORD);
    const created = await api(a, session)('POST', '/api/v1/items', {
      code: 'RC-X',
      name: 'one',
      type: 'raw',
      uom: 'pcs',
    });
    const item = created.json() as { id: string; version: number };
    const getB = () => api(b, session)('GET', '/api/v1/items?limit=5');
    await getB();
    assert.equal((await getB()).headers['x-read-cache'], 'hit');

    // Written by runtime A's query layer, not through its cache: only the table broadcast tells B.
    await a.db.kysely.updateTable('items').set({ name: 'two' }).where('id', '=', item.id).execute();
    await waitFor(async () => (await getB()).body.includes('"two"'), 3000);
  });
});
