import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { insertBom, insertRouting, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';
import { rebuildReportAggregates } from '../reports/reports.aggregates.ts';
import { CHECK_NAMES } from './recon.checks.ts';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const BASE = '/api/v1/integration/reconciliation';

for (const target of await testTargets()) {
  describe(`reconciliation on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const id: Record<string, string> = {};
    const ok = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
      const res = await call(method, url, body);
      assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const run = async () => {
      const started = await ok('POST', `${BASE}/runs`);
      assert.equal(started.status, 'queued');
      return waitFor(async () => {
        const r = await ok('GET', `${BASE}/runs/${started.id}`);
        return r.status === 'done' || r.status === 'failed' ? r : null;
      }, 15_000);
    };

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      id.wh = (await ok('POST', '/api/v1/warehouses', { code: 'WH-REC', name: '总仓' })).id;
      id.store = (
        await ok('POST', `/api/v1/warehouses/${id.wh}/locations`, {
          code: 'R-01',
          name: 'R-01',
          kind: 'storage',
        })
      ).id;
      for (const [code, type] of [
        ['FG-REC', 'finished'],
        ['RM-REC', 'raw'],
      ] as const) {
        id[code] = (await ok('POST', '/api/v1/items', { code, name: code, type, uom: 'pcs' })).id;
      }
      id.customer = (await ok('POST', '/api/v1/customers', { code: 'CUS-REC', name: '客户', tier: 'B' })).id;
      id.supplier = (
        await ok('POST', '/api/v1/suppliers', {
          code: 'SUP-REC',
          name: '供应商',
          leadDays: 2,
          items: [{ itemId: id['RM-REC'], price: '3.00' }],
        })
      ).id;
      const wc = await insertWorkCenter(db, 'WC-REC');
      await insertBom(db, id['FG-REC']!, 'FG-REC', [[id['RM-REC']!, 'RM-REC', 1_000, 0]]);
      await insertRouting(db, id['FG-REC']!, 'FG-REC', [[10, '装配', wc, false]]);
    });
    after(async () => h.close());

    it('finds nothing after real receipts, returns, production and shipments', async () => {
      let po = await ok('POST', '/api/v1/purchase-orders', {
        supplierId: id.supplier,
        lines: [{ itemId: id['RM-REC'], qty: '20', dueDate: day(3) }],
      });
      po = await ok('POST', `/api/v1/purchase-orders/${po.id}/approve`, { version: po.version });
      po = await ok('POST', `/api/v1/purchase-orders/${po.id}/send`, { version: po.version });
      id.po = po.id;
      id.poLine = po.lines[0].id;
      await ok('POST', `/api/v1/purchase-orders/${po.id}/receipts`, {
        locationId: id.store,
        lines: [{ lineId: id.poLine, qty: '20' }],
      });
      await ok('POST', `/api/v1/purchase-orders/${po.id}/returns`, {
        locationId: id.store,
        reason: 'damaged',
        lines: [{ lineId: id.poLine, qty: '2' }],
      });

      const wo = await ok('POST', '/api/v1/work-orders', {
        itemId: id['FG-REC'],
        qty: '5',
        withChildren: false,
      });
      id.wo = wo.id;
      for (const action of ['release', 'dispatch', 'start']) {
        const cur = await ok('GET', `/api/v1/work-orders/${wo.id}`);
        await ok('POST', `/api/v1/work-orders/${wo.id}/actions`, { action, version: cur.version });
      }
      const detail = await ok('GET', `/api/v1/work-orders/${wo.id}`);
      await ok('POST', `/api/v1/work-orders/${wo.id}/issues`, {
        lines: [{ materialId: detail.materials[0].id, qty: '5', fromLocationId: id.store }],
      });
      await ok('POST', `/api/v1/work-orders/${wo.id}/output`, { goodQty: '5', toLocationId: id.store });

      const order = async (qty: string) => {
        const so = await ok('POST', '/api/v1/sales-orders', {
          customerId: id.customer,
          lines: [{ itemId: id['FG-REC'], qty, unitPrice: '10.00', requestedDate: day(10) }],
        });
        return ok('POST', `/api/v1/sales-orders/${so.id}/confirm`, { version: so.version });
      };
      const shipped = await order('3');
      id.soLine = shipped.lines[0].id;
      await ok('POST', `/api/v1/sales-orders/${shipped.id}/shipments`, {
        lines: [{ lineId: id.soLine, qty: '3', fromLocationId: id.store }],
      });
      const open = await order('1');
      assert.equal(open.lines[0].reserved, '1');
      id.openSo = open.id;

      const r = await run();
      assert.equal(r.status, 'done', JSON.stringify(r));
      assert.equal(r.findings, 0, JSON.stringify(r.byCheck));
      assert.deepEqual(Object.keys(r.byCheck).sort(), [...CHECK_NAMES].sort());
    });

    it('reports exactly one finding per check for one seeded mismatch each, with one alert', async () => {
      const db = h.runtime.db.kysely;
      const now = new Date().toISOString();
      await db
        .updateTable('stock_balances')
        .set((eb) => ({ on_hand: eb('on_hand', '+', 1000) }))
        .where('item_id', '=', id['RM-REC']!)
        .execute();
      await db
        .updateTable('work_orders')
        .set((eb) => ({ qty_received: eb('qty_received', '+', 1000) }))
        .where('id', '=', id.wo!)
        .execute();
      await db
        .updateTable('sales_order_lines')
        .set((eb) => ({ shipped_qty: eb('shipped_qty', '-', 1000) }))
        .where('id', '=', id.soLine!)
        .execute();
      await db
        .updateTable('purchase_order_lines')
        .set((eb) => ({ received_qty: eb('received_qty', '+', 1000) }))
        .where('id', '=', id.poLine!)
        .execute();
      await db
        .updateTable('sales_orders')
        .set({ status: 'cancelled' })
        .where('id', '=', id.openSo!)
        .execute();
      await db
        .insertInto('webhook_subscriptions')
        .values({
          id: 'sub-rec',
          name: 'ERP',
          url: 'http://127.0.0.1:9/hook',
          event_types: '["*"]',
          filter: null,
          secret: 'whsec_x',
          previous_secret: null,
          previous_secret_until: null,
          active: 0,
          disabled_reason: 'test',
          consecutive_failures: 0,
          failing_since: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await db
        .insertInto('webhook_deliveries')
        .values({
          id: 'del-rec',
          subscription_id: 'sub-rec',
          event_id: 'ev-rec',
          event_seq: 1,
          event_type: 'item.created',
          payload: '{}',
          status: 'dead',
          attempts: 10,
          replays: 0,
          last_status: 500,
          last_error: 'endpoint answered 500',
          next_attempt_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const broker = JSON.stringify({
        kind: 'nats',
        connected: false,
        lastError: 'refused',
        lastPublishedAt: null,
      });
      await db
        .insertInto('integration_state')
        .values({ key: 'broker', value: broker, updated_at: now })
        .execute();
      // A day of completions the history does not hold, in the reports' read model.
      await rebuildReportAggregates(h.runtime.db);
      await db
        .withTables<{ report_production_days: Record<string, string | number> }>()
        .insertInto('report_production_days')
        .values({ day: day(-1), orders: 1, planned: 5000, good: 5000, scrap: 0 })
        .execute();

      const r = await run();
      assert.equal(r.status, 'done');
      assert.equal(r.findings, CHECK_NAMES.length, JSON.stringify(r.byCheck));
      for (const name of CHECK_NAMES) assert.equal(r.byCheck[name], 1, name);
      const page = await ok('GET', `${BASE}/findings?runId=${r.id}&limit=3`);
      assert.equal(page.items.length, 3);
      const rest = await ok('GET', `${BASE}/findings?runId=${r.id}&limit=10&cursor=${page.nextCursor}`);
      assert.equal(rest.items.length, CHECK_NAMES.length - 3);
      const all = [...page.items, ...rest.items];
      const by = (c: string) => all.find((f: { check: string }) => f.check === c);
      assert.deepEqual([by('work_order_output').expected, by('work_order_output').actual], ['5', '6']);
      assert.deepEqual([by('sales_line_shipped').expected, by('sales_line_shipped').actual], ['3', '2']);
      assert.deepEqual(
        [by('purchase_line_received').expected, by('purchase_line_received').actual],
        ['18', '19'],
      );
      assert.equal(by('ledger_balance').entityCode, 'RM-REC');
      assert.equal(by('stale_reservation').details.demandStatus, 'cancelled');
      assert.equal(by('webhook_deliveries').details.dead, 1);
      assert.equal(by('report_read_model').entityCode, `${day(-1)} production`);
      assert.equal(by('report_read_model').details.differences[0].folded, '1');

      const alerts = await db
        .selectFrom('alerts')
        .selectAll()
        .where('kind', '=', 'reconciliation_findings')
        .execute();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.entity_id, r.id);

      const broken = await ok('GET', `${BASE}/findings?check=broker_status&state=open`);
      assert.equal(broken.items.length, 1);
      const f = broken.items[0];
      const patched = await ok('PATCH', `${BASE}/findings/${f.id}`, {
        state: 'explained',
        note: 'broker maintenance window',
        version: f.version,
      });
      assert.equal(patched.state, 'explained');
      assert.equal(patched.version, f.version + 1);
      const stale = await call('PATCH', `${BASE}/findings/${f.id}`, { state: 'fixed', version: f.version });
      assert.equal(stale.statusCode, 409);
      const audit = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', f.id).execute();
      assert.equal(audit.length, 1);
      assert.equal((await ok('GET', `${BASE}/findings?check=broker_status&state=open`)).items.length, 0);

      const csv = await call('GET', `${BASE}/findings.csv?runId=${r.id}`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM');
      const lines = csv.body.split('\r\n').filter(Boolean);
      assert.equal(lines.length, CHECK_NAMES.length + 1);
      assert.ok(lines[0]!.includes('check_code'));

      const runs = await ok('GET', `${BASE}/runs?limit=1`);
      assert.equal(runs.items[0].id, r.id);
      assert.ok(runs.nextCursor);
    });
  });
}
