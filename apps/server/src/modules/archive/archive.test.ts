import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { WorkOrderDetail, WorkOrderSummary } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness } from '../../testing/harness.ts';
import { insertWarehouse } from '../../testing/fixtures/plant.ts';
import { ledgerFindings } from '../inventory/inventory.query.ts';
import { CHECKS } from '../reconciliation/recon.checks.ts';
import { DEFAULT_CHECK_OPTIONS } from '../reconciliation/recon.service.ts';
import { archiveOld } from './archive.service.ts';

const OLD = '2020-01-15T08:00:00.000Z';

const count = async (
  k: Kysely<Database>,
  table: 'work_orders' | 'work_orders_archive' | 'stock_moves' | 'stock_moves_all',
) => Number((await k.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

for (const target of await testTargets()) {
  /** The demo plant, unstarted, an administrator's API calls and the first finished item. */
  const demoPlant = async (t: TestContext) => {
    const h = await startHarness(target, { demo: true, start: false });
    t.after(() => h.close());
    const k = h.runtime.db.kysely;
    const call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    const item = await k
      .selectFrom('items')
      .select('id')
      .where('type', '=', 'finished')
      .orderBy('code')
      .executeTakeFirstOrThrow();
    return { h, db: h.runtime.db, k, call, item };
  };

  describe(`archiving on ${target.name}`, () => {
    it('moves old closed order trees and old stock moves out, keeping them readable and the ledger whole', async (t) => {
      const { db, k, call, item } = await demoPlant(t);
      // Close a fresh order (with operations and history) and let years pass over it and half the moves.
      const created = await call('POST', '/api/v1/work-orders', {
        itemId: item.id,
        qty: '2',
        withChildren: false,
      });
      assert.equal(created.statusCode, 201, created.body);
      const wo = created.json() as WorkOrderDetail;
      const cancelled = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'cancel',
        version: wo.version,
        reason: 'customer withdrew',
      });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      const before = (await call('GET', `/api/v1/work-orders/${wo.id}`)).json() as WorkOrderDetail;
      assert.ok(before.operations.length > 0 && before.history.length > 0);

      const openRes = await call('POST', '/api/v1/work-orders', {
        itemId: item.id,
        qty: '1',
        withChildren: false,
      });
      const open = openRes.json() as WorkOrderDetail;
      // Stock goes in, moves around, out, and one move is undone.
      const loc = await insertWarehouse(k, 'ARCH-WH', ['A', 'B']);
      const material = await k
        .selectFrom('items')
        .select('id')
        .where('tracking', '=', 'none')
        .orderBy('code')
        .executeTakeFirstOrThrow();
      const post = async (body: Record<string, unknown>) => {
        const r = await call('POST', '/api/v1/inventory/moves', { itemId: material.id, ...body });
        assert.equal(r.statusCode, 201, r.body);
        return r.json() as { id: string };
      };
      await post({ kind: 'receipt', qty: '10', toLocationId: loc.A });
      const transfer = await post({ kind: 'transfer', qty: '3', fromLocationId: loc.A, toLocationId: loc.B });
      const undo = await call('POST', `/api/v1/inventory/moves/${transfer.id}/reverse`, {
        reason: 'wrong bin',
      });
      assert.equal(undo.statusCode, 201, undo.body);
      await post({ kind: 'issue', qty: '2', fromLocationId: loc.A });
      await post({ kind: 'receipt', qty: '5', toLocationId: loc.A });
      await post({ kind: 'transfer', qty: '4', fromLocationId: loc.A, toLocationId: loc.B });

      await k.updateTable('work_orders').set({ updated_at: OLD }).execute();
      const moves = await k.selectFrom('stock_moves').select('seq').orderBy('seq').execute();
      assert.ok(moves.length > 2, 'the demo factory has stock moves');
      const half = moves[Math.floor(moves.length / 2)]!.seq;
      await k.updateTable('stock_moves').set({ created_at: OLD }).where('seq', '<', half).execute();
      const oldMoves = moves.filter((m) => m.seq < half).length;

      const hotBefore = await count(k, 'work_orders');
      const movesBefore = await count(k, 'stock_moves_all');
      assert.deepEqual(await ledgerFindings(db), []);
      const CHECKED = ['ledger_balance', 'work_order_output', 'sales_line_shipped', 'purchase_line_received'];
      const findings = async () =>
        Object.fromEntries(
          await Promise.all(
            CHECKED.map(async (c) => [c, await CHECKS[c]!(db, DEFAULT_CHECK_OPTIONS)] as const),
          ),
        );
      const findingsBefore = await findings();

      const result = await archiveOld(db, { afterDays: 365, batchOrders: 2, batchMoves: 7 });
      assert.ok(result.workOrders >= 1);
      assert.equal(result.stockMoves, oldMoves);
      assert.equal(await count(k, 'work_orders'), hotBefore - result.workOrders, 'hot table shrank');
      assert.equal(await count(k, 'work_orders_archive'), result.workOrders);
      assert.equal(await count(k, 'stock_moves'), moves.length - oldMoves);
      assert.equal(await count(k, 'stock_moves_all'), movesBefore, 'every move still counts');

      // Open orders stay, however old.
      assert.ok(await k.selectFrom('work_orders').select('id').where('id', '=', open.id).executeTakeFirst());
      // The archived order reads as before, marked archived; it is found by an archive search only.
      const detail = await call('GET', `/api/v1/work-orders/${wo.id}`);
      assert.equal(detail.statusCode, 200);
      const after = detail.json() as WorkOrderDetail;
      assert.equal(after.archived, true);
      assert.deepEqual({ ...after, archived: undefined }, { ...before, updatedAt: OLD, archived: undefined });
      const hotList = (await call('GET', `/api/v1/work-orders?q=${wo.code}`)).json() as {
        items: WorkOrderSummary[];
      };
      assert.deepEqual(hotList.items, []);
      const archiveList = (await call('GET', `/api/v1/work-orders?archived=true&q=${wo.code}`)).json() as {
        items: WorkOrderSummary[];
      };
      assert.deepEqual(
        archiveList.items.map((w) => [w.id, w.archived]),
        [[wo.id, true]],
      );
      // Archived orders take no more actions.
      const act = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'release',
        version: after.version,
      });
      assert.equal(act.statusCode, 404);

      // Balances agree with every move, hot and archived; reconciliation finds nothing new.
      assert.deepEqual(await ledgerFindings(db), []);
      assert.deepEqual(await findings(), findingsBefore);

      // Running again moves nothing more.
      const again = await archiveOld(db, { afterDays: 365 });
      assert.deepEqual(
        { ...again, batches: 0 },
        { workOrders: 0, stockMoves: 0, batches: 0, skippedTrees: again.skippedTrees },
      );
      assert.equal(await count(k, 'work_orders_archive'), result.workOrders);
    });

    it('moves exactly the order trees that are wholly final, old and unreferenced, read in small steps', async (t) => {
      const { db, k, call, item } = await demoPlant(t);
      // Order trees (with child orders) in every state; most cancelled, some with a child left open.
      const trees: string[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await call('POST', '/api/v1/work-orders', {
          itemId: item.id,
          qty: '1',
          withChildren: true,
        });
        assert.equal(r.statusCode, 201, r.body);
        const wo = r.json() as WorkOrderDetail;
        trees.push(wo.id);
        if (i % 4 === 3) continue;
        const c = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
          action: 'cancel',
          version: wo.version,
          reason: 'test',
          cascade: i % 4 !== 2,
        });
        assert.equal(c.statusCode, 200, c.body);
      }
      await k.updateTable('work_orders').set({ updated_at: OLD }).execute();
      // One cancelled tree is still referenced by a floor exception; one closed only yesterday.
      const referenced = await k
        .selectFrom('work_orders')
        .select('id')
        .where('id', '=', trees[0]!)
        .executeTakeFirstOrThrow();
      await k
        .insertInto('floor_exceptions')
        .values({
          id: 'fx-archive-test',
          code: 'FX-ARCHIVE-TEST',
          kind: 'quality',
          state: 'open',
          machine_id: null,
          item_id: null,
          work_order_id: referenced.id,
          operation_id: null,
          note: '',
          photo: null,
          affected: '[]',
          raised_by: null,
          owner: null,
          raised_at: OLD,
          acknowledged_at: null,
          resolved_at: null,
          resolution: null,
          version: 1,
        })
        .execute();
      await k
        .updateTable('work_orders')
        .set({ updated_at: new Date().toISOString() })
        .where('id', '=', trees[1]!)
        .execute();

      // What is due, asked of the whole table at once (as the archiver once did on every batch).
      const due = await sql<{ root: string }>`
        select coalesce(w.root_id, w.id) as root from work_orders w
        where coalesce(w.root_id, w.id) not in (
          select coalesce(b.root_id, b.id) from work_orders b
          where exists (select 1 from floor_exceptions e where e.work_order_id = b.id)
             or exists (select 1 from work_order_operations o where o.work_order_id = b.id
               and (exists (select 1 from floor_exceptions e where e.operation_id = o.id)
                 or exists (select 1 from schedule_pins p where p.operation_id = o.id))))
        group by coalesce(w.root_id, w.id)
        having count(*) = count(case when w.status in ('closed', 'cancelled') and w.updated_at < ${'2024-01-01'} then 1 end)
        order by 1`.execute(k);
      const expected = due.rows.map((r) => r.root);
      // Cancelled whole and left alone: due. Referenced, recent, cancelled without its children, open: not.
      assert.ok(expected.includes(trees[4]!) && expected.includes(trees[5]!), 'the cancelled trees are due');
      for (const i of [0, 1, 2, 3, 6, 7]) assert.ok(!expected.includes(trees[i]!), `tree ${i} is not due`);

      // Two work orders per state and step, one tree per batch: many steps, many batches.
      const result = await archiveOld(db, {
        afterDays: 365,
        batchOrders: 1,
        scanStep: 2,
        now: new Date('2024-01-01T00:00:00.000Z'),
      });
      assert.equal(result.skippedTrees, 0);
      const archived = await k
        .selectFrom('work_orders_archive')
        .select(sql<string>`coalesce(root_id, id)`.as('root'))
        .distinct()
        .orderBy('root')
        .execute();
      assert.deepEqual(
        archived.map((r) => r.root),
        expected,
      );
      assert.equal(result.workOrders, await count(k, 'work_orders_archive'));
      // Whole trees only: no order left behind whose tree moved.
      const split = await sql<{ n: number }>`select count(*) as n from work_orders w
        where coalesce(w.root_id, w.id) in (select coalesce(root_id, id) from work_orders_archive)`.execute(
        k,
      );
      assert.equal(Number(split.rows[0]!.n), 0);
    });

    it('queues a run with its own horizon through the API, audited, and exports what it archived', async (t) => {
      const { h, k, call, item } = await demoPlant(t);
      const created = await call('POST', '/api/v1/work-orders', {
        itemId: item.id,
        qty: '3',
        withChildren: false,
      });
      assert.equal(created.statusCode, 201, created.body);
      const wo = created.json() as WorkOrderDetail;
      const cancelled = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'cancel',
        version: wo.version,
        reason: 'not needed',
      });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      const jobs = async () =>
        k.selectFrom('jobs').select(['id', 'payload', 'status']).where('name', '=', 'archive.run').execute();
      const queuedBefore = (await jobs()).length;

      const bad = await call('POST', '/api/v1/archive/runs', { afterDays: -1 });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /afterDays/);
      assert.equal((await jobs()).length, queuedBefore, 'a refused run queues nothing');

      const queued = await call(
        'POST',
        '/api/v1/archive/runs',
        { afterDays: 0 },
        { 'x-request-id': 'archive-run-1' },
      );
      assert.equal(queued.statusCode, 202, queued.body);
      const { jobId } = queued.json() as { jobId: string };
      const job = (await jobs()).find((j) => j.id === jobId);
      assert.deepEqual(JSON.parse(job!.payload), { afterDays: 0 });
      const audit = await k
        .selectFrom('audit_log')
        .select(['entity_type', 'action'])
        .where('request_id', '=', 'archive-run-1')
        .execute();
      assert.deepEqual(audit, [{ entity_type: 'archive', action: 'run' }]);

      for (let i = 0; i < 200; i++) {
        await h.runtime.worker.poll();
        const now = (await jobs()).find((j) => j.id === jobId);
        if (now?.status === 'done') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal((await jobs()).find((j) => j.id === jobId)?.status, 'done');
      const archived = (await call('GET', `/api/v1/work-orders?archived=true&q=${wo.code}`)).json() as {
        items: WorkOrderSummary[];
      };
      assert.deepEqual(
        archived.items.map((w) => w.id),
        [wo.id],
      );

      const csv = await call('GET', `/api/v1/archive/work-orders/export?format=csv&q=${wo.code}`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-disposition']), /attachment; filename="archived-work-orders-/);
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      assert.equal(lines.length, 2, csv.body);
      assert.match(lines[0]!, /^工单号 Code,/);
      assert.ok(lines[1]!.startsWith(`${wo.code},`), lines[1]);
      assert.match(lines[1]!, /,cancelled,3,0,0,/);
      const none = await call('GET', '/api/v1/archive/work-orders/export?format=csv&q=NO-SUCH-ORDER');
      assert.equal(
        none.body
          .replace(/^\uFEFF/, '')
          .trim()
          .split(/\r?\n/).length,
        1,
        'headers only',
      );
      const xlsx = await call('GET', `/api/v1/archive/work-orders/export?q=${wo.code}`);
      assert.equal(xlsx.statusCode, 200);
      assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
      const badFilter = await call('GET', '/api/v1/archive/work-orders/export?customField=no_such_field');
      assert.equal(badFilter.statusCode, 400, badFilter.body);
    });
  });
}
