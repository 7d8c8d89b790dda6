import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { addItem, addLocation, addSupplier, count, onHand } from './purchasing.testkit.ts';

for (const target of await testTargets()) {
  describe(`purchase orders and receipts on ${target.name}`, () => {
    let h: Harness;
    let admin: ReturnType<typeof api>;
    let buyer: ReturnType<typeof api>;
    let warehouse: ReturnType<typeof api>;
    let bolt: string;
    let steel: string;
    let supplier: string;
    let loc: string;

    before(async () => {
      h = await startHarness(target, { demo: true });
      admin = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      buyer = api(h.runtime, await signIn(h.runtime, 'purchasing', 'takt-demo'));
      warehouse = api(h.runtime, await signIn(h.runtime, 'warehouse', 'takt-demo'));
      const db = h.runtime.db.kysely;
      bolt = await addItem(db, 'T-BOLT');
      steel = await addItem(db, 'T-STEEL', { tracking: 'lot' });
      supplier = await addSupplier(db, 'T-SUP', { [bolt]: 125, [steel]: 880 });
      loc = await addLocation(db, 'T-RCV');
    });
    after(async () => h.close());

    const create = async (lines: object[], extra: object = {}, as = buyer) => {
      const res = await as('POST', '/api/v1/purchase-orders', { supplierId: supplier, lines, ...extra });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const step = async (po: { id: string; version: number }, action: string, as = admin, body: object = {}) =>
      as('POST', `/api/v1/purchase-orders/${po.id}/${action}`, { version: po.version, ...body });
    const open = async (lines: object[], extra: object = {}) => {
      let po = await create(lines, extra);
      po = (await step(po, 'approve')).json();
      return (await step(po, 'send')).json();
    };

    it('creates a draft with a PO code and unit prices from the supplier price list', async () => {
      const po = await create([{ itemId: bolt, qty: '100', dueDate: '2030-01-10' }]);
      assert.match(po.code, /^PO-\d{6}-\d{4}$/);
      assert.equal(po.status, 'draft');
      assert.equal(po.lines[0].unitPrice, '1.25');
      assert.equal(po.total, '125.00');
      assert.equal(po.overReceiptTolerance, '5.00');
    });

    it('hands out distinct codes to orders created at the same moment', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          buyer('POST', '/api/v1/purchase-orders', {
            supplierId: supplier,
            lines: [{ itemId: bolt, qty: '1', dueDate: '2030-01-10' }],
          }),
        ),
      );
      for (const r of results) assert.equal(r.statusCode, 201, r.body);
      const codes = results.map((r) => r.json().code as string);
      assert.equal(new Set(codes).size, codes.length);
    });

    it('walks draft → approved → sent → partially received → received → closed', async () => {
      let po = await create([{ itemId: bolt, qty: '10', dueDate: '2030-01-10' }]);
      po = (await step(po, 'approve')).json();
      assert.equal(po.status, 'approved');
      assert.ok(po.approvedAt);
      po = (await step(po, 'send')).json();
      assert.equal(po.status, 'sent');
      const lineId = po.lines[0].id;
      let res = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId, qty: '4' }],
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().purchaseOrder.status, 'partially_received');
      assert.equal(res.json().purchaseOrder.lines[0].status, 'partially_received');
      res = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId, qty: '6' }],
      });
      po = res.json().purchaseOrder;
      assert.equal(po.status, 'received');
      assert.equal(po.lines[0].receivedQty, '10');
      assert.equal(po.lines[0].openQty, '0');
      po = (await step(po, 'close')).json();
      assert.equal(po.status, 'closed');
      assert.equal((await step(po, 'cancel', admin, { reason: 'x' })).json().code, 'INVALID_STATE');
    });

    it('cancels from draft, approved and sent, and refuses every transition its state does not allow', async () => {
      for (const upTo of ['draft', 'approved', 'sent']) {
        let po = await create([{ itemId: bolt, qty: '1', dueDate: '2030-01-10' }]);
        if (upTo !== 'draft') po = (await step(po, 'approve')).json();
        if (upTo === 'sent') po = (await step(po, 'send')).json();
        const res = await step(po, 'cancel', admin, { reason: '供应商停产' });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().status, 'cancelled');
        assert.equal(res.json().lines[0].status, 'cancelled');
        const again = res.json();
        for (const action of ['approve', 'send', 'close']) {
          const r = await step(again, action);
          assert.equal(r.statusCode, 409);
          assert.equal(r.json().code, 'INVALID_STATE');
        }
      }
      const draft = await create([{ itemId: bolt, qty: '1', dueDate: '2030-01-10' }]);
      for (const action of ['send', 'close'])
        assert.equal((await step(draft, action)).json().code, 'INVALID_STATE');
      const r = await warehouse('POST', `/api/v1/purchase-orders/${draft.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId: draft.lines[0].id, qty: '1' }],
      });
      assert.equal(r.json().code, 'INVALID_STATE');
    });

    it('refuses a stale version with STALE_VERSION', async () => {
      const po = await create([{ itemId: bolt, qty: '1', dueDate: '2030-01-10' }]);
      const res = await step({ ...po, version: po.version + 3 }, 'approve');
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'STALE_VERSION');
    });

    it('lets only holders of purchasing:approve approve, and a separate approver when configured', async () => {
      const po = await create([{ itemId: bolt, qty: '1', dueDate: '2030-01-10' }]);
      assert.equal((await step(po, 'approve', warehouse)).statusCode, 403);
      const settings = (await admin('GET', '/api/v1/purchase-orders/settings')).json();
      let res = await admin('PATCH', '/api/v1/purchase-orders/settings', {
        version: settings.version,
        requireSeparateApprover: true,
      });
      assert.equal(res.statusCode, 200, res.body);
      res = await step(po, 'approve', buyer);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'SEPARATE_APPROVER_REQUIRED');
      assert.equal((await step(po, 'approve', admin)).json().status, 'approved');
      const now = (await admin('GET', '/api/v1/purchase-orders/settings')).json();
      await admin('PATCH', '/api/v1/purchase-orders/settings', {
        version: now.version,
        requireSeparateApprover: false,
      });
    });

    it('refuses a receipt beyond the over-receipt tolerance, naming the field and writing nothing', async () => {
      const po = await open([{ itemId: bolt, qty: '100', dueDate: '2030-01-10' }]);
      const db = h.runtime.db.kysely;
      const moves = await count(db, 'stock_moves');
      const receipts = await count(db, 'purchase_receipts');
      const stock = await onHand(db, bolt);
      const res = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId: po.lines[0].id, qty: '105.001' }],
      });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().code, 'OVER_RECEIPT');
      assert.equal(res.json().errors[0].field, '/lines/0/qty');
      assert.equal(await count(db, 'stock_moves'), moves);
      assert.equal(await count(db, 'purchase_receipts'), receipts);
      assert.equal(await onHand(db, bolt), stock);
      assert.equal((await admin('GET', `/api/v1/purchase-orders/${po.id}`)).json().lines[0].receivedQty, '0');
      const ok = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId: po.lines[0].id, qty: '105' }],
      });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().purchaseOrder.status, 'received');
    });

    it('applies the tolerance configured on the order', async () => {
      const po = await open([{ itemId: bolt, qty: '10', dueDate: '2030-01-10' }], {
        overReceiptTolerance: '0',
      });
      const res = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId: po.lines[0].id, qty: '10.001' }],
      });
      assert.equal(res.json().code, 'OVER_RECEIPT');
    });

    it('never lets concurrent receipts against one line exceed the tolerance', async () => {
      const po = await open([{ itemId: bolt, qty: '100', dueDate: '2030-01-10' }]);
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
            locationId: loc,
            lines: [{ lineId: po.lines[0].id, qty: '40' }],
          }),
        ),
      );
      const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.statusCode : 0));
      assert.equal(codes.filter((c) => c === 201).length, 2, String(codes));
      assert.equal(codes.filter((c) => c === 409).length, 3, String(codes));
      const line = (await admin('GET', `/api/v1/purchase-orders/${po.id}`)).json().lines[0];
      assert.equal(line.receivedQty, '80');
      const moves = await h.runtime.db.kysely
        .selectFrom('stock_moves')
        .select((eb) => eb.fn.sum<number>('qty').as('n'))
        .where('ref_id', '=', po.id)
        .executeTakeFirst();
      assert.equal(Number(moves?.n), 80_000);
    });

    it('creates lots on receipt of a lot-tracked item and asks for the lot when it is missing', async () => {
      const po = await open([{ itemId: steel, qty: '50', dueDate: '2030-01-10' }]);
      const missing = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId: po.lines[0].id, qty: '20' }],
      });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().errors[0].field, '/lines/0/lot');
      const res = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [
          { lineId: po.lines[0].id, qty: '20', lot: 'L-2401' },
          { lineId: po.lines[0].id, qty: '30', lot: 'L-2402' },
        ],
      });
      assert.equal(res.statusCode, 201, res.body);
      const lots = await h.runtime.db.kysely
        .selectFrom('lots')
        .select('code')
        .where('item_id', '=', steel)
        .orderBy('code')
        .execute();
      assert.deepEqual(
        lots.map((l) => l.code),
        ['L-2401', 'L-2402'],
      );
      assert.equal(res.json().purchaseOrder.status, 'received');
    });

    it('returns goods to the supplier: stock and the received quantity drop, the order reopens', async () => {
      const po = await open([{ itemId: bolt, qty: '10', dueDate: '2030-01-10' }]);
      await warehouse('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId: po.lines[0].id, qty: '10' }],
      });
      const before = await onHand(h.runtime.db.kysely, bolt);
      const tooMuch = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/returns`, {
        locationId: loc,
        reason: '尺寸超差',
        lines: [{ lineId: po.lines[0].id, qty: '11' }],
      });
      assert.equal(tooMuch.statusCode, 400);
      assert.equal(tooMuch.json().errors[0].field, '/lines/0/qty');
      const res = await warehouse('POST', `/api/v1/purchase-orders/${po.id}/returns`, {
        locationId: loc,
        reason: '尺寸超差',
        lines: [{ lineId: po.lines[0].id, qty: '3' }],
      });
      assert.equal(res.statusCode, 201, res.body);
      const after = res.json().purchaseOrder;
      assert.equal(after.lines[0].receivedQty, '7');
      assert.equal(after.lines[0].returnedQty, '3');
      assert.equal(after.status, 'partially_received');
      assert.equal(await onHand(h.runtime.db.kysely, bolt), before - 3000);
      const move = await h.runtime.db.kysely
        .selectFrom('stock_moves')
        .selectAll()
        .where('id', '=', res.json().receipts[0].moveId)
        .executeTakeFirstOrThrow();
      assert.equal(move.kind, 'issue');
      assert.match(String(move.reason), /return to supplier: 尺寸超差/);
      const list = (await admin('GET', `/api/v1/purchase-orders/${po.id}/receipts`)).json();
      assert.deepEqual(
        list.items.map((r: { kind: string }) => r.kind),
        ['receipt', 'return'],
      );
    });

    it('lists open lines past due with days late, oldest first', async () => {
      const a = await open([{ itemId: bolt, qty: '5', dueDate: '2020-03-01' }]);
      const b = await open([
        { itemId: bolt, qty: '5', dueDate: '2020-03-08' },
        { itemId: bolt, qty: '5', dueDate: '2020-03-30' },
      ]);
      const done = await open([{ itemId: bolt, qty: '5', dueDate: '2020-02-01' }]);
      await warehouse('POST', `/api/v1/purchase-orders/${done.id}/receipts`, {
        locationId: loc,
        lines: [{ lineId: done.lines[0].id, qty: '5' }],
      });
      const res = await buyer('GET', '/api/v1/purchase-orders/late?asOf=2020-03-11&limit=1');
      assert.equal(res.statusCode, 200, res.body);
      const first = res.json();
      assert.equal(first.items[0].purchaseOrderId, a.id);
      assert.equal(first.items[0].daysLate, 10);
      const second = (
        await buyer('GET', `/api/v1/purchase-orders/late?asOf=2020-03-11&limit=5&cursor=${first.nextCursor}`)
      ).json();
      assert.deepEqual(
        second.items.map((l: { purchaseOrderId: string; daysLate: number }) => [
          l.purchaseOrderId,
          l.daysLate,
        ]),
        [[b.id, 3]],
      );
    });

    it('prints a clean HTML document in Chinese or English', async () => {
      const po = await create([{ itemId: bolt, qty: '12', dueDate: '2030-01-10' }], { notes: '<b>加急</b>' });
      const zh = await buyer('GET', `/api/v1/purchase-orders/${po.id}/print`);
      assert.equal(zh.statusCode, 200);
      assert.match(String(zh.headers['content-type']), /text\/html/);
      // A document, unlike the JSON answers: it keeps the headers only pages use.
      assert.equal(zh.headers['cross-origin-opener-policy'], 'same-origin');
      assert.match(zh.body, /采购订单/);
      assert.match(zh.body, new RegExp(po.code));
      assert.ok(zh.body.includes('&lt;b&gt;加急&lt;/b&gt;'));
      assert.ok(!zh.body.includes('<script'));
      const en = await buyer('GET', `/api/v1/purchase-orders/${po.id}/print?lang=en`);
      assert.match(en.body, /Purchase Order/);
    });
  });
}
