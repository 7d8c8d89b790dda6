import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { bootstrap } from '../../bootstrap.ts';
import { ConfigError, loadConfig } from '../../platform/config.ts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { ledgerFindings } from '../inventory/inventory.query.ts';
import { executeRun, requestRun } from '../reconciliation/recon.service.ts';
import { loadDemoFactory } from './demo.ts';
import { demoWorkingSpans, workingMinutesBefore } from './demo-activity-data.ts';
import { DEMO_PASSWORD } from './demo-data.ts';

describe('TAKT_DEMO_ACTIVITY', () => {
  it('is on unless set to a false value, and names itself when it is neither', () => {
    assert.equal(loadConfig({}).demoActivity, true);
    assert.equal(loadConfig({ TAKT_DEMO_ACTIVITY: '0' }).demoActivity, false);
    assert.equal(loadConfig({ TAKT_DEMO_ACTIVITY: 'on' }).demoActivity, true);
    assert.throws(
      () => loadConfig({ TAKT_DEMO_ACTIVITY: 'lots' }),
      (err: Error) =>
        err instanceof ConfigError && /TAKT_DEMO_ACTIVITY="lots" must be one of/.test(err.message),
    );
  });
});

describe('working minutes of the demo calendar', () => {
  // Monday 2026-03-02 09:00 in Shanghai (01:00 UTC); shifts 08:00–16:30 and 16:30–01:00, Mon–Sat.
  const monday9 = Date.parse('2026-03-02T01:00:00Z');
  const spans = demoWorkingSpans(monday9);

  it('counts back inside the current shift', () => {
    assert.equal(
      new Date(workingMinutesBefore(spans, monday9, 30)).toISOString(),
      '2026-03-02T00:30:00.000Z',
    );
  });

  it('skips the night and the Sunday off back into Saturday’s late shift', () => {
    // One hour back reaches Monday 08:00; the next 60 minutes end Saturday's shift at 01:00 Sunday.
    assert.equal(
      new Date(workingMinutesBefore(spans, monday9, 120)).toISOString(),
      '2026-02-28T16:00:00.000Z',
    );
  });
});

const TABLES = [
  'work_orders',
  'work_order_operations',
  'operation_reports',
  'stock_moves',
  'inspections',
  'floor_exceptions',
  'alerts',
  'schedule_runs',
  'outbox',
  'audit_log',
] as const;

const targets = await testTargets();

describe('loading the demo plant at work', () => {
  it('loads the activity on SQLite and reports what it made', async () => {
    const h = await startHarness(targets[0]!, { demo: false, start: false });
    try {
      const counts = await loadDemoFactory(h.runtime.db, { activity: true });
      assert.equal(counts.workOrders, 17);
      assert.equal(counts.scheduledOperations, 12);
    } finally {
      await h.close();
    }
  });
});

