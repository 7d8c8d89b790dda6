import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ledgerFindings } from '../modules/inventory/inventory.query.ts';
import { testTargets } from './databases.ts';
import { insertBom, insertMachine, insertRouting, insertWorkCenter } from './fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from './harness.ts';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The whole loop through the API: a sales order short of stock becomes work orders (with a child),
 * MRP plans the raw material, a purchase order receives it with a lot, the work orders consume it,
 * report and put output into stock, and the order ships — every quantity agreeing at each step.
 */
for (const target of await testTargets()) {
  describe(`order to delivery on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const id: Record<string, string> = {};
    const ok = async (
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      body?: unknown,
      status = [200, 201, 202],
    ) => {
      const res = await call(method, url, body);
      assert.ok(status.includes(res.statusCode), `${method} ${url} → ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const onHand = async (itemId: string) =>
      (await ok('GET', `/api/v1/inventory/items/${itemId}/availability`)).onHand;

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      id.wh = (await ok('POST', '/api/v1/warehouses', { code: 'WH-LOOP', name: '总仓' })).id;
      id.store = (
        await ok('POST', `/api/v1/warehouses/${id.wh}/locations`, {
          code: 'A-01',
          name: '货架 A-01',
          kind: 'storage',
        })
      ).id;
      for (const [code, type, tracking] of [
        ['FG-LOOP-01', 'finished', 'none'],
        ['SF-LOOP-01', 'semi_finished', 'none'],
        ['RM-LOOP-01', 'raw', 'lot'],
      ] as const) {
        id[code] = (
          await ok('POST', '/api/v1/items', {
            code,
            name: code,
            type,
            uom: 'pcs',
            tracking,
            purchaseLeadDays: 3,
          })
        ).id;
      }
      id.customer = (
        await ok('POST', '/api/v1/customers', { code: 'CUS-LOOP', name: '华东机电', tier: 'A' })
      ).id;
      id.supplier = (
        await ok('POST', '/api/v1/suppliers', {
          code: 'SUP-LOOP',
          name: '宝钢经销',
          leadDays: 3,
          items: [{ itemId: id['RM-LOOP-01'], price: '12.50' }],
        })
      ).id;
      const wc = await insertWorkCenter(db, 'WC-LOOP');
      id.machine = await insertMachine(db, 'M-LOOP', wc);
      await insertBom(db, id['FG-LOOP-01']!, 'FG-LOOP-01', [[id['SF-LOOP-01']!, 'SF-LOOP-01', 2_000, 0]]);
      await insertBom(db, id['SF-LOOP-01']!, 'SF-LOOP-01', [[id['RM-LOOP-01']!, 'RM-LOOP-01', 1_500, 0]]);
      await insertRouting(db, id['FG-LOOP-01']!, 'FG-LOOP-01', [[10, '装配', wc, false]]);
      await insertRouting(db, id['SF-LOOP-01']!, 'SF-LOOP-01', [[10, '车削', wc, false]]);
    });
    after(async () => h.close());

    it('walks sales order → work orders → MRP → purchase → receipt → production → shipment with quantities agreeing', async () => {
      // 1. A sales order with nothing in stock: confirming reserves nothing and shows the shortage.
      const so = await ok('POST', '/api/v1/sales-orders', {
        customerId: id.customer,
        lines: [{ itemId: id['FG-LOOP-01'], qty: '10', unitPrice: '88.00', requestedDate: day(20) }],
      });
      const confirmed = await ok('POST', `/api/v1/sales-orders/${so.id}/confirm`, { version: so.version });
      assert.equal(confirmed.lines[0].reserved, '0');
      assert.equal(confirmed.lines[0].shortage, '10');

      // 2. Make-to-order: a work order for the finished item with a child for the semi-finished one.
      const wos = await ok('POST', '/api/v1/work-orders/from-sales-order', { salesOrderId: so.id });
      assert.equal(wos.length, 2);
      const fgWo = wos.find((w: { itemId: string }) => w.itemId === id['FG-LOOP-01']);
      const sfWo = wos.find((w: { itemId: string }) => w.itemId === id['SF-LOOP-01']);
      assert.equal(fgWo.qty, '10');
      assert.equal(sfWo.qty, '20');
      assert.equal(sfWo.parentId, fgWo.id);
      assert.equal((await ok('GET', `/api/v1/sales-orders/${so.id}`)).status, 'in_production');
      const again = await ok('POST', '/api/v1/work-orders/from-sales-order', { salesOrderId: so.id });
      assert.equal(again.length, 2, 'running it again makes nothing new');
      const progress = await ok('GET', `/api/v1/sales-orders/${so.id}/progress`);
      assert.ok(JSON.stringify(progress).includes(fgWo.code), 'the order shows its work orders');

      // 3. MRP sees the child order's material need and plans a purchase of 30 RM.
      const run = await ok('POST', '/api/v1/mrp/runs', {});
      const done = await waitFor(async () => {
        const r = await ok('GET', `/api/v1/mrp/runs/${run.id}`);
        return r.status === 'done' || r.status === 'failed' ? r : null;
      }, 20_000);
      assert.equal(done.status, 'done', JSON.stringify(done));
      const planned = await ok('GET', `/api/v1/mrp/runs/${run.id}/planned-orders?itemId=${id['RM-LOOP-01']}`);
      const buy = planned.items.filter((p: { kind: string }) => p.kind === 'buy');
      assert.equal(buy.length, 1, JSON.stringify(planned.items));
      assert.equal(buy[0].qty, '30');

      // 4. The planned order becomes a purchase order, approved, sent and received with a lot.
      const fromPlanned = await ok('POST', '/api/v1/purchase-orders/from-planned', {
        plannedOrderIds: [buy[0].id],
      });
      let po = fromPlanned.purchaseOrders[0];
      assert.equal(po.lines[0].qty, '30');
      po = await ok('POST', `/api/v1/purchase-orders/${po.id}/approve`, { version: po.version });
      po = await ok('POST', `/api/v1/purchase-orders/${po.id}/send`, { version: po.version });
      await ok('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: id.store,
        lines: [{ lineId: po.lines[0].id, qty: '30', lot: 'BG-2611-07' }],
      });
      assert.equal((await ok('GET', `/api/v1/purchase-orders/${po.id}`)).status, 'received');
      assert.equal(await onHand(id['RM-LOOP-01']!), '30');

      // 5. The child order runs: material issued from the lot, the operation reported, output received.
      const act = async (woId: string, action: string, extra: object = {}) => {
        const cur = await ok('GET', `/api/v1/work-orders/${woId}`);
        return ok('POST', `/api/v1/work-orders/${woId}/actions`, { action, version: cur.version, ...extra });
      };
      for (const a of ['release', 'dispatch', 'start']) await act(sfWo.id, a);
      const sf = await ok('GET', `/api/v1/work-orders/${sfWo.id}`);
      await ok('POST', `/api/v1/work-orders/${sfWo.id}/issues`, {
        lines: [{ materialId: sf.materials[0].id, qty: '30', fromLocationId: id.store, lot: 'BG-2611-07' }],
      });
      assert.equal(await onHand(id['RM-LOOP-01']!), '0');
      const op = sf.operations[0];
      await ok('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.machine });
      await ok('POST', `/api/v1/operations/${op.id}/actions`, { action: 'start' });
      await ok('POST', `/api/v1/operations/${op.id}/reports`, {
        idempotencyKey: 'loop-report-sf-0001',
        good: '20',
      });
      await ok('POST', `/api/v1/operations/${op.id}/actions`, { action: 'complete' });
      await ok('POST', `/api/v1/work-orders/${sfWo.id}/output`, { goodQty: '20', toLocationId: id.store });
      await act(sfWo.id, 'complete');
      assert.equal(await onHand(id['SF-LOOP-01']!), '20');

      // 6. The parent runs with backflush: its output consumes the semi-finished parts.
      for (const a of ['release', 'dispatch', 'start']) await act(fgWo.id, a);
      const fgOp = (await ok('GET', `/api/v1/work-orders/${fgWo.id}`)).operations[0];
      await ok('POST', `/api/v1/operations/${fgOp.id}/dispatch`, { machineId: id.machine });
      await ok('POST', `/api/v1/operations/${fgOp.id}/actions`, { action: 'start' });
      await ok('POST', `/api/v1/operations/${fgOp.id}/reports`, {
        idempotencyKey: 'loop-report-fg-0001',
        good: '10',
      });
      const fgOut = await ok('POST', `/api/v1/work-orders/${fgWo.id}/output`, {
        goodQty: '10',
        toLocationId: id.store,
        backflushFromLocationId: id.store,
      });
      assert.equal(fgOut.materials[0].qtyIssued, '20');
      await act(fgWo.id, 'complete');
      assert.equal(await onHand(id['SF-LOOP-01']!), '0');
      assert.equal(await onHand(id['FG-LOOP-01']!), '10');

      // 7. Ship in two parts; the order rolls up to shipped.
      const line = (await ok('GET', `/api/v1/sales-orders/${so.id}`)).lines[0];
      await ok('POST', `/api/v1/sales-orders/${so.id}/shipments`, {
        lines: [{ lineId: line.id, qty: '4', fromLocationId: id.store }],
      });
      assert.equal((await ok('GET', `/api/v1/sales-orders/${so.id}`)).status, 'partially_shipped');
      await ok('POST', `/api/v1/sales-orders/${so.id}/shipments`, {
        lines: [{ lineId: line.id, qty: '6', fromLocationId: id.store }],
      });
      const shipped = await ok('GET', `/api/v1/sales-orders/${so.id}`);
      assert.equal(shipped.status, 'shipped');
      assert.equal(shipped.lines[0].shipped, '10');
      assert.equal(await onHand(id['FG-LOOP-01']!), '0');

      // Every balance equals the sum of its moves, and the lot's path is on record.
      assert.deepEqual(await ledgerFindings(h.runtime.db), []);
      const moves = await ok('GET', `/api/v1/inventory/moves?itemId=${id['RM-LOOP-01']}`);
      assert.deepEqual(
        moves.items.map((m: { kind: string; qty: string; lot: string }) => [m.kind, m.qty, m.lot]).sort(),
        [
          ['issue', '30', 'BG-2611-07'],
          ['receipt', '30', 'BG-2611-07'],
        ],
      );
    });

    it('cancels the unstarted work orders of a cancelled sales order and plans MRP again', async () => {
      const so = await ok('POST', '/api/v1/sales-orders', {
        customerId: id.customer,
        lines: [{ itemId: id['FG-LOOP-01'], qty: '3', unitPrice: '88.00', requestedDate: day(30) }],
      });
      await ok('POST', `/api/v1/sales-orders/${so.id}/confirm`, { version: so.version });
      const wos = await ok('POST', '/api/v1/work-orders/from-sales-order', { salesOrderId: so.id });
      assert.equal(wos.length, 2);
      const current = await ok('GET', `/api/v1/sales-orders/${so.id}`);
      await ok('POST', `/api/v1/sales-orders/${so.id}/cancel`, {
        version: current.version,
        reason: '客户撤单',
      });
      const result = await ok('POST', '/api/v1/work-orders/cancel-for-sales-order', {
        salesOrderId: so.id,
        reason: '客户撤单',
      });
      assert.equal(result.cancelled.length, 1);
      for (const w of wos) assert.equal((await ok('GET', `/api/v1/work-orders/${w.id}`)).status, 'cancelled');
      await waitFor(async () => {
        const jobs = await h.runtime.db.kysely
          .selectFrom('jobs')
          .select('id')
          .where('name', '=', 'mrp.replan')
          .execute();
        return jobs.length > 0;
      });
    });
  });
}
