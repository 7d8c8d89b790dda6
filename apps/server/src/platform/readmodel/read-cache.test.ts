import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createRuntime } from '../../runtime.ts';
import { redisUrlIfReachable, testTargets } from '../../testing/databases.ts';
import {
  insertBom,
  insertMachine,
  insertRouting,
  insertWarehouse,
  insertWorkCenter,
} from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness, testConfig, waitFor } from '../../testing/harness.ts';
import { csvLine } from '../../modules/imports/csv.ts';
import { cacheOf } from '../cache/cache.ts';
import { newId, nowIso } from '../ids.ts';
import {
  partitionKey,
  ReadSet,
  TableVersions,
  tokenWrite,
  trackReads,
  writesInPartitions,
} from '../db/table-versions.ts';

describe('table versions', () => {
  it('tells a change after the clock reading from one before it', () => {
    const v = new TableVersions();
    v.bump(['items']);
    const epoch = v.epoch;
    assert.equal(v.changedSince(['items', 'work_orders'], epoch), false);
    v.bump(['+items']);
    assert.equal(v.staleSince(['work_orders'], ['items'], epoch), false, 'rows added to a table looked up');
    assert.equal(v.changedSince(['items'], epoch), true, 'rows added to a table read in full');
    v.bump(['work_orders']);
    assert.equal(v.staleSince([], ['items'], epoch), false);
    assert.equal(v.changedSince(['items', 'work_orders'], epoch), true);
    const later = v.epoch;
    v.bumpAll();
    assert.equal(v.changedSince(['anything'], later), true);
  });

  it('tells a write to one partition from a write to another, and from one that names none', () => {
    const v = new TableVersions();
    v.learn({
      foreignKeys: [],
      cascades: [{ parent: 'work_orders', child: 'work_order_operations' }],
      views: [],
    });
    const a = partitionKey('work_order_operations', 'work_order_id', 'A');
    const b = partitionKey('work_order_operations', 'work_order_id', 'B');
    const mA = partitionKey('work_order_operations', 'machine_id', 'M1');
    // Processes that read only table names (the broadcast's `tables`) see a change of the table.
    assert.deepEqual(tokenWrite(a), { table: 'work_order_operations', kind: 'change' });
    let epoch = v.epoch;
    v.bump([a, mA]);
    assert.equal(v.staleSince([], [], epoch, [a]), true, 'its own partition');
    assert.equal(v.staleSince([], [], epoch, [b]), false, 'another partition');
    assert.equal(
      v.staleSince([], [], epoch, [partitionKey('work_order_operations', 'machine_id', 'M2')]),
      false,
    );
    assert.equal(v.staleSince(['work_order_operations'], [], epoch), true, 'a full read of the table');
    assert.equal(v.staleSince([], ['work_order_operations'], epoch), true, 'a lookup: rows changed');
    // Rows added or changed without a partition: every partition.
    for (const token of ['+work_order_operations', 'work_order_operations', 'work_orders']) {
      epoch = v.epoch;
      v.bump([token], true);
      assert.equal(v.staleSince([], [], epoch, [b]), true, token);
    }
    epoch = v.epoch;
    v.bumpAll();
    assert.equal(v.staleSince([], [], epoch, [b]), true, 'everything');
    // Past the partitions remembered, all are forgotten at once and count as written.
    epoch = v.epoch;
    for (let i = 0; i < 100_001; i++) v.bump([partitionKey('work_order_history', 'work_order_id', `W${i}`)]);
    assert.equal(
      v.staleSince([], [], epoch, [partitionKey('work_order_history', 'work_order_id', 'none')]),
      true,
    );
  });

  it('counts a write in partitions only for the tables and values named', async (t) => {
    const [target] = await testTargets();
    const h = await startHarness(target!, { demo: false, start: false });
    t.after(() => h.close());
    const { db } = h.runtime;
    const epoch = db.versions.epoch;
    await writesInPartitions(
      {
        work_order_operations: {
          id: ['op'],
          work_order_id: ['A'],
          machine_id: [null, 'M1'],
          work_center_id: ['C'],
        },
      },
      async () => {
        await db.kysely
          .updateTable('work_order_operations')
          .set({ planned_minutes: 1 })
          .where('id', '=', 'none')
          .execute();
        await db.kysely
          .updateTable('work_order_history')
          .set({ reason: 'x' })
          .where('id', '=', 'none')
          .execute();
      },
    );
    const key = (column: 'work_order_id' | 'machine_id' | 'work_center_id', value: string | null) =>
      partitionKey('work_order_operations', column, value);
    assert.equal(db.versions.staleSince([], [], epoch, [key('work_order_id', 'A')]), true);
    assert.equal(
      db.versions.staleSince([], [], epoch, [key('machine_id', null)]),
      true,
      'the machine it left',
    );
    assert.equal(
      db.versions.staleSince([], [], epoch, [key('machine_id', 'M1')]),
      true,
      'the machine it joined',
    );
    assert.equal(db.versions.staleSince([], [], epoch, [key('work_order_id', 'B')]), false);
    assert.equal(db.versions.staleSince([], [], epoch, [key('machine_id', 'M2')]), false);
    // A table the scope does not name counts as written whole.
    assert.equal(
      db.versions.staleSince([], [], epoch, [partitionKey('work_order_history', 'work_order_id', 'B')]),
      true,
    );
    assert.throws(
      () => writesInPartitions({ work_order_history: { work_order_id: [] } }, () => null),
      /work_order_history\.work_order_id needs a value/,
    );
  });

  it('notes what a scope reads, and a transaction bumps what it wrote when it ends, committed or not', async (t) => {
    for (const target of await testTargets()) {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      const seen = new ReadSet();
      await trackReads(seen, async () => {
        await db.kysely.selectFrom('customers').select('id').execute();
        await sql`SELECT count(*) FROM suppliers`.execute(db.kysely);
      });
      assert.deepEqual([...seen.full].sort(), ['customers', 'suppliers'], target.name);

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

    it('keeps answers that only look items up while items are added, until an item changes or goes', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const rt = h.runtime;
      const call = api(rt, await signIn(rt, 'admin', ADMIN_PASSWORD));
      const k = rt.db.kysely;
      const newItem = async (code: string, type = 'raw', uom = 'kg') => {
        const res = await call('POST', '/api/v1/items', { code, name: `件 ${code}`, type, uom });
        assert.equal(res.statusCode, 201, res.body);
        return res.json() as { id: string; version: number };
      };
      const product = await newItem('RL-SF', 'semi_finished', 'pcs');
      const material = await newItem('RL-RM');
      const wc = await insertWorkCenter(k, 'RL-WC');
      const machine = await insertMachine(k, 'RL-M1', wc);
      const loc = await insertWarehouse(k, 'RL-WH', ['A']);
      await insertBom(k, product.id, 'RL-SF', [[material.id, 'RL-RM', 1_500, 0]]);
      await insertRouting(k, product.id, 'RL-SF', [[10, 'turn', wc, false]], {
        setup: 10,
        runMilliMinutes: 1_000,
      });
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: product.id, qty: '10' })).json();
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
      const receipt = await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: material.id,
        qty: '5',
        toLocationId: loc.A,
      });
      assert.equal(receipt.statusCode, 201, receipt.body);

      const urls = [
        '/api/v1/work-orders?limit=20',
        `/api/v1/work-orders/${wo.id}`,
        `/api/v1/inventory/balances?itemId=${material.id}`,
        `/api/v1/inventory/items/${material.id}/availability`,
        `/api/v1/shopfloor/dispatch-list?machineId=${machine}`,
        '/api/v1/inventory/moves?limit=5',
      ];
      const cacheAll = async () => {
        for (const url of urls) {
          assert.equal((await call('GET', url)).statusCode, 200, url);
          assert.equal((await call('GET', url)).headers['x-read-cache'], 'hit', url);
        }
      };
      /**
       * Every answer given equals what is computed now. `expected` is the header the answers that
       * show items must carry; the list of moves shows none and stays kept unless `moves` says so.
       */
      const check = async (step: string, expected: 'hit' | 'miss', moves: 'hit' | 'miss' | null = 'hit') => {
        const bodies: string[] = [];
        for (const url of urls) {
          const given = await call('GET', url);
          const fresh = await call('GET', url, undefined, { 'cache-control': 'no-cache' });
          assert.equal(given.body, fresh.body, `${step}: ${url} gives what is computed now`);
          const want = url.includes('/moves') ? moves : expected;
          if (want) assert.equal(given.headers['x-read-cache'], want, `${step}: ${url}`);
          bodies.push(given.body);
        }
        return bodies.join('\n');
      };
      await cacheAll();

      // Items added through the API and by an import: nothing these answers show can differ.
      await newItem('RL-NEW-1');
      await check('after an item was created', 'hit');
      const rows = Array.from({ length: 300 }, (_, i) => [`RL-IMP-${i}`, `导入 ${i}`, '', 'raw', 'pcs', '1']);
      const sheet = `\uFEFF${[['Code', 'Name', 'Spec', 'Type', 'UoM', 'Standard cost'], ...rows].map((r) => csvLine(r)).join('')}`;
      const imported = await call('POST', '/api/v1/items/import?mode=insert', sheet, {
        'content-type': 'text/csv',
      });
      assert.equal(imported.statusCode, 200, imported.body);
      assert.equal(imported.json().status, 'imported', imported.body);
      await check('after an import of 300 items', 'hit');
      // The item list reads every item: it is computed again.
      const list = await call('GET', '/api/v1/items?limit=500');
      assert.equal(list.json().items.length, 303);

      // The item of the work order renamed: every answer that looks items up is computed again.
      const renamed = await call('PATCH', `/api/v1/items/${product.id}`, {
        name: '新名字',
        version: product.version,
      });
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.ok((await check('after the rename', 'miss')).includes('新名字'));
      await check('once computed again', 'hit');

      // An item deleted.
      const spare = (await call('GET', '/api/v1/items?q=RL-IMP-7&limit=1')).json().items[0] as { id: string };
      await check('after a list of items was read', 'hit');
      assert.equal((await call('DELETE', `/api/v1/items/${spare.id}`)).statusCode, 204);
      await check('after an item was deleted', 'miss');

      // A duplicate merged into the material: its references move, the duplicate is deactivated.
      const dup = await newItem('RL-RM-DUP');
      await check('after the duplicate was created', 'hit');
      const keep = (await call('GET', `/api/v1/items/${material.id}`)).json() as { version: number };
      const merged = await call('POST', '/api/v1/masterdata/items/merge', {
        keepId: material.id,
        mergeIds: [dup.id],
        version: keep.version,
      });
      assert.equal(merged.statusCode, 200, merged.body);
      await check('after the merge', 'miss', null);

      // Stock received: the availability is computed again and shows it.
      const availability = `/api/v1/inventory/items/${material.id}/availability`;
      await call('GET', availability);
      assert.equal((await call('GET', availability)).headers['x-read-cache'], 'hit');
      const more = await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: material.id,
        qty: '2',
        toLocationId: loc.A,
      });
      assert.equal(more.statusCode, 201, more.body);
      const after = await call('GET', availability);
      assert.equal(after.headers['x-read-cache'], 'miss');
      assert.equal(after.json().onHand, '7');
    });

    it('a created item leaves answers that found their items in the master-data cache, not those that met a miss', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const rt = h.runtime;
      const call = api(rt, await signIn(rt, 'admin', ADMIN_PASSWORD));
      const created = await call('POST', '/api/v1/items', {
        code: 'RC-MD',
        name: 'kept',
        type: 'raw',
        uom: 'pcs',
      });
      const item = created.json() as { id: string; version: number };
      const url = `/api/v1/items/${item.id}`;
      // The first answer reads the row itself; computed again, it finds the item in the cache.
      await call('GET', url);
      await call('GET', url, undefined, { 'cache-control': 'no-cache' });
      assert.equal((await call('GET', url)).headers['x-read-cache'], 'hit');
      await call('POST', '/api/v1/items', { code: 'RC-MD-2', name: 'new', type: 'raw', uom: 'pcs' });
      assert.equal(
        (await call('GET', url)).headers['x-read-cache'],
        'hit',
        'a created item changes no entry found',
      );

      // Straight at the cache: a miss is noted as a full read, and a created key stales it.
      const cache = cacheOf(rt.db);
      const { versions } = rt.db;
      const read = async (id: string) => {
        const seen = new ReadSet();
        const epoch = versions.epoch;
        await trackReads(seen, () =>
          cache.get(rt.db, 'items', id, async () => (id === item.id ? { id } : null)),
        );
        return { seen, epoch };
      };
      const found = await read(item.id);
      const missed = await read('not-yet');
      assert.deepEqual([...found.seen.lookedUp], ['cache:items']);
      assert.deepEqual([...missed.seen.full], ['cache:items']);
      cache.invalidate(rt.db, 'items', 'not-yet', 'created');
      const stale = (r: { seen: ReadSet; epoch: number }) =>
        versions.staleSince(r.seen.full, r.seen.onlyLookedUp(), r.epoch);
      assert.equal(stale(found), false);
      assert.equal(stale(missed), true);
      cache.invalidate(rt.db, 'items', item.id);
      assert.equal(stale(found), true, 'a changed entry stales what found it');

      const patched = await call('PATCH', url, { name: 'changed', version: item.version });
      assert.equal(patched.statusCode, 200, patched.body);
      const after = await call('GET', url);
      assert.equal(after.headers['x-read-cache'], 'miss');
      assert.equal((after.json() as { name: string }).name, 'changed');
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

      // Another order on another machine of the same work center, and a third not yet dispatched.
      const machine2 = await insertMachine(k, 'RC-M2', wc);
      const releaseOne = async () => {
        const made = (await call('POST', '/api/v1/work-orders', { itemId: item, qty: '4' })).json();
        const r = await call('POST', `/api/v1/work-orders/${made.id}/actions`, {
          action: 'release',
          version: made.version,
        });
        assert.equal(r.statusCode, 200, r.body);
        return {
          id: made.id as string,
          op: (r.json() as { operations: { id: string }[] }).operations[0]!.id,
        };
      };
      const other = await releaseOne();
      const dispatched = await call('POST', `/api/v1/operations/${other.op}/dispatch`, {
        machineId: machine2,
      });
      assert.equal(dispatched.statusCode, 200, dispatched.body);
      const third = await releaseOne();
      const partitioned = {
        thisOrder: `/api/v1/work-orders/${wo.id}`,
        otherOrder: `/api/v1/work-orders/${other.id}`,
        thisMachine: `/api/v1/shopfloor/dispatch-list?machineId=${machine}`,
        otherMachine: `/api/v1/shopfloor/dispatch-list?machineId=${machine2}`,
        workCenter: `/api/v1/shopfloor/dispatch-list?workCenterId=${wc}`,
        thisOperation: `/api/v1/operations/${op.id}`,
        otherOperation: `/api/v1/operations/${other.op}`,
      };
      const expect = async (step: string, want: Record<keyof typeof partitioned, 'hit' | 'miss'>) => {
        for (const [name, url] of Object.entries(partitioned) as [keyof typeof partitioned, string][]) {
          const given = await call('GET', url);
          const fresh = await call('GET', url, undefined, { 'cache-control': 'no-cache' });
          assert.equal(given.body, fresh.body, `${step}: ${name} gives what is computed now`);
          assert.equal(given.headers['x-read-cache'], want[name], `${step}: ${name}`);
          assert.equal(
            (await call('GET', url)).headers['x-read-cache'],
            'hit',
            `${step}: ${name} kept again`,
          );
        }
      };
      for (const url of Object.values(partitioned)) await call('GET', url);
      // A report on this order's operation: the other order and the other machine's list stay kept.
      const second = await call('POST', `/api/v1/operations/${op.id}/reports`, {
        idempotencyKey: 'rc-report-2',
        good: '1',
      });
      assert.ok([200, 201].includes(second.statusCode), second.body);
      await expect('after a report on this machine', {
        thisOrder: 'miss',
        otherOrder: 'hit',
        thisMachine: 'miss',
        otherMachine: 'hit',
        workCenter: 'miss',
        thisOperation: 'miss',
        otherOperation: 'hit',
      });
      // The third order's operation dispatched to the other machine: it joins that machine's list.
      const moved = await call('POST', `/api/v1/operations/${third.op}/dispatch`, { machineId: machine2 });
      assert.equal(moved.statusCode, 200, moved.body);
      await expect('after a dispatch to the other machine', {
        thisOrder: 'hit',
        otherOrder: 'hit',
        thisMachine: 'hit',
        otherMachine: 'miss',
        workCenter: 'miss',
        thisOperation: 'hit',
        otherOperation: 'hit',
      });
      assert.ok((await call('GET', partitioned.otherMachine)).body.includes(third.op));
      // A write to the operations that names no partition (a plan published, a script) moves them all.
      await k
        .updateTable('work_order_operations')
        .set({ planned_minutes: 99 })
        .where('id', '=', other.op)
        .execute();
      await expect('after a write naming no partition', {
        thisOrder: 'miss',
        otherOrder: 'miss',
        thisMachine: 'miss',
        otherMachine: 'miss',
        workCenter: 'miss',
        thisOperation: 'miss',
        otherOperation: 'miss',
      });
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

    // The kind of write travels too: rows added to a table B's answer only looks up leave it kept.
    const moves = () => api(b, session)('GET', '/api/v1/inventory/moves?limit=5');
    await moves();
    assert.equal((await moves()).headers['x-read-cache'], 'hit');
    const epoch = b.db.versions.epoch;
    const lot = { id: newId(), item_id: item.id, code: 'RC-LOT', created_at: nowIso() };
    await a.db.kysely.insertInto('lots').values(lot).execute();
    await waitFor(async () => b.db.versions.changedSince(['lots'], epoch), 3000);
    assert.equal((await moves()).headers['x-read-cache'], 'hit', 'a lot added elsewhere');
    await a.db.kysely.updateTable('lots').set({ code: 'RC-LOT-2' }).where('id', '=', lot.id).execute();
    await waitFor(async () => (await moves()).headers['x-read-cache'] === 'miss', 3000);
  });
});
