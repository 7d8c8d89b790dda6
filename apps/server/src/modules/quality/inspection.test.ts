import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import {
  insertBom,
  insertMachine,
  insertRouting,
  insertWarehouse,
  insertWorkCenter,
} from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

const PASSWORD = 'Correct-Staple-4711';

for (const target of await testTargets()) {
  describe(`first-article inspection and lots on reports on ${target.name}`, () => {
    let h: Harness;
    let admin: ReturnType<typeof api>;
    let operator: ReturnType<typeof api>;
    let inspector: ReturnType<typeof api>;
    const id: Record<string, string> = {};
    const loc: Record<string, string> = {};

    before(async () => {
      h = await startHarness(target, { demo: false });
      admin = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      for (const [login, role] of [
        ['op.li', 'operator'],
        ['qc.zhao', 'quality'],
      ] as const) {
        const r = await admin('POST', '/api/v1/identity/users', {
          login,
          displayName: login,
          password: PASSWORD,
          roles: [role],
        });
        assert.equal(r.statusCode, 201, r.body);
      }
      operator = api(h.runtime, await signIn(h.runtime, 'op.li', PASSWORD));
      inspector = api(h.runtime, await signIn(h.runtime, 'qc.zhao', PASSWORD));
      const item = async (code: string, type: string) =>
        (await admin('POST', '/api/v1/items', { code, name: code, type, uom: 'pcs' })).json().id as string;
      id.fg = await item('QA-FG', 'semi_finished');
      id.rm = await item('QA-RM', 'raw');
      id.other = await item('QA-OTHER', 'raw');
      id.WC = await insertWorkCenter(db, 'QA-WC');
      id.M = await insertMachine(db, 'QA-M1', id.WC);
      await insertBom(db, id.fg, 'QA-FG', [[id.rm, 'QA-RM', 2_000, 0]]);
      await insertRouting(db, id.fg, 'QA-FG', [
        [10, 'turn', id.WC, true],
        [20, 'deburr', id.WC, false],
      ]);
      Object.assign(loc, await insertWarehouse(db, 'QA-WH', ['A', 'B']));
      for (const [itemId, lot, qty, at] of [
        [id.rm, 'RM-LOT-1', '30', loc.A],
        [id.rm, 'RM-LOT-1', '10', loc.B],
        [id.other, 'OT-LOT-1', '10', loc.A],
      ] as const) {
        const r = await admin('POST', '/api/v1/inventory/moves', {
          kind: 'receipt',
          itemId,
          qty,
          toLocationId: at,
          lot,
        });
        assert.equal(r.statusCode, 201, r.body);
      }
    });
    after(async () => h.close());

    const releasedOrder = async () => {
      const wo = (await admin('POST', '/api/v1/work-orders', { itemId: id.fg, qty: '10' })).json();
      const rel = await admin('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'release',
        version: wo.version,
      });
      assert.equal(rel.statusCode, 200, rel.body);
      const out = rel.json() as { id: string; code: string; operations: { id: string; seq: number }[] };
      for (const op of out.operations) {
        const d = await admin('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.M });
        assert.equal(d.statusCode, 200, d.body);
      }
      return out;
    };

    it('holds the run until the first article passes; a fail alerts the supervisor', async () => {
      const wo = await releasedOrder();
      const [op10, op20] = wo.operations;
      const opUrl = `/api/v1/operations/${op10!.id}`;
      assert.equal((await operator('GET', opUrl)).json().firstArticle, 'pending');
      assert.equal(
        (await operator('GET', `/api/v1/operations/${op20!.id}`)).json().firstArticle,
        'not_required',
      );

      const early = await operator('POST', `${opUrl}/actions`, { action: 'start' });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().reason, 'FIRST_ARTICLE_PENDING');
      const report = await operator('POST', `${opUrl}/reports`, { idempotencyKey: 'qa-early-1', good: '5' });
      assert.equal(report.statusCode, 409, report.body);
      assert.equal(report.json().reason, 'OUTPUT_NOT_ALLOWED');

      const notNeeded = await operator('POST', '/api/v1/quality/inspections', { operationId: op20!.id });
      assert.equal(notNeeded.statusCode, 400);
      assert.equal(notNeeded.json().errors[0].field, '/operationId');

      const req = await operator('POST', '/api/v1/quality/inspections', {
        operationId: op10!.id,
        note: '首件',
      });
      assert.equal(req.statusCode, 201, req.body);
      const again = await operator('POST', '/api/v1/quality/inspections', { operationId: op10!.id });
      assert.equal(again.statusCode, 200, 'asking twice returns the open request');
      assert.equal(again.json().id, req.json().id);
      const state = (await operator('GET', opUrl)).json();
      assert.equal(state.firstArticle, 'pending');
      assert.equal(state.firstArticleRequested, true);

      const forbidden = await operator('POST', `/api/v1/quality/inspections/${req.json().id}/result`, {
        version: 1,
        result: 'pass',
        sampleQty: '1',
      });
      assert.equal(forbidden.statusCode, 403, 'operators do not judge their own first article');

      const pending = (await inspector('GET', '/api/v1/quality/inspections?state=requested')).json();
      assert.deepEqual(
        pending.map((i: { id: string }) => i.id),
        [req.json().id],
      );
      const fail = await inspector('POST', `/api/v1/quality/inspections/${req.json().id}/result`, {
        version: 1,
        result: 'fail',
        sampleQty: '1',
        notes: '外径超差',
        characteristics: [
          {
            name: '外径 OD',
            nominal: '20',
            lowerTol: '0.05',
            upperTol: '0.05',
            measured: '20.08',
            unit: 'mm',
          },
        ],
      });
      assert.equal(fail.statusCode, 200, fail.body);
      assert.equal(fail.json().state, 'failed');
      assert.equal(fail.json().characteristics[0].conforming, false);
      const alerts = (await admin('GET', '/api/v1/alerts?open=true')).json();
      const alert = alerts.find((a: { kind: string }) => a.kind === 'quality.first_article_failed');
      assert.ok(alert, 'a failed first article raises an alert');
      assert.equal(alert.entityId, req.json().id);
      assert.equal(alert.severity, 'critical');
      const twice = await inspector('POST', `/api/v1/quality/inspections/${req.json().id}/result`, {
        version: 2,
        result: 'pass',
        sampleQty: '1',
      });
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().reason, 'INSPECTION_ALREADY_RECORDED');
      const failed = await operator('POST', `${opUrl}/actions`, { action: 'start' });
      assert.equal(failed.json().reason, 'FIRST_ARTICLE_FAILED');

      const second = await operator('POST', '/api/v1/quality/inspections', { operationId: op10!.id });
      assert.equal(second.statusCode, 201);
      const resultUrl = `/api/v1/quality/inspections/${second.json().id}/result`;
      const inconsistent = await inspector('POST', resultUrl, {
        version: 1,
        result: 'pass',
        sampleQty: '1',
        characteristics: [
          { name: '外径 OD', nominal: '20', lowerTol: '0.05', upperTol: '0.05', measured: '20.06' },
        ],
      });
      assert.equal(inconsistent.statusCode, 400);
      assert.equal(inconsistent.json().errors[0].field, '/characteristics/0/measured');
      const stale = await inspector('POST', resultUrl, { version: 7, result: 'pass', sampleQty: '1' });
      assert.equal(stale.statusCode, 409);
      const pass = await inspector('POST', resultUrl, {
        version: 1,
        result: 'pass',
        sampleQty: '2',
        characteristics: [
          { name: '外径 OD', nominal: '20', lowerTol: '0.05', upperTol: '0.05', measured: '20.05' },
        ],
      });
      assert.equal(pass.statusCode, 200, pass.body);
      assert.equal(pass.json().sampleQty, '2');
      assert.equal(pass.json().inspector, 'qc.zhao');
      assert.equal((await operator('GET', opUrl)).json().firstArticle, 'passed');
      const started = await operator('POST', `${opUrl}/actions`, { action: 'start' });
      assert.equal(started.statusCode, 200, started.body);
      assert.equal(started.json().firstArticle, 'passed');
      const done = await operator('POST', '/api/v1/quality/inspections', { operationId: op10!.id });
      assert.equal(done.statusCode, 409);
      assert.equal(done.json().reason, 'FIRST_ARTICLE_ALREADY_PASSED');

      const list = (await inspector('GET', `/api/v1/quality/inspections?workOrderId=${wo.id}`)).json();
      assert.deepEqual(
        list.map((i: { state: string }) => i.state),
        ['passed', 'failed'],
      );
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('type')
        .where('type', 'like', 'quality.%')
        .execute();
      assert.equal(events.filter((e) => e.type === 'quality.inspection_requested').length, 2);
      assert.equal(events.filter((e) => e.type === 'quality.inspection_recorded').length, 2);
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'inspection')
        .execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['fail', 'pass', 'request', 'request']);
    });

    it('issues scanned lots with the report exactly once, and refuses lots that do not fit', async () => {
      const wo = await releasedOrder();
      const op20 = wo.operations[1]!;
      // Run the order's first operation through quickly: it needs its first article.
      const op10 = wo.operations[0]!;
      const req = (await operator('POST', '/api/v1/quality/inspections', { operationId: op10.id })).json();
      await inspector('POST', `/api/v1/quality/inspections/${req.id}/result`, {
        version: 1,
        result: 'pass',
        sampleQty: '1',
      });
      for (const action of ['start', 'complete'])
        await admin('POST', `/api/v1/operations/${op10.id}/actions`, {
          action,
          ...(action === 'complete' ? { closeShort: true, reason: 'test' } : {}),
        });
      const started = await operator('POST', `/api/v1/operations/${op20.id}/actions`, { action: 'start' });
      assert.equal(started.statusCode, 200, started.body);
      const url = `/api/v1/operations/${op20.id}/reports`;
      const db = h.runtime.db.kysely;
      const onHand = async (itemId: string) =>
        (
          await db.selectFrom('stock_balances').select('on_hand').where('item_id', '=', itemId).execute()
        ).reduce((s, r) => s + Number(r.on_hand), 0);
      const refusals: [unknown, string, string | undefined][] = [
        [[{ lotCode: 'NO-SUCH-LOT', qty: '1' }], '/lots/0/lotCode', 'LOT_UNKNOWN'],
        [[{ lotCode: 'OT-LOT-1', qty: '1' }], '/lots/0/lotCode', 'LOT_NOT_A_MATERIAL'],
        [[{ lotCode: 'RM-LOT-1', qty: '41' }], '/lots/0/qty', 'LOT_STOCK_SHORT'],
        [[{ lotCode: 'RM-LOT-1', qty: '0' }], '/lots/0/qty', undefined],
        [[{ qty: '1' }], '/lots/0/lotCode', 'LOT_REQUIRED'],
      ];
      for (const [lots, field, code] of refusals) {
        const bad = await operator('POST', url, {
          idempotencyKey: `qa-bad-${field}-${JSON.stringify(lots).length}`,
          good: '1',
          lots,
        });
        assert.equal(bad.statusCode, 400, bad.body);
        assert.equal(bad.json().errors[0].field, field);
        assert.equal(bad.json().errors[0].code, code);
      }
      assert.equal((await operator('GET', `/api/v1/operations/${op20.id}`)).json().qtyGood, '0');
      assert.equal(await onHand(id.rm!), 40_000, 'refused reports issue nothing');

      const body = {
        idempotencyKey: 'qa-lot-report-1',
        good: '8',
        lots: [{ lotCode: 'RM-LOT-1', qty: '35' }],
      };
      const first = await operator('POST', url, body);
      assert.equal(first.statusCode, 201, first.body);
      const replay = await operator('POST', url, body);
      assert.equal(replay.statusCode, 200);
      assert.equal(replay.json().duplicate, true);
      assert.equal(await onHand(id.rm!), 5_000, 'issued once, from both locations holding the lot');
      const moves = await db
        .selectFrom('stock_moves')
        .select(['qty', 'from_location_id', 'ref_id'])
        .where('item_id', '=', id.rm!)
        .where('kind', '=', 'issue')
        .orderBy('qty', 'desc')
        .execute();
      assert.deepEqual(
        moves.map((m) => [Number(m.qty), m.from_location_id, m.ref_id]),
        [
          [30_000, loc.A, wo.id],
          [5_000, loc.B, wo.id],
        ],
      );
      const lines = await db.selectFrom('operation_report_lots').selectAll().execute();
      assert.equal(lines.length, 2);
      assert.ok(lines.every((l) => l.report_id === first.json().reportId));
      const material = await db
        .selectFrom('work_order_materials')
        .select('qty_issued')
        .where('work_order_id', '=', wo.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(material.qty_issued), 35_000);
      const ledgerEvents = await db
        .selectFrom('outbox')
        .select('type')
        .where('type', '=', 'stock.moved')
        .execute();
      assert.equal(ledgerEvents.length, 3 + 2, 'three receipts and two issues');
    });

    it('keeps instruction and drawing links from the routing to the work-order operation', async () => {
      const bad = await admin('POST', '/api/v1/routings', {
        itemId: id.other,
        versionLabel: 'A',
        operations: [
          {
            seq: 10,
            name: 'cut',
            workCenterId: id.WC,
            runMinutes: '1',
            instructionsUrl: 'javascript:alert(1)',
          },
        ],
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().errors[0].field, '/operations/0/instructionsUrl');
      const links = {
        instructionsUrl: 'https://wiki.example.com/wi/QA-OTHER-10',
        drawingUrl: 'https://plm.example.com/dwg/QA-OTHER.pdf',
      };
      const r = await admin('POST', '/api/v1/routings', {
        itemId: id.other,
        versionLabel: 'A',
        operations: [{ seq: 10, name: 'cut', workCenterId: id.WC, runMinutes: '1', ...links }],
      });
      assert.equal(r.statusCode, 201, r.body);
      assert.equal(r.json().operations[0].instructionsUrl, links.instructionsUrl);
      const got = (await admin('GET', `/api/v1/routings/${r.json().id}`)).json();
      assert.equal(got.operations[0].drawingUrl, links.drawingUrl);
      const act = await admin('POST', `/api/v1/routings/${r.json().id}/activate`, { version: got.version });
      assert.ok(act.statusCode < 300, act.body);
      const wo = (await admin('POST', '/api/v1/work-orders', { itemId: id.other, qty: '3' })).json();
      assert.equal(wo.operations[0].instructionsUrl, links.instructionsUrl);
      const op = (await operator('GET', `/api/v1/operations/${wo.operations[0].id}`)).json();
      assert.equal(op.instructionsUrl, links.instructionsUrl);
      assert.equal(op.drawingUrl, links.drawingUrl);
    });
  });
}
