import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IsoDate } from '@takt/domain';
import type { Kysely } from 'kysely';
import { systemCtx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { testTargets } from '../../testing/databases.ts';
import { insertMachine, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { createItem } from '../items/item.service.ts';
import { rebuildReportAggregates, runFold } from '../reports/reports.aggregates.ts';
import { type CheckOptions, CHECKS } from './recon.checks.ts';
import { reportDays } from './recon.report-checks.ts';
import { DEFAULT_CHECK_OPTIONS, executeRun, requestRun } from './recon.service.ts';

type Aggregates = {
  report_production_days: { day: string; orders: number; planned: number; good: number; scrap: number };
  report_planned_days: { day: string; machine_id: string; operations: number; run: number };
  report_dirty_days: { day: string };
};
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10) as IsoDate;
const options: CheckOptions = DEFAULT_CHECK_OPTIONS;

describe('the days the report check compares', () => {
  it('takes the full days before today, latest first, and never today', () => {
    assert.deepEqual(reportDays(new Date('2026-03-01T05:00:00.000Z'), 3), [
      '2026-02-28',
      '2026-02-27',
      '2026-02-26',
    ]);
  });
});

for (const target of await testTargets()) {
  describe(`the reports read model check on ${target.name}`, () => {
    let h: Harness;
    let agg: Kysely<Aggregates>;
    const check = () => CHECKS.report_read_model!(h.runtime.db, options);
    const yesterday = daysAgo(1);
    const threeDaysAgo = daysAgo(3);

    before(async () => {
      // No worker: the fold job must not repair or fold what the tests corrupt or mark.
      h = await startHarness(target, { demo: false, start: false });
      const db = h.runtime.db;
      const k = db.kysely;
      agg = k.withTables<Aggregates>() as unknown as Kysely<Aggregates>;
      const item = await createItem(db, systemCtx(), {
        code: 'RR-FG',
        name: 'RR-FG',
        type: 'finished',
        uom: 'pcs',
      } as never);
      const wc = await insertWorkCenter(k, 'RR-WC');
      const machine = await insertMachine(k, 'RR-M1', wc);
      // Two completed work orders: one planned and completed yesterday, one three days ago.
      for (const [i, day] of [yesterday, threeDaysAgo].entries()) {
        const wo = newId();
        const at = `${day}T10:00:00.000Z`;
        await k
          .insertInto('work_orders')
          .values({
            id: wo,
            code: `WO-RR-${i}`,
            item_id: item.id,
            qty: 10_000,
            qty_good: 9_000,
            qty_scrap: 1_000,
            qty_received: 0,
            status: 'completed',
            held_from: null,
            closed_short_reason: null,
            bom_id: null,
            routing_id: null,
            parent_id: null,
            root_id: wo,
            sales_order_id: null,
            sales_order_line_id: null,
            due_date: day,
            priority: 50,
            source: 'manual',
            version: 1,
            created_at: at,
            updated_at: at,
          } as never)
          .execute();
        await k
          .insertInto('work_order_operations')
          .values({
            id: newId(),
            work_order_id: wo,
            seq: 10,
            name: 'op',
            work_center_id: wc,
            machine_id: machine,
            status: 'completed',
            setup_minutes: 0,
            run_mmin: 1000,
            planned_minutes: 60,
            planned_start: `${day}T08:00:00.000Z`,
            planned_end: null,
            updated_at: at,
          } as never)
          .execute();
        await k
          .insertInto('work_order_history')
          .values({
            id: newId(),
            work_order_id: wo,
            operation_id: null,
            action: 'complete',
            from_status: 'in_progress',
            to_status: 'completed',
            reason: null,
            actor_id: null,
            at,
          })
          .execute();
      }
      await rebuildReportAggregates(db);
    });
    after(async () => h.close());

    it('finds nothing on a plant whose read model is folded from its history', async () => {
      const folded = await agg.selectFrom('report_production_days').selectAll().execute();
      assert.deepEqual(folded.map((r) => r.day).sort(), [threeDaysAgo, yesterday]);
      assert.deepEqual(await check(), []);
    });

    it('names the day, figure and values of a corrupted aggregate row, and the rebuild repairs it', async () => {
      await agg
        .updateTable('report_production_days')
        .set({ good: 7_500 })
        .where('day', '=', yesterday)
        .execute();
      await agg.deleteFrom('report_planned_days').where('day', '=', threeDaysAgo).execute();

      const run = await requestRun(h.runtime.db);
      const done = await executeRun(h.runtime.db, run.id);
      assert.equal(done.byCheck.report_read_model, 2, JSON.stringify(done.byCheck));
      const findings = await h.runtime.db.kysely
        .selectFrom('reconciliation_findings')
        .selectAll()
        .where('run_id', '=', run.id)
        .where('check_code', '=', 'report_read_model')
        .orderBy('entity_code')
        .execute();
      assert.deepEqual(
        findings.map((f) => [f.entity_type, f.entity_id, f.entity_code]),
        [
          ['report_day', `${threeDaysAgo}:planned`, `${threeDaysAgo} planned`],
          ['report_day', `${yesterday}:production`, `${yesterday} production`],
        ],
      );
      const [planned, production] = findings.map((f) => ({ ...f, details: JSON.parse(f.details) }));
      assert.deepEqual([production!.expected, production!.actual], ['good 9', 'good 7.5']);
      assert.deepEqual(production!.details.differences, [
        { row: '', field: 'good', expected: '9', folded: '7.5' },
      ]);
      assert.equal(production!.details.day, yesterday);
      assert.equal(production!.details.figure, 'production');
      assert.match(production!.details.repair, /repairs\/report-read-model/);
      // The missing row names the machine by its code.
      assert.deepEqual(planned!.details.differences, [
        { row: 'RR-M1', field: 'run', expected: '60 min', folded: null },
        { row: 'RR-M1', field: 'count', expected: '1', folded: null },
      ]);
      assert.equal(planned!.expected, 'RR-M1 run 60 min; RR-M1 count 1');

      const admin = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const repair = await admin('POST', '/api/v1/integration/reconciliation/repairs/report-read-model');
      assert.equal(repair.statusCode, 204, repair.body);
      // What the reports fold job does on its next run.
      await runFold(h.runtime.db);
      assert.deepEqual(await check(), []);
    });

    it('does not compare a day still marked for folding, nor today', async () => {
      await agg.updateTable('report_production_days').set({ good: 1 }).where('day', '=', yesterday).execute();
      await agg.insertInto('report_dirty_days').values({ day: yesterday }).execute();
      const today = daysAgo(0);
      await agg
        .insertInto('report_production_days')
        .values({ day: today, orders: 3, planned: 3_000, good: 3_000, scrap: 0 })
        .execute();
      assert.deepEqual(await check(), []);

      // Once folded, the day agrees with its history again.
      await runFold(h.runtime.db, { holdDay: today });
      assert.deepEqual(await check(), []);
      const row = await agg
        .selectFrom('report_production_days')
        .select('good')
        .where('day', '=', yesterday)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.good), 9_000);
    });

    it('refuses the repair to a user without the right to run reconciliation', async () => {
      const admin = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const created = await admin('POST', '/api/v1/identity/users', {
        login: 'rr-viewer',
        displayName: 'RR viewer',
        password: 'long-enough-1',
        roles: ['viewer'],
      });
      assert.equal(created.statusCode, 201, created.body);
      const viewer = api(h.runtime, await signIn(h.runtime, 'rr-viewer', 'long-enough-1'));
      const res = await viewer('POST', '/api/v1/integration/reconciliation/repairs/report-read-model');
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'PERMISSION_DENIED', res.body);
    });
  });
}
