/**
 * CPU cost per request of the main reads on a seeded plant:
 * `node bench/cpu.ts --data-dir data/bench-s10 [--database-url postgres://…] [--requests 400] [--only NAME]
 * [--cache on|miss|off] [--http]` (`--help` lists the options).
 *
 * Requests go through `inject()` (no sockets), or with `--http` over loopback HTTP from a child process
 * (autocannon, 4 connections), as the load benchmark sends them; `inject()` copies and decodes the
 * body a few more times than a socket does, so large answers cost more there.
 *
 * The same URL is asked again and again, so with the read cache on (`--cache on`, the default) the
 * routes that use it are answered from it after the first request. `--cache miss` sends
 * `Cache-Control: no-cache`, so every request computes its answer and pays the cache's bookkeeping
 * (noting the tables read, keeping the body): what a changed or new URL costs. `--cache off` runs
 * without the read cache.
 *
 * Process CPU time (user + system) per request hardly moves with other work on the machine, unlike
 * throughput and latency, so this is the number to compare before and after a change on a shared host.
 * `1e6 / µs` is the ceiling in requests per second of one core for that route. On PostgreSQL the
 * database's own CPU is not counted (it runs in other processes).
 */
import { arg, dataDir, flag, isChild } from './args.ts';
import { runInChild } from './child.ts';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

interface Job {
  readonly url: string;
  readonly amount: number;
  readonly headers: Record<string, string>;
}
interface Result {
  readonly requests: number;
  readonly errors: number;
  readonly bytes: number;
}

if (isChild()) {
  process.once('message', async (job: Job) => {
    const r = await autocannon({ url: job.url, connections: 4, amount: job.amount, headers: job.headers });
    const result: Result = {
      requests: r.requests.total,
      errors: r.errors + r.timeouts + r.non2xx,
      bytes: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
    };
    process.send?.(result, () => process.exit(0));
  });
} else if (flag('help')) {
  process.stdout.write(
    [
      'node bench/cpu.ts [options]',
      '  --data-dir DIR          seeded plant (default data/bench-s10)',
      '  --database-url URL      PostgreSQL database of a seeded plant instead of SQLite',
      '  --requests N            measured requests per route, after 100 warm-up ones (default 400)',
      '  --only TEXT[,TEXT…]     only the routes whose name contains one of the TEXTs',
      '  --cache on|miss|off     read cache on and hit (default), on but bypassed with',
      '                          Cache-Control: no-cache (every request computed), or turned off',
      '  --http                  over loopback HTTP from a child process instead of inject()',
      '',
    ].join('\n'),
  );
} else {
  await main();
}

