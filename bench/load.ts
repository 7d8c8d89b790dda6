/**
 * Load benchmark (run on demand, loopback only, bounded). Two ways to run it:
 *
 *   npm run bench:load -- [--orders 20000]                        fresh SQLite: demo factory + N orders
 *   npm run bench:load -- --data-dir data/bench-s10               a plant seeded by `npm run bench:seed`
 *   npm run bench:load -- --database-url postgres://…/takt_s10    the same on PostgreSQL
 *
 * Common options: `--seconds 10`, `--connections 50,200`, `--only list,detail` (scenario keys),
 * `--sse 10000` (hold that many Server-Sent-Event streams and count deliveries), `--events 20`.
 *
 * Takt runs in this process (one process, as in production with TAKT_WORKERS unset); the load comes
 * from child processes (autocannon, and plain `http.request` streams for SSE), so the generator does
 * not compete with the server for its event loop. Every scenario prints p50/p95/p99, throughput and
 * errors next to a bare Fastify "hello" route measured in the same run, as the ceiling.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Runtime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};

/** What a load child runs: one scenario against one base URL. */
interface Scenario {
  readonly key: string;
  readonly name: string;
  readonly base: string;
  /** Paths rotated over the requests (spreads the load over many rows, as real users do). */
  readonly paths: readonly string[];
  /** POST a terminal report (unique idempotency key per request) instead of a GET. */
  readonly report?: boolean;
}
interface LoadJob {
  readonly kind: 'load';
  readonly scenario: Scenario;
  readonly connections: number;
  readonly seconds: number;
  readonly headers: Record<string, string>;
}
interface SseJob {
  readonly kind: 'sse';
  readonly base: string;
  readonly streams: number;
  readonly events: number;
  readonly operations: readonly string[];
  readonly headers: Record<string, string>;
}
interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  readonly requests: number;
}
interface SseResult {
  readonly held: number;
  readonly errors: number;
  readonly delivered: number;
  readonly expected: number;
  readonly p50: number;
  readonly p99: number;
  readonly openSeconds: number;
}

const quantile = (sorted: Float64Array, q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

// ---------------------------------------------------------------------------------------------------
// Child side.

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const { scenario: s } = job;
  let n = 0;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const request: autocannon.Request = {
    method: s.report ? 'POST' : 'GET',
    setupRequest: (req) => {
      const p = s.paths[n % s.paths.length]!;
      n++;
      if (!s.report) return { ...req, path: p };
      return {
        ...req,
        path: p,
        body: JSON.stringify({ idempotencyKey: `load-${process.pid}-${n}-${Date.now()}`, good: '0.001' }),
      };
    },
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: s.base,
        connections: job.connections,
        duration: job.seconds,
        headers: job.headers,
        requests: [request],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
    });
  });
  const sorted = latencies.subarray(0, count).sort();
  return {
    rps: result.requests.average,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/** Opens `streams` SSE connections, posts `events` terminal reports and times each delivery. */
async function runSse(job: SseJob): Promise<SseResult> {
  const url = new URL('/api/v1/events?topics=operation', job.base);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let held = 0;
  let errors = 0;
  let delivered = 0;
  const requests: http.ClientRequest[] = [];
  const open = () =>
    new Promise<void>((resolve) => {
      let settled = false;
      const done = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      const req = http.request(
        url,
        { agent: false, headers: { ...job.headers, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            errors++;
            res.resume();
            done();
            return;
          }
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              end = buffer.indexOf('\n\n');
              if (frame.startsWith('event: ready') || frame.includes('\nevent: ready')) {
                held++;
                done();
              } else if (frame.includes('event: operation.reported')) {
                const data = frame.slice(frame.indexOf('data: ') + 6);
                const op = (JSON.parse(data) as { data: { operationId: string } }).data.operationId;
                const t = sentAt.get(op);
                if (t !== undefined) {
                  delivered++;
                  latencies.push(performance.now() - t);
                }
              }
            }
          });
          res.on('error', () => errors++);
        },
      );
      req.on('error', () => {
        errors++;
        done();
      });
      req.end();
      requests.push(req);
    });
  const t0 = performance.now();
  for (let i = 0; i < job.streams; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, job.streams - i) }, open));
  }
  const openSeconds = (performance.now() - t0) / 1000;
  // Events: one terminal report per second on a distinct operation; every stream should see each.
  for (let e = 0; e < job.events; e++) {
    const op = job.operations[e % job.operations.length]!;
    sentAt.set(op, performance.now());
    const res = await fetch(new URL(`/api/v1/operations/${op}/reports`, job.base), {
      method: 'POST',
      headers: { ...job.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: `sse-${process.pid}-${e}`, good: '0.001' }),
    });
    if (!res.ok) errors++;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 1000));
  }
  const expected = held * job.events;
  const deadline = Date.now() + 30_000;
  while (delivered < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const r of requests) r.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    held,
    errors,
    delivered,
    expected,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    openSeconds,
  };
}

