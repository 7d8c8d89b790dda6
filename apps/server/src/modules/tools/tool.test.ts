import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`tools and molds on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let itemId: (code: string) => Promise<string>;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      itemId = async (code) =>
        (await call('GET', `/api/v1/items?q=${code}`))
          .json()
          .items.find((i: { code: string }) => i.code === code).id;
    });
    after(async () => h.close());

    it('creates a mold that fits items and machines, and finds it by item and setup family', async () => {
      const blank = await itemId('SF-200400');
      const res = await call('POST', '/api/v1/tools', {
        code: 'md-2001',
        name: '支架冲孔模 B型',
        kind: 'mold',
        qtyAvailable: 1,
        setupFamily: '冲孔-支架B',
        usageLimit: 1000,
        itemIds: [blank, blank],
        machineCodes: ['press-01', 'PRESS-01'],
      });
      assert.equal(res.statusCode, 201, res.body);
      const tool = res.json();
      assert.equal(tool.code, 'MD-2001');
      assert.deepEqual(tool.itemIds, [blank]);
      assert.deepEqual(tool.machineCodes, ['PRESS-01']);
      const byItem = (await call('GET', `/api/v1/tools?itemId=${blank}`)).json().items;
      assert.deepEqual(
        byItem.map((t: { code: string }) => t.code),
        ['MD-2001'],
      );
      const family = (
        await call('GET', `/api/v1/tools?setupFamily=${encodeURIComponent('冲孔-支架B')}`)
      ).json().items;
      assert.equal(family.length, 1);
    });

    it('counts usage and warns from 90 % of the maintenance limit, then resets after maintenance', async () => {
      const tool = (await call('GET', '/api/v1/tools?q=MD-2001')).json().items[0];
      const low = (await call('POST', `/api/v1/tools/${tool.id}/usage`, { count: 899 })).json();
      assert.equal(low.usageCount, 899);
      assert.equal(low.warnings, undefined);
      const near = await call('POST', `/api/v1/tools/${tool.id}/usage`, { count: 1 });
      assert.equal(near.statusCode, 200, near.body);
      assert.equal(near.json().usageCount, 900);
      assert.equal(near.json().warnings[0].code, 'MAINTENANCE_DUE');
      const reset = (await call('POST', `/api/v1/tools/${tool.id}/usage`, { count: 0, reset: true })).json();
      assert.equal(reset.usageCount, 0);
      assert.equal(reset.warnings, undefined);
      const history = (await call('GET', `/api/v1/tools/${tool.id}/history`)).json().items;
      assert.deepEqual(
        history.map((e: { action: string }) => e.action),
        ['create', 'usage', 'usage', 'maintenance'],
      );
    });

    it('loses no usage when counts arrive concurrently', async () => {
      const tool = (await call('GET', '/api/v1/tools?q=MD-2001')).json().items[0];
      await Promise.all(
        Array.from({ length: 10 }, () => call('POST', `/api/v1/tools/${tool.id}/usage`, { count: 5 })),
      );
      const after = (await call('GET', `/api/v1/tools/${tool.id}`)).json();
      assert.equal(after.usageCount, tool.usageCount + 50);
    });

    it('shows the demo mold close to its limit with a warning on the next stroke', async () => {
      const mold = (await call('GET', '/api/v1/tools?q=MD-0002')).json().items[0];
      const res = (await call('POST', `/api/v1/tools/${mold.id}/usage`, { count: 10 })).json();
      assert.match(res.warnings[0].message, /46210 of 50000/);
    });

    it('refuses to delete an item a tool fits until the tool is gone, and a stale tool change', async () => {
      const item = (
        await call('POST', '/api/v1/items', {
          code: 'SF-890001',
          name: '试模件',
          type: 'semi_finished',
          uom: 'pcs',
        })
      ).json();
      const tool = (
        await call('POST', '/api/v1/tools', {
          code: 'FX-8901',
          name: '试模夹具',
          kind: 'fixture',
          itemIds: [item.id],
        })
      ).json();
      const del = await call('DELETE', `/api/v1/items/${item.id}`);
      assert.equal(del.statusCode, 409);
      assert.equal(del.json().code, 'IN_USE');
      const stale = await call('PATCH', `/api/v1/tools/${tool.id}`, { version: 2, name: 'x' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      assert.equal((await call('DELETE', `/api/v1/tools/${tool.id}`)).statusCode, 204);
      assert.equal((await call('DELETE', `/api/v1/items/${item.id}`)).statusCode, 204);
    });
  });
}
