import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`warehouses and locations on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('loads the demo warehouses with storage, line-side, receiving, shipping and quarantine bins', async () => {
      const whs = (await call('GET', '/api/v1/warehouses')).json().items;
      assert.deepEqual(
        whs.map((w: { code: string; name: string }) => `${w.code} ${w.name}`),
        ['WH-FG 成品仓', 'WH-RM 原材料仓', 'WH-WIP 半成品仓'],
      );
      const wip = whs.find((w: { code: string }) => w.code === 'WH-WIP');
      const lineSide = (await call('GET', `/api/v1/warehouses/${wip.id}/locations?kind=line_side`)).json()
        .items;
      assert.ok(lineSide.length >= 4);
      assert.ok(lineSide.every((l: { kind: string }) => l.kind === 'line_side'));
    });

    it('keeps location codes unique within a warehouse but not across warehouses', async () => {
      const a = (await call('POST', '/api/v1/warehouses', { code: 'wh-t1', name: '测试仓一' })).json();
      const b = (await call('POST', '/api/v1/warehouses', { code: 'WH-T2', name: '测试仓二' })).json();
      assert.equal(a.code, 'WH-T1');
      const first = await call('POST', `/api/v1/warehouses/${a.id}/locations`, {
        code: 'a-01',
        name: '货位',
        kind: 'storage',
      });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().code, 'A-01');
      const again = await call('POST', `/api/v1/warehouses/${a.id}/locations`, {
        code: 'Ａ-01',
        name: '重复',
        kind: 'storage',
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'DUPLICATE_CODE');
      const other = await call('POST', `/api/v1/warehouses/${b.id}/locations`, {
        code: 'A-01',
        name: '货位',
        kind: 'receiving',
      });
      assert.equal(other.statusCode, 201);
      const wrongKind = await call('POST', `/api/v1/warehouses/${b.id}/locations`, {
        code: 'A-02',
        name: 'x',
        kind: 'roof',
      });
      assert.equal(wrongKind.statusCode, 400);
      assert.equal(wrongKind.json().errors[0].field, '/kind');
    });

    it('changes and deactivates a location with its version and does not find it under another warehouse', async () => {
      const whs = (await call('GET', '/api/v1/warehouses?q=WH-T')).json().items;
      const [a, b] = whs;
      const loc = (await call('GET', `/api/v1/warehouses/${a.id}/locations`)).json().items[0];
      const res = await call('PATCH', `/api/v1/warehouses/${a.id}/locations/${loc.id}`, {
        version: loc.version,
        kind: 'quarantine',
        active: false,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().kind, 'quarantine');
      assert.equal(res.json().active, false);
      const stale = await call('PATCH', `/api/v1/warehouses/${a.id}/locations/${loc.id}`, {
        version: loc.version,
        name: 'x',
      });
      assert.equal(stale.statusCode, 409);
      assert.equal((await call('GET', `/api/v1/warehouses/${b.id}/locations/${loc.id}`)).statusCode, 404);
    });

    it('refuses to delete a warehouse that items use as default, but deletes an unused one with its bins', async () => {
      const rm = (await call('GET', '/api/v1/warehouses?q=WH-RM')).json().items[0];
      const del = await call('DELETE', `/api/v1/warehouses/${rm.id}`);
      assert.equal(del.statusCode, 409);
      assert.equal(del.json().code, 'IN_USE');
      assert.equal((await call('GET', `/api/v1/warehouses/${rm.id}`)).statusCode, 200);
      const t1 = (await call('GET', '/api/v1/warehouses?q=WH-T1')).json().items[0];
      assert.equal((await call('DELETE', `/api/v1/warehouses/${t1.id}`)).statusCode, 204);
      const bins = await h.runtime.db.kysely
        .selectFrom('locations')
        .selectAll()
        .where('warehouse_id', '=', t1.id)
        .execute();
      assert.equal(bins.length, 0);
    });

    it('refuses a deactivated warehouse as an item default', async () => {
      const t2 = (await call('GET', '/api/v1/warehouses?q=WH-T2')).json().items[0];
      await call('PATCH', `/api/v1/warehouses/${t2.id}`, { version: t2.version, active: false });
      const res = await call('POST', '/api/v1/items', {
        code: 'RM-880001',
        name: 'x',
        type: 'raw',
        uom: 'kg',
        defaultWarehouseId: t2.id,
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].code, 'inactive');
    });
  });
}
