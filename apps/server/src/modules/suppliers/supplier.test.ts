import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`suppliers and the items they supply on ${target.name}`, () => {
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

    it('stores supplied items with exact prices, default currency CNY, lead time and MOQ', async () => {
      const bearing = await itemId('PP-400100');
      const res = await call('POST', '/api/v1/suppliers', {
        code: 'S-2001',
        name: '人本轴承苏州经销部',
        leadDays: 9,
        contacts: [{ name: '吴强', phone: '13913001234' }],
        items: [{ itemId: bearing, supplierPartNo: 'C&U-6205ZZ', price: '7.95', moq: '200.5', leadDays: 12 }],
      });
      assert.equal(res.statusCode, 201, res.body);
      const s = res.json();
      assert.equal(s.leadDays, 9);
      assert.deepEqual(s.items, [
        {
          itemId: bearing,
          itemCode: 'PP-400100',
          itemName: '深沟球轴承 6205',
          supplierPartNo: 'C&U-6205ZZ',
          price: '7.95',
          currency: 'CNY',
          leadDays: 12,
          moq: '200.5',
        },
      ]);
      const row = await h.runtime.db.kysely
        .selectFrom('supplier_items')
        .selectAll()
        .where('supplier_id', '=', s.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.price), 795);
      assert.equal(Number(row.moq), 200500);
    });

    it('lists the suppliers of an item', async () => {
      const bearing = await itemId('PP-400100');
      const list = (await call('GET', `/api/v1/suppliers?itemId=${bearing}`)).json().items;
      assert.deepEqual(
        list.map((s: { code: string }) => s.code),
        ['S-0004', 'S-2001'],
      );
    });

    it('refuses a supplied item that does not exist or is listed twice, naming the line', async () => {
      const bearing = await itemId('PP-400100');
      const unknown = await call('POST', '/api/v1/suppliers', {
        code: 'S-2002',
        name: 'x',
        items: [{ itemId: 'nope', price: '1' }],
      });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().errors[0].field, '/items/0/itemId');
      const twice = await call('POST', '/api/v1/suppliers', {
        code: 'S-2002',
        name: 'x',
        items: [
          { itemId: bearing, price: '1' },
          { itemId: bearing, price: '2' },
        ],
      });
      assert.equal(twice.statusCode, 400);
      assert.equal(twice.json().errors[0].field, '/items/1/itemId');
      assert.equal((await call('GET', '/api/v1/suppliers?q=S-2002')).json().items.length, 0);
    });

    it('replaces the supplied items on update and deletes a supplier with its item list', async () => {
      const s = (await call('GET', '/api/v1/suppliers?q=S-2001')).json().items[0];
      const bolt = await itemId('PP-400200');
      const res = await call('PATCH', `/api/v1/suppliers/${s.id}`, {
        version: s.version,
        items: [{ itemId: bolt, price: '0.15', currency: 'usd' }],
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        res.json().items.map((i: { itemCode: string; currency: string }) => `${i.itemCode} ${i.currency}`),
        ['PP-400200 USD'],
      );
      assert.equal((await call('DELETE', `/api/v1/suppliers/${s.id}`)).statusCode, 204);
      const left = await h.runtime.db.kysely
        .selectFrom('supplier_items')
        .selectAll()
        .where('supplier_id', '=', s.id)
        .execute();
      assert.equal(left.length, 0);
      const history = (await call('GET', `/api/v1/suppliers/${s.id}/history`)).json();
      assert.deepEqual(
        history.items.map((e: { action: string }) => e.action),
        ['create', 'update', 'delete'],
      );
    });
  });
}
