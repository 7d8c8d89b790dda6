/**
 * CPU cost per request of the main reads on a seeded plant, through `inject()` (no sockets):
 * `node bench/cpu.ts --data-dir data/bench-s10 [--database-url postgres://…] [--requests 400] [--only NAME]`.
 *
 * Process CPU time (user + system) per request hardly moves with other work on the machine, unlike
 * throughput and latency, so this is the number to compare before and after a change on a shared host.
 * `1e6 / µs` is the ceiling in requests per second of one core for that route. On PostgreSQL the
 * database's own CPU is not counted (it runs in other processes).
 */
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const databaseUrl = arg('database-url', '') || null;
const env: Record<string, string> = {
  TAKT_DATA_DIR: path.resolve(arg('data-dir', 'data/bench-s10')),
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  TAKT_LOG_LEVEL: 'silent',
};
if (databaseUrl) env.DATABASE_URL = databaseUrl;
const requests = Number(arg('requests', '400'));
const only = arg('only', '');
const config = { ...loadConfig(env), loginRateLimit: 1_000_000, userRateLimit: 100_000_000 };
const rt = await createRuntime(config, { log: pino({ level: 'silent' }) });
const login = await rt.app.inject({
  method: 'POST',
  url: '/api/v1/auth/login',
  payload: { login: 'admin', password: config.adminPassword },
});
if (login.statusCode !== 200) throw new Error(`login failed (${login.statusCode}): seed with bench/seed.ts`);
const cookie = String(login.headers['set-cookie']).split(';')[0]!;
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
  `CPU per request, ${databaseUrl ? 'PostgreSQL' : 'SQLite'}, ${requests} requests each\n`,
);
for (const [name, url] of routes) {
  if (only && !name.includes(only)) continue;
  const get = async () => {
    const res = await rt.app.inject({ method: 'GET', url, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.body.length;
  };
  for (let i = 0; i < 100; i++) await get();
  let bytes = 0;
  const before = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) bytes = await get();
  const cpu = process.cpuUsage(before);
  const wall = (performance.now() - t0) / requests;
  const us = (cpu.user + cpu.system) / requests;
  process.stdout.write(
    `  ${name.padEnd(30)} ${String(Math.round(us)).padStart(6)} µs CPU  (≤ ${String(Math.round(1e6 / us)).padStart(5)} req/s per core)  wall ${wall.toFixed(2)} ms  ${bytes} bytes\n`,
  );
}
await rt.close();
