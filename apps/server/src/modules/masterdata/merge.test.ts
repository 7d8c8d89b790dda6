import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`merging duplicate master records on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let locationId: string;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const loc = await h.runtime.db.kysely
        .selectFrom('locations')
        .select('id')
        .where('kind', '=', 'storage')
        .executeTakeFirstOrThrow();
      locationId = loc.id;
    });
    after(async () => h.close());

    const created = async (url: string, body: object) => {
      const res = await call('POST', url, body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const item = (code: string, extra: object = {}) =>
      created('/api/v1/items', { code, name: `合并件 ${code}`, type: 'raw', uom: 'pcs', ...extra });
    const receive = async (itemId: string, qty: string) => {
      const res = await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId,
        qty,
        toLocationId: locationId,
      });
      assert.ok(res.statusCode < 300, res.body);
    };
    const merge = (entity: string, body: object, dryRun = false) =>
      call('POST', `/api/v1/masterdata/${entity}/merge${dryRun ? '?dryRun=true' : ''}`, body);

    it('moves the sales orders of merged customers to the kept one, deactivates them and audits both', async () => {
      const keep = await created('/api/v1/customers', { code: 'C-7701', name: '重复客户甲' });
      const dup = await created('/api/v1/customers', { code: 'C-7702', name: '重复客户 甲' });
      const product = (await call('GET', '/api/v1/items?type=finished&limit=1')).json().items[0];
      const orders = [];
      for (let i = 0; i < 2; i++) {
        orders.push(
          await created('/api/v1/sales-orders', {
            customerId: dup.id,
            dueDate: '2027-01-15',
            lines: [{ itemId: product.id, qty: '3', unitPrice: '10.00' }],
          }),
        );
      }
      const report = (await call('GET', '/api/v1/masterdata/compliance')).json();
      const group = report.duplicateGroups.find(
        (g: { entity: string; codes: string[] }) => g.entity === 'customers' && g.codes.includes('C-7701'),
      );
      assert.deepEqual(group.codes, ['C-7701', 'C-7702']);
      assert.deepEqual(group.ids, [keep.id, dup.id]);

      const dry = await merge('customers', { keepId: keep.id, mergeIds: [dup.id] }, true);
      assert.equal(dry.statusCode, 200, dry.body);
      assert.deepEqual(dry.json().references, [{ table: 'sales_orders', column: 'customer_id', count: 2 }]);
      assert.equal((await call('GET', `/api/v1/sales-orders/${orders[0].id}`)).json().customerId, dup.id);

      const res = await merge('customers', { keepId: keep.id, mergeIds: [dup.id], version: keep.version });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().dryRun, false);
      for (const o of orders) {
        assert.equal((await call('GET', `/api/v1/sales-orders/${o.id}`)).json().customerId, keep.id);
      }
      const merged = (await call('GET', `/api/v1/customers/${dup.id}`)).json();
      assert.equal(merged.active, false);
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select(['entity_id', 'diff'])
        .where('action', '=', 'merge')
        .where('entity_type', '=', 'customer')
        .execute();
      assert.deepEqual(audit.map((a) => a.entity_id).sort(), [keep.id, dup.id].sort());
      const note = audit.find((a) => a.entity_id === dup.id)!;
      assert.match(note.diff, /merged into C-7701/);
      const event = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('aggregate_id')
        .where('type', '=', 'customer.merged')
        .executeTakeFirst();
      assert.equal(event?.aggregate_id, keep.id);
      const after = (await call('GET', '/api/v1/masterdata/compliance')).json();
      assert.ok(
        !after.duplicateGroups.some((g: { codes: string[] }) => g.codes.includes('C-7702')),
        'a merged record is no longer reported as a duplicate',
      );
      const again = await merge('customers', { keepId: dup.id, mergeIds: [keep.id] });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'MERGE_TARGET_INACTIVE');
    });

    it('moves BOM lines (and their component code), stock and supplier links of merged items', async () => {
      const keep = await item('RM-770001');
      const dup = await item('RM-770002');
      const parent = await item('SF-770003', { type: 'semi_finished' });
      const bom = await created('/api/v1/boms', {
        itemId: parent.id,
        versionLabel: 'A',
        lines: [{ componentItemId: dup.id, qtyPer: '2' }],
      });
      const supplier = await created('/api/v1/suppliers', {
        code: 'S-7701',
        name: '合并供应商',
        items: [
          { itemId: keep.id, price: '1.00' },
          { itemId: dup.id, price: '1.10' },
        ],
      });
      await receive(dup.id, '40');
      const dry = await merge('items', { keepId: keep.id, mergeIds: [dup.id] }, true);
      assert.equal(dry.statusCode, 200, dry.body);
      const counts = Object.fromEntries(
        dry
          .json()
          .references.map((r: { table: string; column: string; count: number }) => [
            `${r.table}.${r.column}`,
            r.count,
          ]),
      );
      assert.deepEqual(counts, {
        'bom_lines.component_item_id': 1,
        'stock_balances.item_id': 1,
        'stock_moves.item_id': 1,
        'supplier_items.item_id': 1,
      });
      const res = await merge('items', { keepId: keep.id, mergeIds: [dup.id] });
      assert.equal(res.statusCode, 200, res.body);
      const line = (await call('GET', `/api/v1/boms/${bom.id}`)).json().lines[0];
      assert.equal(line.componentItemId, keep.id);
      assert.equal(line.componentCode, 'RM-770001');
      const s = (await call('GET', `/api/v1/suppliers/${supplier.id}`)).json();
      assert.deepEqual(
        s.items.map((i: { itemId: string; price: string }) => [i.itemId, i.price]),
        [[keep.id, '1.00']],
      );
      const balance = await h.runtime.db.kysely
        .selectFrom('stock_balances')
        .select(['item_id', 'on_hand'])
        .where('item_id', 'in', [keep.id, dup.id])
        .execute();
      assert.deepEqual(
        balance.map((b) => [b.item_id, Number(b.on_hand)]),
        [[keep.id, 40000]],
      );
      const ledger = (await call('GET', '/api/v1/inventory/ledger-check')).json();
      assert.deepEqual(ledger, []);
      assert.equal((await call('GET', `/api/v1/items/${dup.id}`)).json().active, false);
    });

    it('refuses merging items that both hold stock, or differ in type or unit, and a record into itself', async () => {
      const a = await item('RM-770011');
      const b = await item('RM-770012');
      await receive(a.id, '5');
      await receive(b.id, '6');
      const both = await merge('items', { keepId: a.id, mergeIds: [b.id] });
      assert.equal(both.statusCode, 409);
      assert.equal(both.json().code, 'MERGE_STOCK_ON_BOTH');
      const dryBoth = await merge('items', { keepId: a.id, mergeIds: [b.id] }, true);
      assert.equal(dryBoth.json().code, 'MERGE_STOCK_ON_BOTH');

      const kg = await item('RM-770013', { uom: 'kg' });
      const unit = await merge('items', { keepId: a.id, mergeIds: [kg.id] });
      assert.equal(unit.statusCode, 409);
      assert.equal(unit.json().code, 'MERGE_INCOMPATIBLE');
      const fg = await item('FG-770014', { type: 'finished' });
      const type = await merge('items', { keepId: a.id, mergeIds: [fg.id] });
      assert.equal(type.json().code, 'MERGE_INCOMPATIBLE');

      const self = await merge('items', { keepId: a.id, mergeIds: [a.id] });
      assert.equal(self.statusCode, 400);
      assert.equal(self.json().code, 'MERGE_SAME_RECORD');
      const missing = await merge('suppliers', { keepId: a.id, mergeIds: [b.id] });
      assert.equal(missing.statusCode, 404);
      const stale = await merge('items', { keepId: a.id, mergeIds: [kg.id], version: a.version + 5 });
      assert.equal(stale.json().code, 'STALE_VERSION');
      // Nothing changed by the refusals.
      assert.equal((await call('GET', `/api/v1/items/${b.id}`)).json().active, true);
      assert.equal((await call('GET', `/api/v1/items/${kg.id}`)).json().active, true);
    });

    it('refuses items that both have their own BOM', async () => {
      const a = await item('SF-770021', { type: 'semi_finished' });
      const b = await item('SF-770022', { type: 'semi_finished' });
      const comp = await item('RM-770023');
      for (const x of [a, b]) {
        await created('/api/v1/boms', {
          itemId: x.id,
          versionLabel: 'A',
          lines: [{ componentItemId: comp.id, qtyPer: '1' }],
        });
      }
      const res = await merge('items', { keepId: a.id, mergeIds: [b.id] });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'MERGE_CONFLICT');
    });
  });
}
