import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { insertBom, insertMachine, insertRouting, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

const today = new Date().toISOString().slice(0, 10);

for (const target of await testTargets()) {
  describe(`piece-rate wages and points on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const id: Record<string, string> = {};
    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      id.item = (
        await call('POST', '/api/v1/items', {
          code: 'SF-PAY',
          name: '销轴',
          type: 'semi_finished',
          uom: 'pcs',
        })
      ).json().id;
      const rm = (
        await call('POST', '/api/v1/items', { code: 'RM-PAY', name: '线材', type: 'raw', uom: 'kg' })
      ).json().id;
      const wc = await insertWorkCenter(db, 'WC-PAY');
      id.machine = await insertMachine(db, 'M-PAY', wc);
      await insertBom(db, id.item!, 'SF-PAY', [[rm, 'RM-PAY', 100, 0]]);
      await insertRouting(db, id.item!, 'SF-PAY', [[10, '车', wc, false]]);
      const wo = (
        await call('POST', '/api/v1/work-orders', { itemId: id.item, qty: '100', dueDate: '2099-12-31' })
      ).json();
      const op = (
        await call('POST', `/api/v1/work-orders/${wo.id}/actions`, { action: 'release', version: wo.version })
      ).json().operations[0];
      await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.machine });
      await call('POST', `/api/v1/operations/${op.id}/actions`, { action: 'start' });
      await call('POST', `/api/v1/operations/${op.id}/reports`, {
        idempotencyKey: 'pay-report-0001',
        good: '40',
      });
      await call('POST', `/api/v1/operations/${op.id}/reports`, {
        idempotencyKey: 'pay-report-0002',
        good: '58',
        scrap: '2',
        scrapReason: '尺寸超差',
      });
      await call('POST', `/api/v1/operations/${op.id}/actions`, {
        action: 'complete',
        closeShort: true,
        reason: '报废 2 件',
      });
    });
    after(async () => h.close());

    it('turns accepted reports into a wage statement at the piece rate, minus scrap', async () => {
      const set = await call('PUT', '/api/v1/shopfloor/piece-rates', {
        itemId: id.item,
        seq: 10,
        rate: '0.35',
        scrapDeduction: '1.00',
      });
      assert.equal(set.statusCode, 200, set.body);
      const s = (await call('GET', `/api/v1/shopfloor/wages?from=${today}&to=${today}`)).json();
      assert.equal(s.operators.length, 1);
      // 40 × 0.35 + (58 × 0.35 − 2 × 1.00) = 14.00 + 18.30
      assert.deepEqual(
        s.operators[0].lines.map((l: { amount: string }) => l.amount),
        ['14.00', '18.30'],
      );
      assert.equal(s.operators[0].total, '32.30');
      assert.equal(s.operators[0].name, 'Administrator');
      assert.equal(s.operators[0].reports, 2);
      // Totals and counts only: the page asks an operator's lines when the row opens.
      const summary = (
        await call('GET', `/api/v1/shopfloor/wages?from=${today}&to=${today}&lines=none`)
      ).json();
      assert.deepEqual(summary.operators, [{ ...s.operators[0], lines: [] }]);
      const csvAll = await call(
        'GET',
        `/api/v1/shopfloor/wages?from=${today}&to=${today}&format=csv&lines=none`,
      );
      assert.match(csvAll.body, /,14\.00\r\n/);
      const csv = await call('GET', `/api/v1/shopfloor/wages?from=${today}&to=${today}&format=csv`);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(csv.body, /total,32\.30/);
      const bad = await call('GET', '/api/v1/shopfloor/wages?from=2026-12-02&to=2026-12-01');
      assert.equal(bad.statusCode, 400);
    });

    it('lists the piece rates by item code, then step', async () => {
      const other = (
        await call('POST', '/api/v1/items', {
          code: 'AA-PAY',
          name: '垫片',
          type: 'semi_finished',
          uom: 'pcs',
        })
      ).json().id;
      for (const [itemId, seq, rate] of [
        [id.item, 20, '0.50'],
        [other, 30, '0.10'],
        [other, 10, '0.20'],
      ] as const) {
        const r = await call('PUT', '/api/v1/shopfloor/piece-rates', { itemId, seq, rate });
        assert.equal(r.statusCode, 200, r.body);
      }
      const rates = (await call('GET', '/api/v1/shopfloor/piece-rates')).json() as {
        itemCode: string;
        seq: number;
        rate: string;
      }[];
      assert.deepEqual(
        rates.map((r) => [r.itemCode, r.seq, r.rate]),
        [
          ['AA-PAY', 10, '0.20'],
          ['AA-PAY', 30, '0.10'],
          ['SF-PAY', 10, '0.35'],
          ['SF-PAY', 20, '0.50'],
        ],
      );
    });

    it('ranks operators by points for clean reports and on-time completions', async () => {
      await call('PUT', '/api/v1/shopfloor/points-rules', { firstPass: 2, onTime: 5, perGoodUnit: 0 });
      const board = (await call('GET', `/api/v1/shopfloor/leaderboard?from=${today}&to=${today}`)).json();
      assert.deepEqual(
        board.operators.map((o: { firstPass: number; onTime: number; points: number }) => [
          o.firstPass,
          o.onTime,
          o.points,
        ]),
        [[1, 1, 7]],
      );
      assert.equal(board.teams[0].points, 7);
    });
  });
}
