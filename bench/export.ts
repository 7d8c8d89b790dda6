/**
 * Streamed list exports over real HTTP on a seeded plant, and what they cost everyone else (run on
 * demand, loopback only):
 *   node bench/export.ts [--data-dir data/bench-s100] [--database-url postgres://…]
 *                        [--what work-orders,moves,balances,sales-orders] [--format csv,xlsx]
 *                        [--limit-rows N]
 * Takt listens on a loopback port in this process; each export is downloaded with fetch in a child
 * process (so reading the body does not take this event loop), as a stream: bytes counted, and for
 * CSV the rows (line ends, less the header). `--limit-rows N` aborts a download after N CSV rows (for
 * xlsx: after about N × 60 bytes), for quick runs. Meanwhile this process samples its RSS every
 * 100 ms, measures the longest stall of its event loop (gap-meter.ts) and asks a light probe,
 * `GET /api/v1/work-orders?limit=20` with `Cache-Control: no-cache` (computed, not a kept answer),
 * every 50 ms. Per export it prints rows, bytes, time to the first byte, wall seconds, rows/s, peak
 * RSS, the longest stall, and the probe's count, p50, p99 and slowest.
 * Also `purchase-orders` in `--what`.
 */
import os from 'node:os';
import { startGapMeter } from '../apps/server/src/testing/gap-meter.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';
import { arg, dataDir, isChild } from './args.ts';
import { runInChild } from './child.ts';

interface Job {
  /** Asked first, untimed: a fresh process's first fetch loads and compiles its HTTP client. */
  readonly warmUrl: string;
  readonly url: string;
  readonly cookie: string;
  readonly csv: boolean;
  readonly limitRows: number;
}
interface Download {
  readonly status: number;
  readonly bytes: number;
  readonly rows: number;
  readonly firstByteMs: number;
  readonly ms: number;
  readonly aborted: boolean;
  readonly error: string | null;
}

const EXPORTS: Record<string, { path: string; name: string }> = {
  'work-orders': { path: '/api/v1/work-orders/export', name: 'work orders' },
  moves: { path: '/api/v1/inventory/moves/export', name: 'stock moves' },
  balances: { path: '/api/v1/inventory/balances/export', name: 'stock balances' },
  'sales-orders': { path: '/api/v1/sales-orders/export', name: 'sales orders' },
  'purchase-orders': { path: '/api/v1/purchase-orders/export', name: 'purchase orders' },
};
/** Rough bytes per row of a compressed xlsx, for `--limit-rows` on an export whose rows are not counted. */
const XLSX_BYTES_PER_ROW = 60;