for (const target of targets) {
  describe(`demo plant at work on ${target.name}`, () => {
    let h: Harness;
    const db = () => h.runtime.db;

    before(async () => {
      h = await startHarness(target, { demo: true, start: false, config: { demoActivity: true } });
    });
    after(async () => h.close());

    it('has work orders closed, completed, running, dispatched, released and still planned', async () => {
      const rows = await db()
        .kysely.selectFrom('work_orders as w')
        .innerJoin('items as i', 'i.id', 'w.item_id')
        .select(['i.code', 'w.status', 'w.qty', 'w.qty_good', 'w.qty_scrap', 'w.source'])
        .execute();
      const status: Record<string, string> = {};
      for (const r of rows) status[r.code] = status[r.code] ? `${status[r.code]},${r.status}` : r.status;
      assert.equal(status['FG-101000'], 'closed');
      assert.equal(status['SF-200300'], 'closed');
      assert.equal(status['SF-200400'], 'completed');
      assert.equal(status['SF-200500'], 'in_progress');
      assert.equal(status['SF-200700'], 'in_progress');
      // The gears come in two batches; the first batch's blanks wait at their lathe.
      assert.deepEqual(status['SF-200900']?.split(',').sort(), ['dispatched', 'released']);
      assert.equal(status['FG-100900'], 'released,released');
      assert.equal(status['SF-200100'], 'dispatched');
      assert.equal(status['FG-100100'], 'released');
      assert.equal(status['FG-100300'], 'released');
      assert.equal(status['FG-100200'], 'draft');
      assert.equal(status['FG-100600'], 'draft');
      // The sales orders' shafts and gears are made to order, with their child orders.
      const mto = rows.filter((r) => r.source === 'sales_order').map((r) => r.code);
      assert.deepEqual(mto.sort(), [
        'FG-100500',
        'FG-100900',
        'FG-100900',
        'SF-200700',
        'SF-200900',
        'SF-200900',
      ]);
      const sales = await db().kysely.selectFrom('sales_orders').select(['external_ref', 'status']).execute();
      assert.equal(sales.find((o) => o.external_ref === 'XS-7781')?.status, 'in_production');
      assert.equal(sales.find((o) => o.external_ref === 'CG-20261108')?.status, 'in_production');
      for (const r of rows.filter((x) => x.status === 'closed' || x.status === 'completed')) {
        assert.ok(Number(r.qty_good) >= Number(r.qty), `${r.code} made its quantity`);
        assert.ok(Number(r.qty_scrap) > 0, `${r.code} scrapped a little`);
      }
    });

    it('has partial reports by the demo operators on the running operations, all inside shifts', async () => {
      const reports = await db()
        .kysely.selectFrom('operation_reports as r')
        .innerJoin('work_order_operations as o', 'o.id', 'r.operation_id')
        .innerJoin('employees as e', 'e.id', 'r.operator_id')
        .select(['o.status', 'e.code', 'r.good', 'r.scrap', 'r.reported_at'])
        .execute();
      const running = reports.filter((r) => r.status === 'in_progress');
      assert.deepEqual([...new Set(running.map((r) => r.code))].sort(), ['E1001', 'E1002']);
      assert.ok(reports.some((r) => Number(r.scrap) > 0));
      const spans = demoWorkingSpans(Date.now());
      for (const r of reports) {
        const at = Date.parse(r.reported_at);
        assert.ok(at < Date.now(), 'reported before now');
        assert.ok(
          spans.some((s) => at >= s.start && at <= s.end),
          `${r.reported_at} falls inside a shift`,
        );
      }
    });

    it('shows the running operations started earlier in a shift, when the last hours had one', async () => {
      const running = await db()
        .kysely.selectFrom('work_order_operations')
        .select(['started_at', 'status_since'])
        .where('status', '=', 'in_progress')
        .execute();
      assert.equal(running.length, 2);
      const now = Date.now();
      const spans = demoWorkingSpans(now);
      // Working minutes in the hours an operator may date a start back (less the hour the demo keeps
      // to spare): after a Sunday or a holiday there may be none, and the start is the load time.
      const recent = spans.reduce(
        (sum, s) => sum + Math.max(0, Math.min(s.end, now) - Math.max(s.start, now - 11 * 3_600_000)),
        0,
      );
      for (const op of running) {
        const at = Date.parse(op.started_at ?? '');
        assert.equal(op.status_since, op.started_at, 'the floor view counts from the start');
        assert.ok(at <= now && at > now - 12 * 3_600_000, `${op.started_at} is within the last 12 hours`);
        if (recent < 30 * 60_000) continue;
        assert.ok(at < now - 15 * 60_000, `${op.started_at} is well before now`);
        assert.ok(
          spans.some((s) => at >= s.start && at <= s.end),
          `${op.started_at} falls inside a shift`,
        );
      }
    });

    it('names the demo operators of the running operations on the floor view', async () => {
      const call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const res = await call('GET', '/api/v1/shopfloor/floor');
      assert.equal(res.statusCode, 200);
      const running = (
        res.json() as { state: string; operation: { operatorName: string | null } | null }[]
      ).filter((m) => m.state === 'running');
      assert.equal(running.length, 2);
      const names = await db()
        .kysely.selectFrom('employees')
        .where('code', 'in', ['E1001', 'E1002'])
        .select('name')
        .execute();
      assert.deepEqual(running.map((m) => m.operation?.operatorName).sort(), names.map((e) => e.name).sort());
    });

    it('publishes a schedule with operations on several machines in the coming days', async () => {
      const run = await db()
        .kysely.selectFrom('schedule_runs')
        .selectAll()
        .where('published_at', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.equal(run.status, 'done');
      const rows = await db()
        .kysely.selectFrom('schedule_assignments')
        .select(['machine_id', 'start_at', 'end_at'])
        .where('run_id', '=', run.id)
        .execute();
      assert.ok(rows.length >= 10, `${rows.length} operations planned`);
      assert.equal(JSON.parse(run.conflicts).length, 0, run.conflicts);
      assert.ok(new Set(rows.map((r) => r.machine_id)).size >= 4, 'on several machines');
      assert.ok(
        rows.some((r) => Date.parse(r.end_at) > Date.now() + 86_400_000),
        'into the coming days',
      );
      const dispatched = await db()
        .kysely.selectFrom('work_order_operations')
        .select('id')
        .where('status', '=', 'dispatched')
        .execute();
      assert.equal(dispatched.length, 2);
    });

    it('has a repaired breakdown, an open tooling problem and first articles passed and pending', async () => {
      const ex = await db().kysely.selectFrom('floor_exceptions').select(['kind', 'state']).execute();
      assert.deepEqual(ex.map((e) => `${e.kind}:${e.state}`).sort(), ['breakdown:resolved', 'tooling:open']);
      const down = await db()
        .kysely.selectFrom('machines')
        .select('code')
        .where('status', '<>', 'up')
        .execute();
      assert.deepEqual(down, []);
      const qi = await db().kysely.selectFrom('inspections').select('state').execute();
      assert.deepEqual(qi.map((q) => q.state).sort(), ['passed', 'passed', 'requested']);
      const po = await db()
        .kysely.selectFrom('purchase_orders')
        .select('status')
        .where('status', '=', 'partially_received')
        .execute();
      assert.equal(po.length, 1);
    });

    it('shows the repaired breakdown’s alert acknowledged by the supervisor, the tooling one still open', async () => {
      const alerts = await db()
        .kysely.selectFrom('alerts')
        .select(['kind', 'severity', 'acknowledged_at', 'acknowledged_by'])
        .execute();
      const of = (kind: string) => alerts.filter((a) => a.kind === kind);
      assert.equal(of('exception.breakdown').length, 1);
      assert.equal(of('exception.breakdown')[0]?.acknowledged_by, 'supervisor');
      assert.ok(of('exception.breakdown')[0]?.acknowledged_at);
      assert.deepEqual(
        of('exception.tooling').map((a) => a.acknowledged_at),
        [null],
      );
      const staleCritical = alerts.filter((a) => a.severity === 'critical' && a.acknowledged_at === null);
      assert.deepEqual(staleCritical, []);
      const call = api(h.runtime, await signIn(h.runtime, 'supervisor', DEMO_PASSWORD));
      const open = (await call('GET', '/api/v1/alerts?open=true')).json() as { kind: string }[];
      assert.deepEqual(
        open.map((a) => a.kind),
        ['exception.tooling'],
      );
    });

    it('keeps the ledger and every reconciliation check clean', async () => {
      assert.deepEqual(await ledgerFindings(db()), []);
      const run = await executeRun(db(), (await requestRun(db())).id);
      assert.equal(run.findings, 0, JSON.stringify(run));
    });

    it('changes nothing on a second start', async () => {
      const count = async () =>
        Promise.all(
          TABLES.map(
            async (t) =>
              (
                await db()
                  .kysely.selectFrom(t)
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
          ),
        );
      const before = (await count()).map(Number);
      await bootstrap(db(), h.runtime.config, pino({ level: 'silent' }), undefined);
      assert.deepEqual((await count()).map(Number), before);
    });
  });
}
