import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemCtx } from '../../platform/context.ts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';
import { postMove } from '../inventory/inventory.service.ts';
import { addActiveBom, addItem, addLocation, addSupplier } from '../purchasing/purchasing.testkit.ts';
import { executeRun } from './mrp.job.ts';

/**
 * A small plant, planned by hand (start S = 2030-01-07):
 *   FG (make, 2 days) = 2 × SA + 1 × RM2;  SA (make, 1 day) = 3 × RM1
 *   RM1 buy, 5 days, MOQ 100, multiple 50;  RM2 buy, 3 days
 *   stock FG 5, RM1 20;  open PO RM2 40 due S+10;  demand FG 25 due S+7
 * FG: net 20 → make 20 due S+7, release S+5 → SA 40 and RM2 20 needed on S+5.
 * SA: make 40 due S+5, release S+4 → RM1 120 needed on S+4.
 * RM1: 120 − 20 = 100 (MOQ 100, multiple 50) due S+4, release S−1: past due → shortage 100 on S+4, release now.
 * RM2: the PO (due S+10) covers the 20 needed on S+5 → expedite it to S+5; nothing planned.
 */
for (const target of await testTargets()) {
  describe(`MRP runs on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const id: Record<string, string> = {};
    let poLine = '';

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      id.FG = await addItem(db, 'M-FG', { productionLead: 2 });
      id.SA = await addItem(db, 'M-SA', { productionLead: 1 });
      id.RM1 = await addItem(db, 'M-RM1', { purchaseLead: 5, moq: 100_000, multiple: 50_000 });
      id.RM2 = await addItem(db, 'M-RM2', { purchaseLead: 3 });
      await addActiveBom(db, { id: id.FG, code: 'M-FG' }, [
        { id: id.SA, code: 'M-SA', qtyPer: 2000 },
        { id: id.RM2, code: 'M-RM2', qtyPer: 1000 },
      ]);
      await addActiveBom(db, { id: id.SA, code: 'M-SA' }, [{ id: id.RM1, code: 'M-RM1', qtyPer: 3000 }]);
      id.SUP = await addSupplier(db, 'M-SUP', { [id.RM1]: 300, [id.RM2]: 150 });
      await addSupplier(db, 'M-SUP2', { [id.RM1]: 310 });
      const loc = await addLocation(db, 'M-A');
      const quarantine = await addLocation(db, 'M-Q', 'quarantine');
      for (const [item, qty, at] of [
        ['FG', '5', loc],
        ['RM1', '20', loc],
        ['RM1', '500', quarantine],
      ] as const)
        await postMove(h.runtime.db, systemCtx(), {
          kind: 'receipt',
          itemId: id[item]!,
          qty,
          toLocationId: at,
        });
      let po = (
        await call('POST', '/api/v1/purchase-orders', {
          supplierId: id.SUP,
          lines: [{ itemId: id.RM2, qty: '40', dueDate: '2030-01-17' }],
        })
      ).json();
      po = (await call('POST', `/api/v1/purchase-orders/${po.id}/approve`, { version: po.version })).json();
      poLine = po.lines[0].id;
      const d = await call('POST', '/api/v1/mrp/demands', {
        itemId: id.FG,
        qty: '25',
        dueDate: '2030-01-14',
        kind: 'forecast',
      });
      assert.equal(d.statusCode, 201, d.body);
    });
    after(async () => h.close());

    let runId = '';
    const done = (rid: string) =>
      waitFor(async () => {
        const r = (await call('GET', `/api/v1/mrp/runs/${rid}`)).json();
        return r.status === 'done' || r.status === 'failed' ? r : null;
      }, 15_000);

    it('runs in the background, one run at a time, and returns the running one when asked again', async () => {
      h.runtime.worker.stop(0);
      const first = await call('POST', '/api/v1/mrp/runs', { start: '2030-01-07' });
      assert.equal(first.statusCode, 202, first.body);
      const second = await call('POST', '/api/v1/mrp/runs', { start: '2030-01-07' });
      assert.equal(second.statusCode, 200);
      assert.equal(second.json().id, first.json().id);
      runId = first.json().id;
      h.runtime.worker.start();
      const run = await done(runId);
      assert.equal(run.status, 'done', run.error);
      assert.equal(run.progress, 100);
      assert.equal(run.summary.plannedOrders, 3);
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', runId)
        .orderBy('seq')
        .execute();
      const types = events.map((e) => e.type);
      assert.ok(types.includes('mrp.progress'));
      assert.equal(types.at(-1), 'mrp.completed');
    });

    it('produces exactly the hand-computed planned orders, shortages and actions', async () => {
      const planned = (await call('GET', `/api/v1/mrp/runs/${runId}/planned-orders`)).json().items;
      const code = (i: string) => Object.entries(id).find(([, v]) => v === i)?.[0];
      assert.deepEqual(
        planned.map((p: Record<string, unknown>) => [
          code(p.itemId as string),
          p.kind,
          p.qty,
          p.releaseDate,
          p.dueDate,
          p.pastDue,
        ]),
        [
          ['FG', 'make', '20', '2030-01-12', '2030-01-14', false],
          ['SA', 'make', '40', '2030-01-11', '2030-01-12', false],
          ['RM1', 'buy', '100', '2030-01-06', '2030-01-11', true],
        ],
      );
      const rm1 = planned[2];
      assert.equal(rm1.supplierId, id.SUP, 'the cheaper supplier');
      assert.deepEqual(rm1.pegging, [{ source: { kind: 'planned_order', id: planned[1].id }, qty: '100' }]);
      assert.equal(planned[0].pegging[0].source.kind, 'demand');
      const shortages = (await call('GET', `/api/v1/mrp/runs/${runId}/shortages`)).json().items;
      assert.deepEqual(
        shortages.map((s: Record<string, unknown>) => [
          code(s.itemId as string),
          s.date,
          s.qty,
          s.plannedOrderId,
        ]),
        [['RM1', '2030-01-11', '100', rm1.id]],
      );
      const actions = (await call('GET', `/api/v1/mrp/runs/${runId}/actions`)).json().items;
      const byKind = Object.fromEntries(actions.map((a: { kind: string }) => [a.kind, a]));
      assert.equal(actions.length, 2);
      assert.deepEqual(
        [
          byKind.expedite.receipt,
          byKind.expedite.qty,
          byKind.expedite.currentDue,
          byKind.expedite.suggestedDue,
        ],
        [{ type: 'purchase_order_line', id: poLine }, '40', '2030-01-17', '2030-01-12'],
      );
      assert.equal(byKind.release.plannedOrderId, rm1.id);
      const buys = (
        await call('GET', `/api/v1/mrp/runs/${runId}/planned-orders?kind=buy&itemId=${id.RM1}`)
      ).json();
      assert.equal(buys.items.length, 1);
      const page = (await call('GET', `/api/v1/mrp/runs/${runId}/planned-orders?limit=2`)).json();
      const rest = (
        await call('GET', `/api/v1/mrp/runs/${runId}/planned-orders?limit=2&cursor=${page.nextCursor}`)
      ).json();
      assert.deepEqual(
        [...page.items, ...rest.items].map((p: { id: string }) => p.id),
        planned.map((p: { id: string }) => p.id),
      );
    });

    it('survives being executed twice: a finished run is skipped, a half-done one is redone cleanly', async () => {
      assert.equal((await executeRun(h.runtime.db, runId)).status, 'skipped');
      const db = h.runtime.db.kysely;
      await db
        .updateTable('mrp_runs')
        .set({ status: 'running', active_slot: 1 })
        .where('id', '=', runId)
        .execute();
      assert.equal((await executeRun(h.runtime.db, runId)).status, 'done');
      const n = await db
        .selectFrom('mrp_planned_orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', runId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 3);
      const a = await db
        .selectFrom('mrp_actions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', runId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(a.n), 2);
    });

    it('turns planned purchases into draft purchase orders once per planned order', async () => {
      const planned = (await call('GET', `/api/v1/mrp/runs/${runId}/planned-orders?kind=buy`)).json().items;
      const first = await call('POST', '/api/v1/purchase-orders/from-planned', {
        plannedOrderIds: [planned[0].id],
      });
      assert.equal(first.statusCode, 200, first.body);
      const [po] = first.json().purchaseOrders;
      assert.equal(po.supplierId, id.SUP);
      assert.equal(po.status, 'draft');
      assert.deepEqual(
        [po.lines[0].itemId, po.lines[0].qty, po.lines[0].dueDate, po.lines[0].unitPrice],
        [id.RM1, '100', '2030-01-11', '3.00'],
      );
      const again = await Promise.all(
        [1, 2].map(() =>
          call('POST', '/api/v1/purchase-orders/from-planned', { plannedOrderIds: [planned[0].id] }),
        ),
      );
      for (const r of again) {
        assert.equal(r.statusCode, 200, r.body);
        assert.deepEqual(r.json().purchaseOrders, []);
        assert.equal(r.json().alreadyOrdered[0].purchaseOrderId, po.id);
      }
      const make = (await call('GET', `/api/v1/mrp/runs/${runId}/planned-orders?kind=make`)).json().items[0];
      const refused = await call('POST', '/api/v1/purchase-orders/from-planned', {
        plannedOrderIds: [make.id],
      });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().errors[0].field, '/plannedOrderIds/0');
    });

    it('lists runs newest first and refuses a run without production:execute', async () => {
      const runs = (await call('GET', '/api/v1/mrp/runs')).json();
      assert.equal(runs.items[0].id, runId);
      assert.equal(
        (await call('GET', `/api/v1/mrp/runs/${runId}/actions?kind=release`)).json().items.length,
        1,
      );
      const user = await call('POST', '/api/v1/identity/users', {
        login: 'mrp-viewer',
        displayName: 'viewer',
        password: 'viewer-pass-1234',
        roles: ['viewer'],
        mustChangePassword: false,
      });
      assert.equal(user.statusCode, 201, user.body);
      const viewer = api(h.runtime, await signIn(h.runtime, 'mrp-viewer', 'viewer-pass-1234'));
      assert.equal((await viewer('GET', `/api/v1/mrp/runs/${runId}`)).statusCode, 200);
      const res = await viewer('POST', '/api/v1/mrp/runs', {});
      assert.equal(res.statusCode, 403);
    });
  });
}