/** The child: downloads one export as a stream and reports what came. */
async function download(job: Job): Promise<Download> {
  await (await fetch(job.warmUrl)).arrayBuffer();
  const t0 = performance.now();
  const abort = new AbortController();
  let bytes = 0;
  let lineEnds = 0;
  let firstByteMs = 0;
  let aborted = false;
  const limitBytes = job.limitRows * XLSX_BYTES_PER_ROW;
  try {
    const res = await fetch(job.url, { headers: { cookie: job.cookie }, signal: abort.signal });
    if (!res.ok || !res.body) {
      return {
        status: res.status,
        bytes: 0,
        rows: 0,
        firstByteMs: 0,
        ms: performance.now() - t0,
        aborted,
        error: (await res.text()).slice(0, 300),
      };
    }
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes === 0) firstByteMs = performance.now() - t0;
      bytes += value.byteLength;
      if (job.csv) for (let i = value.indexOf(10); i >= 0; i = value.indexOf(10, i + 1)) lineEnds++;
      const reached = job.csv ? lineEnds - 1 >= job.limitRows : bytes >= limitBytes;
      if (job.limitRows > 0 && reached) {
        aborted = true;
        abort.abort();
        break;
      }
    }
    return {
      status: res.status,
      bytes,
      rows: Math.max(0, lineEnds - 1),
      firstByteMs,
      ms: performance.now() - t0,
      aborted,
      error: null,
    };
  } catch (err) {
    if (aborted) {
      return {
        status: 200,
        bytes,
        rows: lineEnds - 1,
        firstByteMs,
        ms: performance.now() - t0,
        aborted,
        error: null,
      };
    }
    return {
      status: 0,
      bytes,
      rows: 0,
      firstByteMs,
      ms: performance.now() - t0,
      aborted,
      error: String(err),
    };
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const { openPlant } = await import('./plant.ts');
  const dir = dataDir('data/bench-s100');
  const databaseUrl = arg('database-url', '');
  const what = arg('what', 'work-orders,moves,balances,sales-orders')
    .split(',')
    .filter((w) => w !== '');
  const formats = arg('format', 'csv,xlsx')
    .split(',')
    .filter((f) => f !== '');
  const limitRows = Number(arg('limit-rows', '0'));
  for (const w of what)
    if (!EXPORTS[w]) throw new Error(`--what: unknown ${w} (${Object.keys(EXPORTS).join(', ')})`);
  for (const f of formats)
    if (f !== 'csv' && f !== 'xlsx') throw new Error(`--format: csv or xlsx, not ${f}`);
  if (!Number.isInteger(limitRows) || limitRows < 0) throw new Error('--limit-rows must be a whole number');

  // The probe asks 20 times a second besides the exports: well past the per-user limit of a default install.
  const runtime = await openPlant(dir, {
    userRateLimit: 100_000_000,
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: BENCH_ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed (${login.status}): seed with bench/seed.ts`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const probeUrl = `${base}/api/v1/work-orders?limit=20`;
  const probe = async () => {
    const t0 = performance.now();
    const res = await fetch(probeUrl, { headers: { cookie, 'cache-control': 'no-cache' } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`probe answered ${res.status}`);
    return performance.now() - t0;
  };
  await probe();

  process.stdout.write(
    `exports on ${databaseUrl ? databaseUrl.replace(/\/\/[^@]*@/, '//') : dir} (${runtime.db.dialect})` +
      `${limitRows > 0 ? `, at most ${limitRows} rows each` : ''}, load ${os.loadavg()[0]!.toFixed(2)}\n`,
  );
  for (const w of what) {
    for (const format of formats) {
      const spec = EXPORTS[w]!;
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 100);
      const latencies: number[] = [];
      let probeErrors = 0;
      const prober = setInterval(() => {
        probe().then(
          (ms) => latencies.push(ms),
          () => probeErrors++,
        );
      }, 50);
      const meter = startGapMeter(1);
      const result = await runInChild<Download>(import.meta.filename, {
        warmUrl: `${base}/health`,
        url: `${base}${spec.path}?format=${format}`,
        cookie,
        csv: format === 'csv',
        limitRows,
      } satisfies Job);
      const stall = meter.stop();
      clearInterval(prober);
      clearInterval(sampler);
      // Let the probes still under way come back.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sorted = [...latencies].sort((a, b) => a - b);
      const seconds = result.ms / 1000;
      const label = `${spec.name} ${format}`.padEnd(22);
      if (result.error !== null) {
        process.stdout.write(`${label} failed (${result.status}): ${result.error}\n`);
        continue;
      }
      const rows = format === 'csv' ? `${result.rows} rows, ` : '';
      const rate = format === 'csv' ? `, ${Math.round(result.rows / seconds)} rows/s` : '';
      process.stdout.write(
        `${label} ${rows}${(result.bytes / 1e6).toFixed(1)} MB${result.aborted ? ' (stopped)' : ''}, ` +
          `first byte ${result.firstByteMs.toFixed(0)} ms, ${seconds.toFixed(1)} s${rate}, ` +
          `peak RSS ${Math.round(peakRss / 1e6)} MB (${Math.round(rssBefore / 1e6)} before), ` +
          `longest stall ${stall.toFixed(0)} ms | probe ${latencies.length}× ` +
          `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ` +
          `max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms${probeErrors > 0 ? `, ${probeErrors} failed` : ''}\n`,
      );
    }
  }
  await runtime.close();
}

if (isChild()) {
  process.once('message', async (job: Job) => {
    const result = await download(job);
    process.send?.(result, () => process.exit(0));
  });
} else {
  await main();
}
