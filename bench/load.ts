/**
 * Load benchmark (run on demand, loopback only, bounded). Ways to run it:
 *
 *   npm run bench:load -- [--orders 20000]                        fresh SQLite: demo factory + N orders
 *   npm run bench:load -- --data-dir data/bench-s10               a plant seeded by `npm run bench:seed`
 *   npm run bench:load -- --database-url postgres://…/takt_s10    the same on PostgreSQL
 *   npm run bench:load -- --database-url postgres://… --processes 2 --connections 1000
 *                                                                 Takt as 2 API processes + 1 worker
 *
 * Common options: `--seconds 10`, `--connections 50,200`, `--only list,detail` (scenario keys),
 * `--timeline` (each scenario's count, p50, p99 and slowest response per second of its run),
 * `--sse 10000` (hold that many Server-Sent-Event streams and count deliveries), `--events 20`,
 * `--with-import 100000` (run each read scenario again while an item import of that many rows runs),
 * `--redis-url` (with `--processes`; default REDIS_URL or redis://127.0.0.1:6379).
 * `--only mix` runs every kind of request at once, in one window: `--mix-shares report=10,detail=25,…`
 * splits the connections (default MIX_SHARES), `--mix-sse 100` event streams are held meanwhile.
 *
 * Without `--processes`, Takt runs in this process (as in production with TAKT_WORKERS unset); with it,
 * Takt runs as separate server processes started from main.ts (load-target.ts). The load comes from
 * child processes (autocannon, and plain `http.request` streams for SSE), so the generator does not
 * compete with the server for its event loop. Every scenario prints p50/p95/p99, throughput and errors
 * next to a trivial route measured in the same run, as the ceiling.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';
import { arg, dataDir as dataDirArg, flag, isChild } from './args.ts';
import type { Target } from './load-target.ts';

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
  /** Run until the parent says `stop` (at most an hour) instead of `seconds`. */
  readonly untilStopped?: boolean;
  readonly headers: Record<string, string>;
  /** Send back every response time too (the mix merges its kinds' into one distribution). */
  readonly keepLatencies?: boolean;
  /** Say `opened` once loaded, then wait for `go`: the mix's children start together. */
  readonly waitForGo?: boolean;
  /** Also send back, per second of the run, the count, p50, p99 and the slowest response. */
  readonly timeline?: boolean;
}
interface SseJob {
  readonly kind: 'sse';
  readonly base: string;
  readonly streams: number;
  readonly events: number;
  readonly operations: readonly string[];
  readonly headers: Record<string, string>;
  /**
   * Hold the streams without posting events, until the parent says `stop`, and time every event that
   * arrives from when it occurred (the mix: the reports of its load are the events).
   */
  readonly hold?: boolean;
}
interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Socket errors and timeouts (autocannon counts a timeout as an error too) plus non-2xx answers. */
  readonly errors: number;
  /** The errors by kind: `HTTP 503`, `ECONNRESET`, `request timed out`… */
  readonly failures: Record<string, number>;
  readonly requests: number;
  /** Every response time in ms, when the job asked for them. */
  readonly latencies?: number[];
  /** Printable lines, a second each, when the job asked for them (`--timeline`). */
  readonly timeline?: string[];
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

/**
 * The mix's shares of the connections by scenario key: tablets mostly read their dispatch lists and
 * work orders, planners list and filter, one request in ten is a terminal report.
 */
const MIX_SHARES: readonly (readonly [string, number])[] = [
  ['report', 10],
  ['dispatch', 20],
  ['detail', 25],
  ['list', 10],
  ['list-item', 10],
  ['stock', 15],
  ['so-progress', 10],
  // Not in the default mix (its figures stay comparable); `--mix-shares operation=…` adds it.
  ['operation', 0],
];

// ---------------------------------------------------------------------------------------------------
// Child side.

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const { scenario: s } = job;
  if (job.waitForGo) {
    const go = new Promise<void>((resolve) => process.on('message', (m) => m === 'go' && resolve()));
    process.send?.({ opened: true });
    await go;
  }
  let n = 0;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const started = performance.now();
  const bySecond: number[][] = [];
  const failures: Record<string, number> = {};
  const fail = (kind: string) => {
    failures[kind] = (failures[kind] ?? 0) + 1;
  };
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
        duration: job.untilStopped ? 3600 : job.seconds,
        headers: job.headers,
        requests: [request],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
    if (job.untilStopped) process.on('message', (m) => m === 'stop' && instance.stop());
    instance.on('reqError', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status < 200 || status > 299) fail(`HTTP ${status}`);
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
      if (job.timeline) {
        const second = Math.floor((performance.now() - started) / 1000);
        bySecond[second] ??= [];
        bySecond[second].push(responseTime);
      }
    });
  });
  const sorted = latencies.subarray(0, count).sort();
  return {
    rps: result.requests.average,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    errors: result.errors + result.non2xx,
    failures,
    requests: result.requests.total,
    ...(job.keepLatencies ? { latencies: Array.from(sorted) } : {}),
    ...(job.timeline ? { timeline: timelineOf(bySecond) } : {}),
  };
}

