import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { PerformanceReport } from '@takt/contracts';
import { parse } from 'yaml';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness } from '../../testing/harness.ts';
import { Monitor, percentile } from './monitor.ts';

const DEPLOY = path.resolve(import.meta.dirname, '../../../../../deploy');

describe('monitor', () => {
  it('computes route percentiles over the recent window and keeps slow queries', () => {
    const m = new Monitor({ slowQueryMs: 100 });
    try {
      for (let i = 1; i <= 100; i++) m.request('GET', '/api/v1/items/:id', i === 100 ? 500 : 200, i);
      m.request('POST', '/api/v1/items', 201, 3);
      const [slowest, fastest] = m.routes();
      assert.deepEqual(slowest, {
        method: 'GET',
        route: '/api/v1/items/:id',
        count: 100,
        errors: 1,
        p50: 50,
        p95: 95,
        p99: 99,
        max: 100,
      });
      assert.equal(fastest?.route, '/api/v1/items');

      assert.equal(m.query('select 1', 12, false), false);
      assert.equal(m.query('select pg_sleep(0.2)', 201.234, false), true);
      const slow = m.slowQueries();
      assert.equal(slow.total, 1);
      assert.equal(slow.recent[0]?.sql, 'select pg_sleep(0.2)');
      assert.equal(slow.recent[0]?.durationMs, 201.23);
      assert.equal(percentile([], 99), 0);
    } finally {
      m.close();
    }
  });
});

for (const target of await testTargets()) {
  describe(`performance report on ${target.name}`, () => {
    it('reports latency by route, backlogs, pool, event loop and memory of this process', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const session = await signIn(h.runtime, 'admin', ADMIN_PASSWORD);
      const call = api(h.runtime, session);
      for (let i = 0; i < 5; i++) assert.equal((await call('GET', '/api/v1/items')).statusCode, 200);
      const res = await call('GET', '/api/v1/system/performance');
      assert.equal(res.statusCode, 200);
      const report = res.json() as PerformanceReport;
      assert.equal(report.process.pid, process.pid);
      assert.equal(report.process.role, 'all');
      assert.equal(report.process.database, target.name);
      const items = report.routes.find((r) => r.method === 'GET' && r.route === '/api/v1/items');
      assert.equal(items?.count, 5);
      assert.ok(items.p99 >= items.p50 && items.p50 > 0);
      assert.equal(report.pool === null, target.name === 'sqlite');
      assert.ok(report.memory.rss > 0 && report.memory.heapUsed > 0);
      assert.equal(typeof report.jobs.ready, 'number');
      assert.equal(typeof report.outbox.pending, 'number');
    });
  });
}

/** Every `takt_…` series an expression refers to, reduced to the metric family name. */
function referencedFamilies(expressions: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const expr of expressions) {
    for (const [name] of expr.matchAll(/\btakt_[a-z0-9_]+/g))
      out.add(name.replace(/_(bucket|count|sum)$/, ''));
  }
  return out;
}

describe('deploy/ monitoring files', () => {
  it('parse, and refer only to metrics /metrics exports', async (t) => {
    const [target] = await testTargets();
    const h = await startHarness(target!, { demo: false, start: false });
    t.after(() => h.close());
    await h.runtime.app.inject({ method: 'GET', url: '/health' });
    const scrape = await h.runtime.app.inject({ method: 'GET', url: '/metrics' });
    const exported = new Set([...scrape.body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));

    const prometheus = parse(fs.readFileSync(path.join(DEPLOY, 'prometheus/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path: string }[];
    };
    assert.deepEqual(prometheus.rule_files, ['alerts.yml']);
    assert.equal(prometheus.scrape_configs[0]?.metrics_path, '/metrics');

    const alerts = parse(fs.readFileSync(path.join(DEPLOY, 'prometheus/alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const rules = alerts.groups.flatMap((g) => g.rules);
    for (const name of [
      'TaktLatencySLOFastBurn',
      'TaktJobBacklogOld',
      'TaktOutboxLag',
      'TaktHigh5xxRate',
      'TaktNotReady',
    ]) {
      assert.ok(
        rules.some((r) => r.alert === name),
        `alert ${name}`,
      );
    }
    const alertMetrics = referencedFamilies(rules.map((r) => r.expr));
    assert.ok(alertMetrics.size >= 6);
    for (const m of alertMetrics)
      assert.ok(exported.has(m), `alerts.yml refers to ${m}, which /metrics lacks`);

    const dashboard = JSON.parse(fs.readFileSync(path.join(DEPLOY, 'grafana/takt.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const dashboardMetrics = referencedFamilies(
      dashboard.panels.flatMap((p) => p.targets.map((x) => x.expr)),
    );
    assert.ok(dashboardMetrics.size >= 10);
    for (const m of dashboardMetrics)
      assert.ok(exported.has(m), `takt.json refers to ${m}, which /metrics lacks`);
  });
});