function inChild(job: Job): Promise<Result> {
  return runInChild<Result>(import.meta.filename, job);
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the load child needs none of the server.
  const { pino } = await import('pino');
  const { loadConfig } = await import('../apps/server/src/platform/config.ts');
  const { createRuntime } = await import('../apps/server/src/runtime.ts');
  const databaseUrl = arg('database-url', '') || null;
  const env: Record<string, string> = {
    TAKT_DATA_DIR: dataDir('data/bench-s10'),
    TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    TAKT_LOG_LEVEL: 'silent',
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const requests = Number(arg('requests', '400'));
  const only = arg('only', '')
    .split(',')
    .filter((s) => s !== '');
  const http = flag('http');
  const cache = arg('cache', 'on');
  if (cache !== 'on' && cache !== 'miss' && cache !== 'off')
    throw new Error('--cache must be on, miss or off');
  if (cache === 'off') env.TAKT_READ_CACHE_TTL_MS = '0';
  const headers: Record<string, string> = cache === 'miss' ? { 'cache-control': 'no-cache' } : {};
  const config = { ...loadConfig(env), loginRateLimit: 1_000_000, userRateLimit: 100_000_000 };
  const rt = await createRuntime(config, { log: pino({ level: 'silent' }) });
  const login = await rt.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { login: 'admin', password: config.adminPassword },
  });
  if (login.statusCode !== 200)
    throw new Error(`login failed (${login.statusCode}): seed with bench/seed.ts`);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const base = http ? await rt.app.listen({ port: 0, host: '127.0.0.1' }) : '';
  const k = rt.db.kysely;
  const wo = await k
    .selectFrom('work_orders')
    .select(['id', 'item_id'])
    .where('status', '=', 'in_progress')
    .executeTakeFirstOrThrow();
  const op = await k
    .selectFrom('work_order_operations')
    .select(['machine_id', 'work_center_id'])
    .where('status', '=', 'in_progress')
    .where('machine_id', 'is not', null)
    .executeTakeFirstOrThrow();
  const so = await k
    .selectFrom('sales_orders')
    .select('id')
    .where('status', 'in', ['in_production', 'partially_shipped'])
    .executeTakeFirstOrThrow();
  const item = await k
    .selectFrom('stock_balances')
    .select('item_id')
    .where('on_hand', '>', 0)
    .executeTakeFirstOrThrow();
  const party = await k
    .selectFrom('sales_orders')
    .select('customer_id')
    .where('id', '=', so.id)
    .executeTakeFirstOrThrow();
  const place = await k.selectFrom('locations').select(['id', 'warehouse_id']).executeTakeFirstOrThrow();

  const routes: [string, string][] = [
    ['signed-in baseline (session)', '/api/v1/auth/session'],
    ['WO list status, 50 rows', '/api/v1/work-orders?status=in_progress&limit=50'],
    ['WO list item, 50 rows', `/api/v1/work-orders?itemId=${wo.item_id}&limit=50`],
    ['WO detail', `/api/v1/work-orders/${wo.id}`],
    ['dispatch list per machine', `/api/v1/shopfloor/dispatch-list?machineId=${op.machine_id}`],
    ['dispatch list per work center', `/api/v1/shopfloor/dispatch-list?workCenterId=${op.work_center_id}`],
    ['floor board of a work center', `/api/v1/shopfloor/floor?workCenterId=${op.work_center_id}`],
    ['stock lookup', `/api/v1/inventory/items/${item.item_id}/availability`],
    ['sales-order progress', `/api/v1/sales-orders/${so.id}/progress`],
    ['master data: machine', `/api/v1/machines/${op.machine_id}`],
    ['master data: work center', `/api/v1/work-centers/${op.work_center_id}`],
    [
      'master data: machine week availability',
      `/api/v1/machines/${op.machine_id}/availability?from=2030-01-07T00:00:00Z&to=2030-01-14T00:00:00Z`,
    ],
    ['master data: customer', `/api/v1/customers/${party.customer_id}`],
    ['master data: location', `/api/v1/warehouses/${place.warehouse_id}/locations/${place.id}`],
  ];

  process.stdout.write(
    `CPU per request, ${databaseUrl ? 'PostgreSQL' : 'SQLite'}, read cache ${cache}, ${http ? 'HTTP' : 'inject()'}, ` +
      `${requests} requests each, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
  );
  for (const [name, url] of routes) {
    if (only.length > 0 && !only.some((s) => name.includes(s))) continue;
    const get = async () => {
      const res = await rt.app.inject({ method: 'GET', url, headers: { ...headers, cookie } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.body.length;
    };
    const run = async (amount: number): Promise<Result> => {
      if (http) return inChild({ url: `${base}${url}`, amount, headers: { ...headers, cookie } });
      let bytes = 0;
      for (let i = 0; i < amount; i++) bytes = await get();
      return { requests: amount, errors: 0, bytes };
    };
    await run(100);
    const before = process.cpuUsage();
    const t0 = performance.now();
    const r = await run(requests);
    const cpu = process.cpuUsage(before);
    const wall = (performance.now() - t0) / requests;
    if (r.errors > 0) throw new Error(`${url}: ${r.errors} errors`);
    const us = (cpu.user + cpu.system) / requests;
    process.stdout.write(
      `  ${name.padEnd(30)} ${String(Math.round(us)).padStart(6)} µs CPU  (≤ ${String(Math.round(1e6 / us)).padStart(5)} req/s per core)  wall ${wall.toFixed(2)} ms  ${r.bytes} bytes\n`,
    );
  }
  await rt.close();
}