/** One line per second of a run: where in the run the slow responses were (stalls, or spread evenly). */
function timelineOf(bySecond: readonly (number[] | undefined)[]): string[] {
  return Array.from(bySecond, (l, second) => {
    const sorted = Float64Array.from(l ?? []).sort();
    const ms = (q: number) => `${quantile(sorted, q).toFixed(0)} ms`.padStart(8);
    return `${`${second + 1}`.padStart(4)} s ${`${sorted.length}`.padStart(7)} done  p50 ${ms(0.5)}  p99 ${ms(0.99)}  max ${ms(1)}`;
  });
}

/** Opens `streams` SSE connections, posts `events` terminal reports and times each delivery. */
async function runSse(job: SseJob): Promise<SseResult> {
  // Registered first: the parent may say `stop` while the streams are still opening.
  const stopped = new Promise<void>((resolve) => process.on('message', (m) => m === 'stop' && resolve()));
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
              } else if (job.hold) {
                // Any event: timed from when it occurred (the same clock: the server runs here).
                const at = frame.indexOf('\ndata: ');
                if (at < 0) continue;
                const occurred = (JSON.parse(frame.slice(at + 7)) as { occurredAt: string }).occurredAt;
                delivered++;
                latencies.push(Date.now() - Date.parse(occurred));
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
  if (job.hold) {
    process.send?.({ opened: held });
    await stopped;
    for (const r of requests) r.destroy();
    const sorted = Float64Array.from(latencies).sort();
    return {
      held,
      errors,
      delivered,
      expected: delivered,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      openSeconds,
    };
  }
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

if (isChild()) {
  // A load child outlives nothing: when the benchmark dies, so does it.
  process.once('disconnect', () => process.exit(1));
  process.once('message', async (job: LoadJob | SseJob) => {
    const result = job.kind === 'load' ? await runLoad(job) : await runSse(job);
    process.send?.(result, () => process.exit(0));
  });
} else {
  await main();
}

/**
 * Runs `job` in a child process; with `stop`, tells the child to stop once that settles. A holding
 * SSE child says when its streams are open, a waiting load child when it is loaded (`opened`); the
 * latter starts once `go` settles.
 */
function inChild<T>(
  job: LoadJob | SseJob,
  stop?: Promise<unknown>,
  opened?: () => void,
  go?: Promise<unknown>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m) => {
      if (typeof m === 'object' && m !== null && 'opened' in m) opened?.();
      else resolve(m as T);
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`load child exited ${code}`)));
    child.send(job);
    const tell = () => {
      if (child.connected) child.send('stop');
    };
    stop?.then(tell, tell);
    go?.then(() => child.connected && child.send('go'));
  });
}

// ---------------------------------------------------------------------------------------------------
// Server side.

/** `report=10,detail=25,…` as [key, weight] pairs; the keys must be those of MIX_SHARES. */
function parseShares(text: string): [string, number][] {
  const known = new Set(MIX_SHARES.map(([k]) => k));
  const shares = text.split(',').map((part): [string, number] => {
    const [key = '', weight = ''] = part.split('=').map((x) => x.trim());
    const w = Number(weight);
    if (!known.has(key) || weight === '' || !Number.isFinite(w) || w < 0) {
      throw new Error(
        `--mix-shares takes key=weight pairs of ${[...known].join(', ')} (weights ≥ 0), not "${part}"`,
      );
    }
    return [key, w];
  });
  if (!shares.some(([, w]) => w > 0)) throw new Error('--mix-shares needs at least one weight above 0');
  return shares;
}

/**
 * Splits `total` connections by weight (largest remainders), each kind with a weight getting at
 * least one; null when there are fewer connections than such kinds.
 */
