import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`item planning fields, units and duplicates on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const byCode = async (code: string) =>
      (await call('GET', `/api/v1/items?q=${encodeURIComponent(code)}&limit=5`))
        .json()
        .items.find((i: { code: string }) => i.code === code);

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('stores tracking, lead times, order sizes, default warehouse and conversions', async () => {
      const wh = (await call('GET', '/api/v1/warehouses?q=WH-RM')).json().items[0];
      const res = await call('POST', '/api/v1/items', {
        code: 'pp-700001',
        name: '包装箱紧固件',
        type: 'purchased',
        uom: 'pcs',
        tracking: 'lot',
        defaultWarehouseId: wh.id,
        purchaseLeadDays: 12,
        minOrderQty: '240',
        orderMultiple: '12.5',
        conversions: [{ from: 'box', to: 'pcs', num: 24, den: 2 }],
      });
      assert.equal(res.statusCode, 201, res.body);
      const item = res.json();
      assert.equal(item.tracking, 'lot');
      assert.equal(item.defaultWarehouseId, wh.id);
      assert.equal(item.purchaseLeadDays, 12);
      assert.equal(item.minOrderQty, '240');
      assert.equal(item.orderMultiple, '12.5');
      assert.deepEqual(item.conversions, [{ from: 'box', to: 'pcs', num: 12, den: 1 }]);
      assert.equal(item.warnings, undefined);
      const got = (await call('GET', `/api/v1/items/${item.id}`)).json();
      assert.deepEqual(got.conversions, item.conversions);
    });

    it('refuses a default warehouse that does not exist, naming the field', async () => {
      const res = await call('POST', '/api/v1/items', {
        code: 'PP-700002',
        name: 'x',
        type: 'purchased',
        uom: 'pcs',
        defaultWarehouseId: 'no-such-warehouse',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/defaultWarehouseId');
    });

    it('converts exactly both ways: 12 boxes are 144 pcs and 144 pcs are 12 boxes', async () => {
      const item = await byCode('PP-700001');
      const there = (await call('GET', `/api/v1/items/${item.id}/convert?qty=12&from=box&to=pcs`)).json();
      assert.equal(there.result, '144');
      assert.equal(there.exact, true);
      const back = (
        await call('GET', `/api/v1/items/${item.id}/convert?qty=${there.result}&from=pcs&to=box`)
      ).json();
      assert.equal(back.result, '12');
    });

    it('converts round bar between metres, bars and kilograms through the item unit without drift', async () => {
      const bar = await byCode('RM-300100');
      const kg = (await call('GET', `/api/v1/items/${bar.id}/convert?qty=10&from=m&to=kg`)).json();
      assert.equal(kg.result, '48.3');
      assert.deepEqual(kg.factor, { num: 483, den: 100 });
      const m = (await call('GET', `/api/v1/items/${bar.id}/convert?qty=48.3&from=kg&to=m`)).json();
      assert.equal(m.result, '10');
      assert.equal(m.exact, true);
      const bars = (
        await call('GET', `/api/v1/items/${bar.id}/convert?qty=2&from=${encodeURIComponent('根')}&to=kg`)
      ).json();
      assert.equal(bars.result, '57.96');
      const odd = (
        await call('GET', `/api/v1/items/${bar.id}/convert?qty=1&from=kg&to=m&rounding=floor`)
      ).json();
      assert.equal(odd.result, '0.207');
      assert.equal(odd.exact, false);
    });

    it('refuses a unit the item does not have, naming the parameter', async () => {
      const bar = await byCode('RM-300100');
      const res = await call('GET', `/api/v1/items/${bar.id}/convert?qty=1&from=kg&to=ft`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/querystring/to');
      assert.equal(res.json().errors[0].code, 'unknown_unit');
    });

    it('refuses conversions that contradict each other or do not reach the item unit', async () => {
      const base = { name: 'conv', type: 'raw', uom: 'kg' };
      const contradict = await call('POST', '/api/v1/items', {
        ...base,
        code: 'RM-790001',
        conversions: [
          { from: 'm', to: 'kg', num: 2, den: 1 },
          { from: 'roll', to: 'm', num: 10, den: 1 },
          { from: 'roll', to: 'kg', num: 21, den: 1 },
        ],
      });
      assert.equal(contradict.statusCode, 400);
      assert.equal(contradict.json().errors[0].code, 'inconsistent');
      const stray = await call('POST', '/api/v1/items', {
        ...base,
        code: 'RM-790002',
        conversions: [{ from: 'box', to: 'pcs', num: 12, den: 1 }],
      });
      assert.equal(stray.statusCode, 400);
      assert.equal(stray.json().errors[0].field, '/conversions/0');
    });

    it('warns about a near-duplicate but still creates the item', async () => {
      const check = (
        await call(
          'GET',
          `/api/v1/items/near-duplicates?name=${encodeURIComponent('六角螺栓 M8×25')}&spec=${encodeURIComponent('8.8级  镀锌')}`,
        )
      ).json();
      assert.deepEqual(
        check.items.map((i: { code: string }) => i.code),
        ['PP-400200'],
      );
      const res = await call('POST', '/api/v1/items', {
        code: 'PP-799999',
        name: '六角螺栓 m8*25',
        spec: '8.8级 镀锌',
        type: 'purchased',
        uom: 'pcs',
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json().warnings, [
        {
          code: 'NEAR_DUPLICATE',
          message: 'Items with the same name and specification already exist: PP-400200',
          duplicates: ['PP-400200'],
        },
      ]);
    });

    it('changes a code through the rule and refuses a stale version', async () => {
      const item = await byCode('PP-799999');
      const res = await call('PATCH', `/api/v1/items/${item.id}`, {
        version: item.version,
        code: 'ｐｐ－７９９９９８',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().code, 'PP-799998');
      const stale = await call('PATCH', `/api/v1/items/${item.id}`, { version: item.version, name: 'x' });
      assert.equal(stale.statusCode, 409);
    });

    it('refuses to delete an item a supplier refers to but lets it be deactivated', async () => {
      const bolt = await byCode('PP-400200');
      const del = await call('DELETE', `/api/v1/items/${bolt.id}`);
      assert.equal(del.statusCode, 409);
      assert.equal(del.json().code, 'IN_USE');
      const off = await call('PATCH', `/api/v1/items/${bolt.id}`, { version: bolt.version, active: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().active, false);
      const history = (await call('GET', `/api/v1/items/${bolt.id}/history`)).json();
      assert.deepEqual(
        history.items.map((e: { action: string }) => e.action),
        ['create', 'deactivate'],
      );
      assert.deepEqual(history.items[1].diff.active, { from: 1, to: 0 });
    });

    it('deletes an unreferenced item and keeps its history', async () => {
      const item = await byCode('PP-799998');
      const del = await call('DELETE', `/api/v1/items/${item.id}`);
      assert.equal(del.statusCode, 204);
      assert.equal((await call('GET', `/api/v1/items/${item.id}`)).statusCode, 404);
      const history = (await call('GET', `/api/v1/items/${item.id}/history`)).json();
      assert.deepEqual(
        history.items.map((e: { action: string }) => e.action),
        ['create', 'update', 'delete'],
      );
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', item.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['item.created', 'item.updated', 'item.deleted'],
      );
    });
  });
}
