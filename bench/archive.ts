/**
 * The archive run, as the nightly job runs it, and what it costs the server's event loop:
 *   node bench/archive.ts [--data-dir data/bench-s100] [--batches 40] [--after-days 365]
 * Works on the given data directory (migrating it if needed) and MOVES its old closed order trees
 * into the archive tables, at most `--batches` transactions of them (a seeded plant has plenty; run
 * it again for more). Prints the order trees and stock moves moved, the wall time, and the longest
 * stall of the main thread's event loop meanwhile (perf_hooks' event-loop delay, max and p99).
 */
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { archiveOld } from '../apps/server/src/modules/archive/archive.service.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const dir = path.resolve(arg('data-dir', 'data/bench-s100'));
const batches = Number(arg('batches', '40'));
const afterDays = Number(arg('after-days', '365'));
if (!Number.isInteger(batches) || batches < 1)
  throw new Error('--batches must be a whole number of at least 1');

const config = loadConfig({
  TAKT_DATA_DIR: dir,
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  TAKT_LOG_LEVEL: 'silent',
});
const runtime = await createRuntime(config, { log: pino({ level: 'silent' }), bootstrap: false });
const db = runtime.db;

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
await new Promise((resolve) => setTimeout(resolve, 20));
const t0 = performance.now();
const result = await archiveOld(db, { afterDays, maxBatches: batches });
const wall = performance.now() - t0;
await new Promise((resolve) => setTimeout(resolve, 20));
delay.disable();
process.stdout.write(
  `archive run on ${dir} (${db.dialect}), after ${afterDays} days, at most ${batches} batches\n` +
    `  ${result.workOrders} work orders and ${result.stockMoves} stock moves moved in ${result.batches} batches ` +
    `(${result.skippedTrees} trees left, still referenced): wall ${wall.toFixed(0)} ms\n` +
    `  longest event-loop stall ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms ` +
    `(load ${os.loadavg()[0]!.toFixed(2)})\n`,
);
await runtime.close();