if (argv[0] === '--child') {
  process.once('message', async (job: LoadJob | SseJob) => {
    const result = job.kind === 'load' ? await runLoad(job) : await runSse(job);
    process.send?.(result, () => process.exit(0));
  });
} else {
  await main();
}

function inChild<T>(job: LoadJob | SseJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => code !== 0 && reject(new Error(`load child exited ${code}`)));
    child.send(job);
  });
}

// ---------------------------------------------------------------------------------------------------
// Server side.

async function main(): Promise<void> {
  // Loaded here, not at the top: the load children need none of the server.
  const { default: Fastify } = await import('fastify');
  const { pino } = await import('pino');
  const { loadConfig } = await import('../apps/server/src/platform/config.ts');
  const { createRuntime } = await import('../apps/server/src/runtime.ts');
  const seconds = Number(arg('seconds', '10'));
  const connectionsList = arg('connections', '50,200').split(',').map(Number);
  const orders = Number(arg('orders', '20000'));
  const only = arg('only', '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sseStreams = Number(arg('sse', '0'));
  const sseEvents = Number(arg('events', '20'));
  const databaseUrl = arg('database-url', '') || null;
  const seeded = databaseUrl !== null || argv.includes('--data-dir');
  const dir =
    seeded && !databaseUrl
      ? path.resolve(arg('data-dir', ''))
      : fs.mkdtempSync(path.join(os.tmpdir(), 'takt-load-'));
  if (seeded && !databaseUrl && !fs.existsSync(path.join(dir, 'takt.db'))) {
    throw new Error(
      `${dir}/takt.db does not exist: seed it first with npm run bench:seed -- --data-dir ${dir}`,
    );
  }
  const env: Record<string, string> = {
    TAKT_DATA_DIR: dir,
    TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    TAKT_LOG_LEVEL: 'silent',
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const config = { ...loadConfig(env), loginRateLimit: 1_000_000, userRateLimit: 100_000_000 };
  const runtime = await createRuntime(config, { log: pino({ level: 'silent' }) });
  runtime.start();
  const db = runtime.db.kysely;
  if (!seeded) await seedOrders(runtime, orders);

  const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: config.adminPassword }),
  });
  if (!login.ok)
    throw new Error(`login failed (${login.status}): is the admin password ${BENCH_ADMIN_PASSWORD}?`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };

  // Samples: rotate over many rows so the numbers are not one hot row's.
  const sample = <T>(rows: T[], what: string): T[] => {
    if (rows.length === 0) throw new Error(`no ${what} to measure with`);
    return rows;
  };
  const workOrders = sample(
    await db.selectFrom('work_orders').select('id').where('status', '=', 'in_progress').limit(1000).execute(),
    'work orders in progress',
  );
  const woItems = (
    await db.selectFrom('work_orders').select('item_id').groupBy('item_id').limit(200).execute()
  ).map((w) => w.item_id);
  const busiest = await db
    .selectFrom('work_order_operations')
    .select(['machine_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['ready', 'dispatched', 'dispatch_failed', 'in_progress', 'paused'])
    .where('machine_id', 'is not', null)
    .groupBy('machine_id')
    .orderBy('n', 'desc')
    .limit(200)
    .execute();
  const items = sample(
    await db
      .selectFrom('stock_balances')
      .select('item_id')
      .where('on_hand', '>', 0)
      .groupBy('item_id')
      .limit(1000)
      .execute(),
    'items in stock',
  );
  const salesOrders = await db
    .selectFrom('sales_orders')
    .select('id')
    .where('status', 'in', ['in_production', 'partially_shipped', 'confirmed', 'shipped'])
    .orderBy('id', 'desc')
    .limit(1000)
    .execute();
  const runningOps = sample(
    await db
      .selectFrom('work_order_operations')
      .select('id')
      .where('status', '=', 'in_progress')
      .orderBy('id', 'desc')
      .limit(2000)
      .execute(),
    'running operations',
  );

  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
  const api = (p: string) => `/api/v1${p}`;
  const scenarios: Scenario[] = [
    { key: 'bare', name: 'bare hello (ceiling)', base: bareBase, paths: ['/hello'] },
    {
      key: 'list',
      name: 'WO list status filter',
      base,
      paths: [api('/work-orders?status=in_progress&limit=50')],
    },
    {
      key: 'list-item',
      name: 'WO list item filter',
      base,
      paths: woItems.map((i) => api(`/work-orders?itemId=${i}&limit=50`)),
    },
    { key: 'detail', name: 'WO detail', base, paths: workOrders.map((w) => api(`/work-orders/${w.id}`)) },
    {
      key: 'dispatch',
      name: 'dispatch list per machine',
      base,
      paths: busiest.map((m) => api(`/shopfloor/dispatch-list?machineId=${m.machine_id}`)),
    },
    {
      key: 'stock',
      name: 'stock lookup',
      base,
      paths: items.map((i) => api(`/inventory/items/${i.item_id}/availability`)),
    },
    {
      key: 'so-progress',
      name: 'sales-order progress',
      base,
      paths: salesOrders.map((s) => api(`/sales-orders/${s.id}/progress`)),
    },
    {
      key: 'report',
      name: 'terminal report (write)',
      base,
      paths: runningOps.map((o) => api(`/operations/${o.id}/reports`)),
      report: true,
    },
  ].filter((s) => s.paths.length > 0 && (only.length === 0 || s.key === 'bare' || only.includes(s.key)));

  const counts = await db
    .selectFrom('work_orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  process.stdout.write(
    `Takt load benchmark — ${databaseUrl ? 'PostgreSQL' : `SQLite ${dir}`}, ${counts.n} work orders, ` +
      `${os.cpus().length} CPUs, node ${process.version}, ${seconds} s per scenario\n`,
  );
  process.stdout.write(
    `${'conns'.padStart(5)}  ${'scenario'.padEnd(28)} ${'req/s'.padStart(8)} ${'of bare'.padStart(8)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'errors'.padStart(7)}  load avg\n`,
  );
  // `--only sse` (no HTTP scenario named): skip the request scenarios, the ceiling included.
  const runs = scenarios.some((s) => s.key !== 'bare') ? connectionsList : [];
  for (const connections of runs) {
    let ceiling = 0;
    for (const s of scenarios) {
      const from = new Date().toISOString();
      const r = await inChild<LoadResult>({ kind: 'load', scenario: s, connections, seconds, headers });
      if (s.key === 'bare') ceiling = r.rps;
      const share = ceiling > 0 ? `${((100 * r.rps) / ceiling).toFixed(0)}%` : '';
      const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`.padStart(7);
      process.stdout.write(
        `${String(connections).padStart(5)}  ${s.name.padEnd(28)} ${String(Math.round(r.rps)).padStart(8)} ${share.padStart(8)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${String(r.errors).padStart(7)}  ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}\n`,
      );
      // Background jobs run in this process too (on SQLite a long one holds the connection): name them.
      const jobs = await db
        .selectFrom('jobs')
        .select(['name', 'run_at', 'finished_at', 'status'])
        .where((eb) => eb.or([eb('finished_at', '>=', from), eb('status', '=', 'running')]))
        .execute();
      for (const j of jobs) {
        const ms = (j.finished_at ? Date.parse(j.finished_at) : Date.now()) - Date.parse(j.run_at);
        if (ms >= 100) process.stdout.write(`         ^ background job ${j.name} ${j.status}, ${ms} ms\n`);
      }
    }
  }

  if (sseStreams > 0) {
    const r = await inChild<SseResult>({
      kind: 'sse',
      base,
      streams: sseStreams,
      events: sseEvents,
      operations: runningOps.map((o) => o.id),
      headers: { cookie, 'x-csrf-token': csrf },
    });
    process.stdout.write(
      `SSE: ${r.held}/${sseStreams} streams held (opened in ${r.openSeconds.toFixed(1)} s), ${r.errors} errors, ` +
        `${r.delivered}/${r.expected} deliveries of ${sseEvents} events, latency p50 ${r.p50.toFixed(0)} ms p99 ${r.p99.toFixed(0)} ms  ` +
        `load avg ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}\n`,
    );
    if (r.errors > 0 || r.delivered < r.expected) process.exitCode = 1;
  }

  await bare.close();
  await runtime.close();
  if (!seeded) fs.rmSync(dir, { recursive: true, force: true });
}

/** Fresh mode: N work orders over the demo items, one operation each; a fifth of them running. */
async function seedOrders(runtime: Runtime, orders: number): Promise<void> {
  const { newId, nowIso } = await import('../apps/server/src/platform/ids.ts');
  const db = runtime.db.kysely;
  const items = await db
    .selectFrom('items')
    .select('id')
    .where('type', 'in', ['finished', 'semi_finished'])
    .execute();
  const wc = await db.selectFrom('work_centers').select('id').executeTakeFirstOrThrow();
  const machines = await db.selectFrom('machines').select('id').where('work_center_id', '=', wc.id).execute();
  const started = Date.now();
  const statuses = ['released', 'dispatched', 'in_progress', 'completed', 'closed'];
  for (let b = 0; b < orders; b += 1000) {
    await runtime.db.transaction(async (tx) => {
      for (let i = b; i < Math.min(orders, b + 1000); i++) {
        const id = newId();
        const now = nowIso();
        const status = statuses[i % statuses.length]!;
        await tx
          .insertInto('work_orders')
          .values({
            id,
            code: `WO-LOAD-${String(i).padStart(7, '0')}`,
            item_id: items[i % items.length]!.id,
            qty: 100_000,
            qty_good: 0,
            qty_scrap: 0,
            qty_received: 0,
            status,
            held_from: null,
            closed_short_reason: null,
            bom_id: null,
            routing_id: null,
            parent_id: null,
            root_id: id,
            sales_order_id: null,
            sales_order_line_id: null,
            due_date: '2027-01-15',
            priority: i % 100,
            source: 'manual',
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await tx
          .insertInto('work_order_operations')
          .values({
            id: newId(),
            work_order_id: id,
            seq: 10,
            name: 'op',
            work_center_id: wc.id,
            machine_id: status === 'in_progress' ? machines[i % machines.length]!.id : null,
            status: status === 'in_progress' ? 'in_progress' : 'ready',
            setup_minutes: 10,
            run_mmin: 1000,
            planned_minutes: 110,
            skill_code: null,
            skill_level: null,
            tool_code: null,
            inspection: 0,
            overlap: 0,
            wait_minutes: 0,
            predecessors: '[]',
            qty_good: 0,
            qty_scrap: 0,
            planned_start: null,
            planned_end: null,
            version: 1,
            updated_at: now,
            held_from: null,
            dispatch_no: 0,
            dispatched_at: null,
            dispatch_error: null,
            external_ack_at: null,
            started_at: null,
            status_since: now,
            operator_id: null,
          })
          .execute();
      }
    });
  }
  process.stdout.write(`seeded ${orders} work orders in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
