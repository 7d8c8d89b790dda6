import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { WorkOrderStatus } from '@takt/contracts';
import { WORK_ORDER_STATUSES } from '@takt/domain';
import { testTargets } from '../../testing/databases.ts';
import { insertBom, insertRouting, insertWarehouse, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { parseCsv } from '../imports/csv.ts';
import { ledgerFindings } from '../inventory/inventory.query.ts';
import { plannedMinutes, requiredQty } from './workorder.explode.ts';

describe('work-order quantity rules', () => {
  it('rounds component needs up, including scrap', () => {
    assert.equal(requiredQty(10_000, 2_500, 0), 25_000);
    assert.equal(requiredQty(10_000, 1_000, 500), 10_500);
    assert.equal(requiredQty(1, 1, 0), 1); // 0.001 × 0.001 still needs the smallest unit
    assert.equal(requiredQty(3_000, 333, 0), 999);
  });
  it('plans setup plus run time per unit, rounded up to the minute', () => {
    assert.equal(plannedMinutes(30, 1_500, 100_000), 30 + 150);
    assert.equal(plannedMinutes(0, 1, 1_000), 1);
  });
});

describe('work-order statuses', () => {
  it('the list filter takes exactly the states of the domain state machine', () => {
    assert.deepEqual(
      WorkOrderStatus.anyOf.map((s) => s.const),
      [...WORK_ORDER_STATUSES],
    );
  });
});

for (const target of await testTargets()) {
  describe(`work orders on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const id: Record<string, string> = {};

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      for (const [code, type] of [
        ['FG-1', 'finished'],
        ['SF-1', 'semi_finished'],
        ['RM-1', 'raw'],
        ['PP-1', 'purchased'],
        ['FG-NOROUTE', 'finished'],
      ] as const) {
        const r = await call('POST', '/api/v1/items', { code, name: code, type, uom: 'pcs' });
        assert.equal(r.statusCode, 201, r.body);
        id[code] = r.json().id;
      }
      Object.assign(id, await insertWarehouse(db, 'W', ['STORE', 'LINE']));
      const wc = await insertWorkCenter(db, 'CNC');
      // FG-1 = 2 × SF-1 + 4 × PP-1; SF-1 = 1.5 RM-1 with 10 % scrap.
      await insertBom(db, id['FG-1']!, 'FG-1', [
        [id['SF-1']!, 'SF-1', 2_000, 0],
        [id['PP-1']!, 'PP-1', 4_000, 0],
      ]);
      await insertBom(db, id['SF-1']!, 'SF-1', [[id['RM-1']!, 'RM-1', 1_500, 1_000]]);
      await insertBom(db, id['FG-NOROUTE']!, 'FG-NOROUTE', [[id['PP-1']!, 'PP-1', 1_000, 0]]);
      for (const item of ['FG-1', 'SF-1']) {
        await insertRouting(db, id[item]!, item, [
          [10, '车削', wc, false],
          [20, '检验', wc, true],
        ]);
      }
    });
    after(async () => h.close());

    it('explodes the active BOM and routing into materials, operations and a child work order', async () => {
      const res = await call('POST', '/api/v1/work-orders', {
        itemId: id['FG-1'],
        qty: '10',
        dueDate: '2026-12-20',
        salesOrderLineId: 'SOL-1',
      });
      assert.equal(res.statusCode, 201, res.body);
      const wo = res.json();
      assert.match(wo.code, /^WO-\d{6}-\d{4}$/);
      assert.deepEqual(
        wo.materials.map((m: { itemCode: string; qtyRequired: string }) => [m.itemCode, m.qtyRequired]),
        [
          ['SF-1', '20'],
          ['PP-1', '40'],
        ],
      );
      assert.deepEqual(
        wo.operations.map((o: { seq: number; plannedMinutes: number }) => [o.seq, o.plannedMinutes]),
        [
          [10, 45],
          [20, 45],
        ],
      );
      assert.equal(wo.children.length, 1);
      const child = (await call('GET', `/api/v1/work-orders/${wo.children[0].id}`)).json();
      assert.equal(child.qty, '20');
      assert.equal(child.parentId, wo.id);
      assert.equal(child.rootId, wo.id);
      assert.equal(child.salesOrderLineId, 'SOL-1');
      assert.deepEqual(
        child.materials.map((m: { itemCode: string; qtyRequired: string }) => [m.itemCode, m.qtyRequired]),
        [['RM-1', '33']],
      );
      const pegged = (await call('GET', `/api/v1/work-orders?rootId=${wo.id}`)).json();
      assert.equal(pegged.items.length, 2);
    });

    it('finds work orders by a part of their code in any case, and takes % and _ literally', async () => {
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: id['FG-NOROUTE'], qty: '1' })).json();
      const codes = async (q: string) => {
        const res = await call('GET', `/api/v1/work-orders?q=${encodeURIComponent(q)}&limit=500`);
        assert.equal(res.statusCode, 200, res.body);
        return (res.json().items as { code: string }[]).map((w) => w.code);
      };
      const tail = wo.code.slice(3);
      assert.ok((await codes(`wo-${tail}`)).includes(wo.code));
      assert.ok((await codes(`WO-${tail}`)).includes(wo.code));
      assert.deepEqual(await codes(`wo%${tail}`), []);
      assert.deepEqual(await codes('WO_'), []);
      assert.ok((await codes('-')).length >= 1);
    });

    it('refuses an unknown status filter with 400 naming status, on the list and its export', async () => {
      for (const url of [
        '/api/v1/work-orders?status=bogus',
        '/api/v1/work-orders?status=open',
        '/api/v1/work-orders/export?status=bogus&format=csv',
        '/api/v1/work-orders?status=Released',
      ]) {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
        assert.equal(problem.code, 'VALIDATION_FAILED');
        assert.match(problem.errors[0]!.message, /^must be one of "draft", "released", .*"cancelled"$/);
        assert.deepEqual(
          problem.errors.map((e) => e.field),
          ['/querystring/status'],
          url,
        );
      }
      // A real status still filters, on the list and the export.
      const draft = (
        await call('POST', '/api/v1/work-orders', { itemId: id['FG-NOROUTE'], qty: '1' })
      ).json();
      const cancelled = (
        await call('POST', '/api/v1/work-orders', { itemId: id['FG-NOROUTE'], qty: '1' })
      ).json();
      const cancel = await call('POST', `/api/v1/work-orders/${cancelled.id}/actions`, {
        action: 'cancel',
        version: cancelled.version,
        reason: 'not needed',
      });
      assert.equal(cancel.statusCode, 200, cancel.body);
      const listed = async (status: string) => {
        const res = await call('GET', `/api/v1/work-orders?status=${status}&limit=500`);
        assert.equal(res.statusCode, 200, res.body);
        const items = res.json().items as { id: string; status: string }[];
        assert.ok(items.length > 0, status);
        assert.ok(
          items.every((w) => w.status === status),
          status,
        );
        return items.map((w) => w.id);
      };
      const drafts = await listed('draft');
      assert.ok(drafts.includes(draft.id) && !drafts.includes(cancelled.id));
      const cancels = await listed('cancelled');
      assert.ok(cancels.includes(cancelled.id) && !cancels.includes(draft.id));
      const exported = await call('GET', '/api/v1/work-orders/export?status=cancelled&format=csv');
      assert.equal(exported.statusCode, 200, exported.body);
      const codes: string[] = [];
      for await (const row of parseCsv(Readable.from([exported.body]))) codes.push(row[0]!);
      assert.ok(codes.includes(cancelled.code) && !codes.includes(draft.code), exported.body);
    });

    it('prints a job traveler PDF with a QR code for the order and each operation', async () => {
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: id['FG-1'], qty: '3' })).json();
      const res = await call('GET', `/api/v1/work-orders/${wo.id}/traveler.pdf`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
      // At least one image per QR code: the order plus its two operations.
      const images = res.rawPayload.toString('latin1').match(/\/Subtype \/Image/g) ?? [];
      assert.ok(images.length >= 3, `${images.length} images`);
    });

    it('refuses to release without an active routing and names the reason', async () => {
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: id['FG-NOROUTE'], qty: '1' })).json();
      const res = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'release',
        version: 1,
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'INVALID_STATE');
      assert.equal(res.json().reason, 'NO_ACTIVE_ROUTING');
      const stale = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'cancel',
        version: 7,
        reason: 'x',
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
    });

    it("shows an item's new code and name in the work-order list as soon as the item is renamed", async () => {
      const itemId = id['FG-NOROUTE']!;
      const created = await call('POST', '/api/v1/work-orders', { itemId, qty: '2' });
      assert.equal(created.statusCode, 201, created.body);
      const rowOf = async () => {
        const page = (await call('GET', `/api/v1/work-orders?itemId=${itemId}&limit=50`)).json();
        return page.items.find((w: { id: string }) => w.id === created.json().id);
      };
      assert.deepEqual([(await rowOf()).itemCode, (await rowOf()).itemName], ['FG-NOROUTE', 'FG-NOROUTE']);
      const item = (await call('GET', `/api/v1/items/${itemId}`)).json();
      const renamed = await call('PATCH', `/api/v1/items/${itemId}`, {
        version: item.version,
        code: 'FG-NOROUTE-2',
        name: '成品 无工艺',
      });
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.deepEqual([(await rowOf()).itemCode, (await rowOf()).itemName], ['FG-NOROUTE-2', '成品 无工艺']);
      const back = await call('PATCH', `/api/v1/items/${itemId}`, {
        version: renamed.json().version,
        code: 'FG-NOROUTE',
        name: 'FG-NOROUTE',
      });
      assert.equal(back.statusCode, 200, back.body);
      assert.equal((await rowOf()).itemName, 'FG-NOROUTE');
    });

    it('walks release → start → issue → output with backflush → complete → close with every quantity agreeing', async () => {
      const act = async (woId: string, action: string, extra: object = {}) => {
        const cur = (await call('GET', `/api/v1/work-orders/${woId}`)).json();
        const r = await call('POST', `/api/v1/work-orders/${woId}/actions`, {
          action,
          version: cur.version,
          ...extra,
        });
        assert.equal(r.statusCode, 200, `${action}: ${r.body}`);
        return r.json();
      };
      await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: id['RM-1'],
        qty: '100',
        toLocationId: id.STORE,
      });
      await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: id['PP-1'],
        qty: '100',
        toLocationId: id.LINE,
      });
      const wo = (
        await call('POST', '/api/v1/work-orders', { itemId: id['SF-1'], qty: '10', withChildren: false })
      ).json();
      assert.deepEqual(
        wo.materials.map((m: { qtyRequired: string }) => m.qtyRequired),
        ['16.5'],
      );
      const released = await act(wo.id, 'release');
      assert.deepEqual(
        released.operations.map((o: { status: string }) => o.status),
        ['ready', 'ready'],
      );
      await act(wo.id, 'dispatch');
      await act(wo.id, 'start');
      const issued = await call('POST', `/api/v1/work-orders/${wo.id}/issues`, {
        lines: [{ materialId: wo.materials[0].id, qty: '5', fromLocationId: id.STORE }],
      });
      assert.equal(issued.statusCode, 200, issued.body);
      // 6 good + 0 scrap of 10: backflush brings issued material up to 60 % of 16.5 = 9.9.
      const out = await call('POST', `/api/v1/work-orders/${wo.id}/output`, {
        goodQty: '6',
        toLocationId: id.LINE,
        backflushFromLocationId: id.STORE,
      });
      assert.equal(out.statusCode, 200, out.body);
      assert.equal(out.json().materials[0].qtyIssued, '9.9');
      assert.equal(out.json().qtyGood, '6');
      const early = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'complete',
        version: out.json().version,
      });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().reason, 'PLANNED_QTY_NOT_REACHED');
      const out2 = await call('POST', `/api/v1/work-orders/${wo.id}/output`, {
        goodQty: '3',
        scrapQty: '1',
        scrapReason: '尺寸超差',
        toLocationId: id.LINE,
        backflushFromLocationId: id.STORE,
      });
      assert.equal(out2.json().materials[0].qtyIssued, '16.5');
      await act(wo.id, 'complete', { closeShort: true, reason: '报废 1 件, 不补做' });
      const closed = await act(wo.id, 'close');
      assert.equal(closed.status, 'closed');
      assert.deepEqual(
        closed.history.map((x: { action: string }) => x.action),
        ['release', 'dispatch', 'start', 'complete', 'close'],
      );
      const sf = (await call('GET', `/api/v1/inventory/items/${id['SF-1']}/availability`)).json();
      const rm = (await call('GET', `/api/v1/inventory/items/${id['RM-1']}/availability`)).json();
      assert.equal(sf.onHand, '9');
      assert.equal(rm.onHand, '83.5');
      const moves = (await call('GET', `/api/v1/inventory/moves?refType=work_order&refId=${wo.id}`)).json();
      assert.equal(moves.items.length, 5);
      assert.deepEqual(await ledgerFindings(h.runtime.db), []);
    });

    it('cancels unstarted children with the parent and refuses to cancel once output exists', async () => {
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: id['FG-1'], qty: '2' })).json();
      const res = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'cancel',
        version: 1,
        reason: '客户取消',
        cascade: true,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        res.json().children.map((c: { status: string }) => c.status),
        ['cancelled'],
      );
      const other = (
        await call('POST', '/api/v1/work-orders', { itemId: id['SF-1'], qty: '1', withChildren: false })
      ).json();
      for (const action of ['release', 'dispatch', 'start']) {
        const cur = (await call('GET', `/api/v1/work-orders/${other.id}`)).json();
        await call('POST', `/api/v1/work-orders/${other.id}/actions`, { action, version: cur.version });
      }
      await call('POST', `/api/v1/work-orders/${other.id}/output`, { goodQty: '0.5', toLocationId: id.LINE });
      const cur = (await call('GET', `/api/v1/work-orders/${other.id}`)).json();
      const refused = await call('POST', `/api/v1/work-orders/${other.id}/actions`, {
        action: 'cancel',
        version: cur.version,
        reason: 'x',
      });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().reason, 'OUTPUT_ALREADY_REPORTED');
    });

    it('adds up concurrent output reports without losing one', async () => {
      const wo = (
        await call('POST', '/api/v1/work-orders', { itemId: id['SF-1'], qty: '100', withChildren: false })
      ).json();
      for (const action of ['release', 'dispatch', 'start']) {
        const cur = (await call('GET', `/api/v1/work-orders/${wo.id}`)).json();
        await call('POST', `/api/v1/work-orders/${wo.id}/actions`, { action, version: cur.version });
      }
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          call('POST', `/api/v1/work-orders/${wo.id}/output`, { goodQty: '1', toLocationId: id.LINE }),
        ),
      );
      assert.deepEqual([...new Set(results.map((r) => r.statusCode))], [200]);
      const final = (await call('GET', `/api/v1/work-orders/${wo.id}`)).json();
      assert.equal(final.qtyGood, '20');
      assert.equal(final.qtyReceived, '20');
    });
  });
}
