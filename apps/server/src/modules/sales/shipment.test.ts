import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { ledgerFindings } from '../inventory/inventory.query.ts';
import { freshItem, type SalesFixture, salesFixture } from './sales.fixture.ts';
import { renderDeliveryNote } from './shipment.pdf.ts';

for (const target of await testTargets()) {
  describe(`shipping sales orders on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let fx: SalesFixture;
    let n = 0;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      fx = await salesFixture(h.runtime.db, '9201');
    });
    after(async () => h.close());

    /** A confirmed order for `qty` of a fresh item with `stock` on hand at location A. */
    const confirmedOrder = async (qty: string, stock: number, tracking: 'none' | 'lot' = 'none') => {
      const itemId = await freshItem(h.runtime.db, `FG-92${String(++n).padStart(4, '0')}`, tracking);
      if (stock > 0) await fx.receive(itemId, stock, fx.locA, tracking === 'lot' ? 'L-001' : undefined);
      const so = (
        await call('POST', '/api/v1/sales-orders', {
          customerId: fx.customerId,
          externalRef: '客户PO-2026-118',
          lines: [{ itemId, qty, unitPrice: '12.50', requestedDate: '2030-09-01' }],
        })
      ).json();
      const c = (await call('POST', `/api/v1/sales-orders/${so.id}/confirm`, {})).json();
      return { id: so.id as string, lineId: c.lines[0].id as string, itemId, order: c };
    };
    const ship = (id: string, lines: object[]) =>
      call('POST', `/api/v1/sales-orders/${id}/shipments`, { lines });
    const moveCount = async () =>
      Number(
        (
          await h.runtime.db.kysely
            .selectFrom('stock_moves')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('ships in parts, consuming the reservation and rolling the status up to shipped', async () => {
      const o = await confirmedOrder('10', 10_000);
      assert.equal(o.order.lines[0].reserved, '10');
      const first = await ship(o.id, [{ lineId: o.lineId, qty: '4', fromLocationId: fx.locA }]);
      assert.equal(first.statusCode, 201, first.body);
      assert.match(first.json().code, /^SH-\d{6}-\d{4}$/);
      let p = (await call('GET', `/api/v1/sales-orders/${o.id}/progress`)).json();
      assert.equal(p.status, 'partially_shipped');
      assert.deepEqual(
        [p.lines[0].ordered, p.lines[0].reserved, p.lines[0].shipped, p.lines[0].remaining],
        ['10', '6', '4', '6'],
      );
      assert.deepEqual(p.lines[0].workOrders, []);
      const second = await ship(o.id, [{ lineId: o.lineId, qty: '6', fromLocationId: fx.locA }]);
      assert.equal(second.statusCode, 201, second.body);
      p = (await call('GET', `/api/v1/sales-orders/${o.id}/progress`)).json();
      assert.equal(p.status, 'shipped');
      assert.deepEqual([p.lines[0].reserved, p.lines[0].shipped, p.shipments], ['0', '10', 2]);
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', o.id)
        .orderBy('seq')
        .execute();
      assert.equal(events.filter((e) => e.type === 'shipment.posted').length, 2);
      assert.deepEqual(
        events.filter((e) => e.type === 'salesorder.status_changed').length,
        2,
        'confirmed → partially_shipped → shipped',
      );
      const close = await call('POST', `/api/v1/sales-orders/${o.id}/close`, {});
      assert.equal(close.json().status, 'closed');
      assert.deepEqual(await ledgerFindings(h.runtime.db), []);
    });

    it('refuses over-shipment naming the field and writes nothing', async () => {
      const o = await confirmedOrder('5', 20_000);
      const moves = await moveCount();
      const res = await ship(o.id, [
        { lineId: o.lineId, qty: '3', fromLocationId: fx.locA },
        { lineId: o.lineId, qty: '2.001', fromLocationId: fx.locA },
      ]);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'OVER_SHIPMENT');
      assert.equal(res.json().errors[0].field, '/lines/1/qty');
      assert.equal(await moveCount(), moves);
      const p = (await call('GET', `/api/v1/sales-orders/${o.id}/progress`)).json();
      assert.deepEqual([p.status, p.lines[0].shipped, p.lines[0].reserved], ['confirmed', '0', '5']);
    });

    it('refuses shipping more than is on hand at the location, through the ledger', async () => {
      const o = await confirmedOrder('5', 5_000);
      const res = await ship(o.id, [{ lineId: o.lineId, qty: '1', fromLocationId: fx.locB }]);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'INSUFFICIENT_STOCK');
      assert.equal(res.json().errors[0].field, '/lines/0/qty');
    });

    it('refuses shipping stock that is reserved for another order', async () => {
      const o = await confirmedOrder('5', 5_000);
      const other = (
        await call('POST', '/api/v1/sales-orders', {
          customerId: fx.customerId,
          lines: [{ itemId: o.itemId, qty: '2', unitPrice: '1', requestedDate: '2030-09-01' }],
        })
      ).json();
      await call('POST', `/api/v1/sales-orders/${other.id}/confirm`, {});
      const res = await ship(other.id, [{ lineId: other.lines[0].id, qty: '1', fromLocationId: fx.locA }]);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'INSUFFICIENT_AVAILABLE');
    });

    it('asks for the lot of a lot-tracked item and ships from it', async () => {
      const o = await confirmedOrder('2', 2_000, 'lot');
      const noLot = await ship(o.id, [{ lineId: o.lineId, qty: '1', fromLocationId: fx.locA }]);
      assert.equal(noLot.statusCode, 400);
      assert.equal(noLot.json().errors[0].field, '/lines/0/lot');
      const res = await ship(o.id, [{ lineId: o.lineId, qty: '2', fromLocationId: fx.locA, lot: 'L-001' }]);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().lines[0].lot, 'L-001');
    });

    it('refuses to ship a draft order', async () => {
      const itemId = await freshItem(h.runtime.db, 'FG-929999');
      const so = (
        await call('POST', '/api/v1/sales-orders', {
          customerId: fx.customerId,
          lines: [{ itemId, qty: '1', unitPrice: '1', requestedDate: '2030-09-01' }],
        })
      ).json();
      const res = await ship(so.id, [{ lineId: so.lines[0].id, qty: '1', fromLocationId: fx.locA }]);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'INVALID_STATE');
    });

    it('never ships more than ordered when shipments against one line race', async () => {
      const o = await confirmedOrder('5', 50_000);
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          ship(o.id, [{ lineId: o.lineId, qty: '2', fromLocationId: fx.locA }]),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [201, 201, 409, 409, 409, 409]);
      const p = (await call('GET', `/api/v1/sales-orders/${o.id}/progress`)).json();
      assert.equal(p.lines[0].shipped, '4');
      assert.deepEqual(await ledgerFindings(h.runtime.db), []);
    });

    it('prints a delivery note as a PDF', async () => {
      const o = await confirmedOrder('3', 3_000);
      const s = (await ship(o.id, [{ lineId: o.lineId, qty: '3', fromLocationId: fx.locA }])).json();
      const res = await h.runtime.app.inject({
        method: 'GET',
        url: `/api/v1/sales-orders/${o.id}/shipments/${s.id}/delivery-note.pdf`,
        headers: { cookie: (await signIn(h.runtime, 'warehouse', 'takt-demo')).cookie },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
      if (process.env.TAKT_KEEP_PDF)
        fs.writeFileSync(path.join(os.tmpdir(), 'delivery-note.pdf'), res.rawPayload);
      const list = (await call('GET', `/api/v1/sales-orders/${o.id}/shipments`)).json();
      assert.equal(list.items[0].code, s.code);
    });
  });
}

describe('delivery note without a Chinese font', () => {
  it('falls back to Latin text instead of failing', async () => {
    const pdf = await renderDeliveryNote(
      {
        shipmentCode: 'SH-261124-0001',
        orderCode: 'SO-261124-0001',
        customerRef: 'PO-1',
        customer: { code: 'C-0001', name: '华东机电', address: '' },
        date: '2026-11-24',
        note: '',
        lines: [
          {
            itemCode: 'FG-100100',
            name: '法兰盘',
            spec: 'DN50',
            uom: 'pcs',
            qty: '3',
            lot: '',
            location: 'A-01',
          },
        ],
      },
      null,
    );
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  });
});