function splitConnections(
  total: number,
  shares: readonly (readonly [string, number])[],
): [string, number][] | null {
  const kinds = shares.filter(([, w]) => w > 0);
  if (total < kinds.length) return null;
  const sum = kinds.reduce((a, [, w]) => a + w, 0);
  // One each first, the rest by weight.
  const rest = total - kinds.length;
  const exact = kinds.map(([, w]) => (rest * w) / sum);
  const counts = exact.map((x) => 1 + Math.floor(x));
  let left = total - counts.reduce((a, n) => a + n, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left === 0) break;
    counts[i]!++;
    left--;
  }
  return kinds.map(([k], i) => [k, counts[i]!]);
}

function ms(v: number): string {
  return `${v.toFixed(v < 10 ? 1 : 0)} ms`.padStart(7);
}
function loadAvg(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
function failureText(f: Record<string, number>): string {
  return Object.entries(f)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
}

/**
 * Waits until the server has worked off the requests a scenario left queued (autocannon stops, but
 * requests already waiting for a database connection still run): `/ready` asks the database, so its
 * answers come back only once the queue ahead of them is gone. Several fresh connections, so every
 * process of a cluster is asked. Returns the milliseconds it took.
 */
async function settle(base: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < 6; i++) {
    await new Promise<void>((resolve) => {
      const req = http.get(`${base}/ready`, { agent: false, timeout: 120_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve());
    });
  }
  return performance.now() - t0;
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the load children need none of the server.
  const { openFileLimit, POOL_PER_PROCESS, postgresConnections, startInProcess, startProcesses } =
    await import('./load-target.ts');
  const seconds = Number(arg('seconds', '10'));
  /** Seconds each scenario runs unmeasured first, so that its window starts with warm caches. */
  const warmup = Number(arg('warmup', '0'));
  const connectionsList = arg('connections', '50,200').split(',').map(Number);
  const orders = Number(arg('orders', '20000'));
  const only = arg('only', '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sseStreams = Number(arg('sse', '0'));
  const mix = only.includes('mix');
  const timeline = flag('timeline');
  const mixShares = flag('mix-shares') ? parseShares(arg('mix-shares', '')) : MIX_SHARES;
  const mixSse = Number(arg('mix-sse', '100'));
  const sseEvents = Number(arg('events', '20'));
  const processes = Number(arg('processes', '0'));
  const withImport = Number(arg('with-import', '0'));
  const databaseUrl = arg('database-url', '') || null;
  const redisUrl = arg('redis-url', process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const dataDir = dataDirArg(null);
  for (const [name, v] of [
    ['seconds', seconds],
    ['processes', processes],
    ['with-import', withImport],
    ['sse', sseStreams],
    ['mix-sse', mixSse],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number, not ${v}`);
  }
  if (connectionsList.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new Error(`--connections must list whole numbers of at least 1, not ${arg('connections', '')}`);
  }
  if (mix) {
    const fewest = Math.min(...connectionsList);
    if (!splitConnections(fewest, mixShares)) {
      throw new Error(
        `--only mix splits the connections over ${mixShares.filter(([, w]) => w > 0).length} kinds: ` +
          `--connections ${fewest} is too few`,
      );
    }
  }
  if (processes > 0 && !databaseUrl) {
    throw new Error('--processes needs --database-url: separate Takt processes share only PostgreSQL');
  }

  // Each connection is a file descriptor in the load child and in the server process that takes it.
  const files = await openFileLimit();
  const needFiles = Math.max(...connectionsList) + sseStreams + (mix ? mixSse : 0) + 256;
  if (files < needFiles) {
    throw new Error(`ulimit -n is ${files}, this run needs about ${needFiles}: raise it (ulimit -n 65536)`);
  }

  // Every Takt process holds a pool: they must all fit under max_connections with what else is open.
  if (databaseUrl) {
    const { Db } = await import('../apps/server/src/platform/db/database.ts');
    const { READ_THREADS } = await import('../apps/server/src/platform/db/read-threads.ts');
    const probe = Db.open({ url: databaseUrl, poolSize: 1 });
    try {
      const pgc = await postgresConnections(probe);
      const holders = processes > 0 ? processes + 1 : 1;
      // Each Takt process: its pool, and one connection per read thread once a long read ran.
      const need = (POOL_PER_PROCESS + READ_THREADS) * holders + (processes > 0 ? 2 : 0);
      const free = pgc.max - pgc.reserved - pgc.used + 1;
      process.stdout.write(
        `PostgreSQL max_connections ${pgc.max} (${pgc.reserved} reserved), ${pgc.used - 1} open by others; ` +
          `this run needs up to ${need} (pool of ${POOL_PER_PROCESS} and ${READ_THREADS} read threads × ${holders} Takt processes` +
          `${processes > 0 ? ' + 2 for the benchmark' : ''})\n`,
      );
      if (free < need) {
        throw new Error(
          `PostgreSQL has ${free} connections free, this run needs ${need}: raise max_connections`,
        );
      }
    } finally {
      await probe.close();
    }
  }

  const target =
    processes > 0
      ? await startProcesses({ databaseUrl: databaseUrl!, redisUrl, apiProcesses: processes })
      : await startInProcess({ databaseUrl, dataDir, orders });
  try {
    await run(target);
  } finally {
    await target.close();
  }

  async function run(t: Target): Promise<void> {
    const db = t.db.kysely;
    let pgPeak = 0;
    let pgTimer: NodeJS.Timeout | null = null;
    if (t.db.dialect === 'postgres') {
      const pgc = await postgresConnections(t.db);
      pgPeak = pgc.here;
      pgTimer = setInterval(() => {
        postgresConnections(t.db).then(
          (c) => {
            pgPeak = Math.max(pgPeak, c.here);
          },
          () => {},
        );
      }, 1000);
    }

    const login = await fetch(`${t.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: BENCH_ADMIN_PASSWORD }),
    });
    if (!login.ok) {
      throw new Error(`login failed (${login.status}): is the admin password ${BENCH_ADMIN_PASSWORD}?`);
    }
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };

    // Samples: rotate over many rows so the numbers are not one hot row's.
    const sample = <T>(rows: T[], what: string): T[] => {
      if (rows.length === 0) throw new Error(`no ${what} to measure with`);
      return rows;
    };
    const workOrders = sample(
      await db
        .selectFrom('work_orders')
        .select('id')
        .where('status', '=', 'in_progress')
        .limit(1000)
        .execute(),
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

    const base = t.base;
    const api = (p: string) => `/api/v1${p}`;
    const all: Scenario[] = [
      { key: 'bare', name: t.ceiling.name, base: t.ceiling.base, paths: [t.ceiling.path] },
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
        key: 'operation',
        name: 'operation (terminal)',
        base,
        paths: runningOps.map((o) => api(`/operations/${o.id}`)),
      },
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
    ].filter((s) => s.paths.length > 0);
    const scenarios = all.filter((s) => only.length === 0 || s.key === 'bare' || only.includes(s.key));

    const counts = await db
      .selectFrom('work_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    process.stdout.write(
      `Takt load benchmark — ${t.label}, ${counts.n} work orders, ` +
        `${os.cpus().length} CPUs, node ${process.version}, ${seconds} s per scenario${warmup > 0 ? ` after ${warmup} s unmeasured` : ''}, ulimit -n ${files}\n`,
    );
    process.stdout.write(
      `${'conns'.padStart(5)}  ${'scenario'.padEnd(28)} ${'req/s'.padStart(8)} ${'of bare'.padStart(8)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'errors'.padStart(7)}  load avg\n`,
    );
    const line = (connections: number, name: string, r: LoadResult, share: string, extra = '') => {
      process.stdout.write(
        `${String(connections).padStart(5)}  ${name.padEnd(28)} ${String(Math.round(r.rps)).padStart(8)} ${share.padStart(8)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${String(r.errors).padStart(7)}  ${loadAvg()}${extra}\n`,
      );
      if (r.errors > 0) process.stdout.write(`         ^ errors: ${failureText(r.failures)}\n`);
    };
    const pendingEvents = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('dispatched_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    /**
     * Waits for the server to finish what the scenario left queued, then names background jobs that
     * ran during it and error lines the server processes logged.
     */
    let commitsSeen = { ...(t.db.commitCounts ?? { commits: 0, transactions: 0, catchUps: 0 }) };
    const after = async (from: string) => {
      const drained = await settle(base);
      // Events written during the scenario (an import writes one per row) are still being
      // dispatched: wait for that too (two minutes at most), so the next scenario does not run beside it.
      const dispatchStart = performance.now();
      const backlog = await pendingEvents();
      let pending = backlog;
      while (pending > 0 && performance.now() - dispatchStart < 120_000) {
        await new Promise((r) => setTimeout(r, 1000));
        pending = await pendingEvents();
      }
      if (backlog > 0) {
        process.stdout.write(
          `         ^ ${backlog} events were waiting for dispatch; ${pending === 0 ? 'all out' : `${pending} still waiting`} ` +
            `after ${((performance.now() - dispatchStart) / 1000).toFixed(1)} s\n`,
        );
      }
      if (drained >= 1000) {
        process.stdout.write(
          `         ^ the server took ${(drained / 1000).toFixed(1)} s to finish the requests left queued\n`,
        );
      }
      const jobs = await db
        .selectFrom('jobs')
        .select(['name', 'run_at', 'finished_at', 'status'])
        .where((eb) => eb.or([eb('finished_at', '>=', from), eb('status', '=', 'running')]))
        .execute();
      for (const j of jobs) {
        const took = (j.finished_at ? Date.parse(j.finished_at) : Date.now()) - Date.parse(j.run_at);
        if (took >= 100)
          process.stdout.write(`         ^ background job ${j.name} ${j.status}, ${took} ms\n`);
      }
      // SQLite: how many write transactions shared a commit (group commit of shop-floor writes).
      const counts = t.db.commitCounts;
      if (counts) {
        const transactions = counts.transactions - commitsSeen.transactions;
        const commits = counts.commits - commitsSeen.commits;
        const catchUps = counts.catchUps - commitsSeen.catchUps;
        commitsSeen = { ...counts };
        if (transactions >= 100 && commits > 0)
          process.stdout.write(
            `         ^ ${transactions} write transactions in ${commits} commits (${(transactions / commits).toFixed(1)} per commit)` +
              `; ${catchUps} catch-ups let the write-ahead log start again\n`,
          );
      }
      const logged = t.takeServerErrors();
      if (logged && logged.length > 0) {
        process.stdout.write(`         ^ the server logged ${logged.length} errors, first: ${logged[0]}\n`);
      }
    };

    let imports = 0;
    const importDir = withImport > 0 ? fs.mkdtempSync(path.join(os.tmpdir(), 'takt-load-import-')) : null;
    /** Runs `s` while an item import of `withImport` rows is posted to the same server, until it ends. */
    const withImportRun = async (s: Scenario, connections: number) => {
      const { writeItemSheet, XLSX } = await import('./item-sheet.ts');
      const file = path.join(importDir!, `items-${imports}.xlsx`);
      const prefix = `LI${Date.now().toString(36).toUpperCase()}-`;
      imports++;
      await writeItemSheet(file, withImport, prefix);
      const body = fs.readFileSync(file);
      fs.rmSync(file);
      const started = performance.now();
      const posted = fetch(`${base}/api/v1/items/import?mode=insert`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': XLSX },
        body,
      }).then(async (res) => {
        const out = (await res.json()) as { status?: string; inserted?: number; detail?: string };
        return { ms: performance.now() - started, ok: res.ok && out.status === 'imported', out };
      });
      // The load runs for as long as the import does, so every phase of it (reading, checking, writing) counts.
      const r = await inChild<LoadResult>(
        { kind: 'load', scenario: s, connections, seconds, untilStopped: true, headers },
        posted,
      );
      return { r, imported: await posted };
    };

    /**
     * Every kind of the mix at once, in separate load children whose connections add up to
     * `connections`, with `mixSse` event streams held meanwhile: one line per kind, then the total
     * (its percentiles over every response of every kind) against the ceiling.
     */
    const runMix = async (connections: number, ceiling: number) => {
      const present = mixShares.filter(([k, w]) => w > 0 && all.some((s) => s.key === k));
      const split = splitConnections(connections, present) ?? [];
      const weight = present.reduce((a, [, w]) => a + w, 0);
      process.stdout.write(
        `         mix of ${connections} connections: ${split
          .map(([k, n]) => `${k} ${n} (${((100 * present.find(([p]) => p === k)![1]) / weight).toFixed(0)}%)`)
          .join(', ')}${mixSse > 0 ? `; ${mixSse} event streams held` : ''}\n`,
      );
      const from = new Date().toISOString();
      let loadsDone = () => {};
      const stop = new Promise<void>((resolve) => {
        loadsDone = resolve;
      });
      let sse: Promise<SseResult> | null = null;
      if (mixSse > 0) {
        let opened = () => {};
        const open = new Promise<void>((resolve) => {
          opened = resolve;
        });
        sse = inChild<SseResult>(
          {
            kind: 'sse',
            base,
            streams: mixSse,
            events: 0,
            operations: [],
            headers: { cookie, 'x-csrf-token': csrf },
            hold: true,
          },
          stop,
          opened,
        );
        await Promise.race([open, sse]);
      }
      // Every load child loaded before any starts, so that all run in the same window.
      let loaded = 0;
      let go = () => {};
      const started = new Promise<void>((resolve) => {
        go = resolve;
      });
      const results = await Promise.all(
        split.map(([key, n]) =>
          inChild<LoadResult>(
            {
              kind: 'load',
              scenario: all.find((s) => s.key === key)!,
              connections: n,
              seconds,
              headers,
              keepLatencies: true,
              waitForGo: true,
            },
            undefined,
            () => ++loaded === split.length && go(),
            started,
          ),
        ),
      ).finally(loadsDone);
      const held = sse ? await sse : null;
      const merged = new Float64Array(results.reduce((a, r) => a + (r.latencies?.length ?? 0), 0));
      let at = 0;
      const failures: Record<string, number> = {};
      for (const [i, r] of results.entries()) {
        const [key, n] = split[i]!;
        const { latencies, ...rest } = r;
        merged.set(latencies ?? [], at);
        at += latencies?.length ?? 0;
        for (const [k, c] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + c;
        line(n, `  ${all.find((s) => s.key === key)!.name}`, rest, '');
      }
      merged.sort();
      const total: LoadResult = {
        rps: results.reduce((a, r) => a + r.rps, 0),
        p50: quantile(merged, 0.5),
        p95: quantile(merged, 0.95),
        p99: quantile(merged, 0.99),
        errors: results.reduce((a, r) => a + r.errors, 0),
        failures,
        requests: results.reduce((a, r) => a + r.requests, 0),
      };
      line(
        connections,
        'mix total',
        total,
        ceiling > 0 ? `${((100 * total.rps) / ceiling).toFixed(0)}%` : '',
      );
      if (held) {
        process.stdout.write(
          `         + ${held.held}/${mixSse} event streams held (opened in ${held.openSeconds.toFixed(1)} s), ` +
            `${held.errors} errors, ${held.delivered} events received, ` +
            `${held.held > 0 ? (held.delivered / held.held).toFixed(0) : 0} per stream, ` +
            `delivered p50 ${held.p50.toFixed(0)} ms p99 ${held.p99.toFixed(0)} ms after they occurred\n`,
        );
        if (held.errors > 0 || held.held < mixSse) process.exitCode = 1;
      }
      await after(from);
    };

    // `--only sse` (no HTTP scenario named): skip the request scenarios, the ceiling included.
    const runs = scenarios.some((s) => s.key !== 'bare') || mix ? connectionsList : [];
    for (const connections of runs) {
      let ceiling = 0;
      for (const s of scenarios) {
        if (warmup > 0 && s.key !== 'bare')
          await inChild<LoadResult>({ kind: 'load', scenario: s, connections, seconds: warmup, headers });
        const from = new Date().toISOString();
        const r = await inChild<LoadResult>({
          kind: 'load',
          scenario: s,
          connections,
          seconds,
          headers,
          timeline: timeline && s.key !== 'bare',
        });
        if (s.key === 'bare') ceiling = r.rps;
        const share = (rps: number) => (ceiling > 0 ? `${((100 * rps) / ceiling).toFixed(0)}%` : '');
        line(connections, s.name, r, share(r.rps));
        for (const l of r.timeline ?? []) console.log(`         ${l}`);
        await after(from);
        if (withImport > 0 && s.key !== 'bare' && !s.report) {
          const w = await withImportRun(s, connections);
          const ratio = r.p99 > 0 ? w.r.p99 / r.p99 : 0;
          const imp = w.imported;
          line(
            connections,
            `  + import ${withImport} rows`,
            w.r,
            share(w.r.rps),
            `  p99 ×${ratio.toFixed(2)} of alone; import ${imp.ok ? `of ${imp.out.inserted} rows` : `FAILED (${imp.out.status ?? imp.out.detail})`} ` +
              `took ${(imp.ms / 1000).toFixed(1)} s (the window)`,
          );
          if (!imp.ok) process.exitCode = 1;
          await after(from);
        }
      }
      if (mix) await runMix(connections, ceiling);
    }
    if (importDir) fs.rmSync(importDir, { recursive: true, force: true });

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
          `load avg ${loadAvg()}\n`,
      );
      if (r.errors > 0 || r.delivered < r.expected) process.exitCode = 1;
    }
    if (pgTimer) {
      clearInterval(pgTimer);
      process.stdout.write(
        `PostgreSQL connections to this database at most: ${pgPeak} (sampled every second)\n`,
      );
    }
  }
}
