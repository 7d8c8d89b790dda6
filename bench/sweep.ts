/**
 * Every page's read on a seeded plant, timed: the GET routes of the served OpenAPI document, asked as
 * the web client first asks them (no query beyond what a route requires), slowest first:
 *   node bench/sweep.ts [--data-dir data/bench-s100] [--database-url postgres://…] [--times 3]
 *                       [--slow 100] [--only /api/v1/work-orders]
 * A route with `{id}` gets the first row of the list one level up (`/items/{id}` from `/items`). Each
 * URL is asked once cold, then `--times` more with `Cache-Control: no-cache` (answers computed, not
 * taken from the read cache); the median and slowest of those are printed, and `--slow` ms or more is
 * flagged. Exports, PDFs, streams and import results are left out (listed at the end). Through
 * `inject()`. `stall` is the longest the server's event loop was held meanwhile (the longest gap
 * between ticks of a 1 ms interval): on SQLite, a query answered on the server's thread holds it for as long as it
 * runs, one answered on a read thread (read-threads.ts) does not.
 */
import { pino } from 'pino';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { startGapMeter } from '../apps/server/src/testing/gap-meter.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';
import { arg, dataDir } from './args.ts';

const databaseUrl = arg('database-url', '');
const times = Number(arg('times', '3'));
const slowMs = Number(arg('slow', '100'));
const only = arg('only', '');
const env: Record<string, string> = {
  TAKT_DATA_DIR: dataDir('data/bench-s100'),
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  TAKT_LOG_LEVEL: 'silent',
  TAKT_USER_RATE_LIMIT: '100000000',
};
if (databaseUrl) env.DATABASE_URL = databaseUrl;
const rt = await createRuntime(loadConfig(env), { log: pino({ level: 'silent' }), bootstrap: false });
const login = await rt.app.inject({
  method: 'POST',
  url: '/api/v1/auth/login',
  payload: { login: 'admin', password: BENCH_ADMIN_PASSWORD },
});
if (login.statusCode !== 200) throw new Error(`login failed (${login.statusCode}): seed with bench/seed.ts`);
const cookie = String(login.headers['set-cookie']).split(';')[0]!;

interface Param {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: { enum?: unknown[]; type?: string; format?: string };
}
const doc = (await rt.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
  paths: Record<string, { get?: { parameters?: Param[] } }>;
};

const LEFT_OUT = /export|\.pdf|\.csv|\.xlsx|\/events|\/stream|\/import\/|\/template|\/photo|\/print|openapi/;
const skipped: string[] = [];
const firstIds = new Map<string, string | null>();

async function get(url: string, fresh: boolean) {
  const t0 = performance.now();
  const res = await rt.app.inject({
    method: 'GET',
    url,
    headers: { cookie, ...(fresh ? { 'cache-control': 'no-cache' } : {}) },
  });
  return { ms: performance.now() - t0, status: res.statusCode, body: res.body };
}

/** Lists to take an id from where the route's own parent is no list: the id field of their rows. */
const ID_SOURCES: Record<string, readonly [string, string]> = {
  '/api/v1/inventory/items': ['/api/v1/items', 'id'],
  '/api/v1/operations': ['/api/v1/shopfloor/dispatch-list', 'operationId'],
};

/** The first row's id (or `field`) of a list answer (an array, or an object holding one). */
function firstId(body: string, field = 'id'): string | null {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  const list = Array.isArray(data)
    ? data
    : (Object.values(data as Record<string, unknown>).find((v) => Array.isArray(v)) as unknown[] | undefined);
  const value = (list?.[0] as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : null;
}

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
/** Values for required query parameters a user would fill in: the last 30 days, a search word. */
const GUESSES: Record<string, string | number> = { from: day(30), to: day(0), name: '螺栓', qty: 1 };

/** The URL to ask for a route, or why it is left out. */
async function urlOf(route: string, params: readonly Param[]): Promise<string | { skip: string }> {
  // Each path parameter takes the first row of the list its route leads from, left to right
  // (`/sales-orders/{id}/shipments/{shipmentId}`: a sales order, then one of its shipments).
  let url = route;
  for (let hole = url.indexOf('/{'); hole >= 0; hole = url.indexOf('/{')) {
    const parent = url.slice(0, hole);
    if (!firstIds.has(parent)) {
      const [list, field] = ID_SOURCES[parent] ?? [parent, 'id'];
      const r = await get(list, false);
      firstIds.set(parent, r.status === 200 ? firstId(r.body, field) : null);
    }
    const id = firstIds.get(parent);
    if (!id) return { skip: `no row in ${parent}` };
    url = url.replace(/\{\w+\}/, encodeURIComponent(id));
  }
  const query: string[] = [];
  for (const p of params) {
    if (p.in !== 'query' || !p.required) continue;
    const guess = GUESSES[p.name];
    const value =
      p.schema?.enum?.[0] ??
      (p.schema?.format === 'date-time' && typeof guess === 'string' ? `${guess}T00:00:00.000Z` : guess);
    if (value === undefined) return { skip: `needs ?${p.name}` };
    query.push(`${p.name}=${encodeURIComponent(String(value))}`);
  }
  return query.length > 0 ? `${url}?${query.join('&')}` : url;
}

const rows: {
  url: string;
  status: number;
  cold: number;
  median: number;
  max: number;
  stall: number;
  bytes: number;
}[] = [];
for (const [route, item] of Object.entries(doc.paths)) {
  if (!item.get || (only && !route.startsWith(only))) continue;
  if (LEFT_OUT.test(route)) {
    skipped.push(`${route} (export, file or stream)`);
    continue;
  }
  const url = await urlOf(route, item.get.parameters ?? []);
  if (typeof url !== 'string') {
    skipped.push(`${route} (${url.skip})`);
    continue;
  }
  // The longest gap between ticks of a 1 ms interval, a stall at the end included (gap-meter.ts).
  const meter = startGapMeter(1);
  const cold = await get(url, false);
  const ms: number[] = [];
  for (let i = 0; i < times; i++) ms.push((await get(url, true)).ms);
  const stall = meter.stop();
  ms.sort((a, b) => a - b);
  rows.push({
    url,
    status: cold.status,
    cold: cold.ms,
    median: ms[Math.floor(ms.length / 2)] ?? cold.ms,
    max: ms[ms.length - 1] ?? cold.ms,
    stall,
    bytes: cold.body.length,
  });
}

rows.sort((a, b) => b.median - a.median);
console.log(
  `GET sweep on ${databaseUrl ? 'PostgreSQL' : `SQLite ${env.TAKT_DATA_DIR}`}: ${rows.length} URLs, ` +
    `${times} fresh answers each (ms)`,
);
console.log(
  `${'median'.padStart(8)} ${'max'.padStart(8)} ${'cold'.padStart(8)} ${'stall'.padStart(8)} status ${'bytes'.padStart(9)}  url`,
);
for (const r of rows) {
  console.log(
    `${r.median.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ${r.cold.toFixed(1).padStart(8)} ` +
      `${r.stall.toFixed(1).padStart(8)} ${String(r.status).padStart(6)} ${String(r.bytes).padStart(9)}  ${r.url}${r.median >= slowMs ? '  ← slow' : ''}`,
  );
}
console.log(
  `\nprocess RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB at the end (read threads included)`,
);
console.log(`\nleft out (${skipped.length}):\n  ${skipped.join('\n  ')}`);
await rt.close();
