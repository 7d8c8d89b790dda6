/**
 * One reconciliation run (every check, findings stored), as the nightly job runs it, and what it
 * costs the server's event loop:
 *   node bench/reconcile.ts [--data-dir data/bench-s100]
 * Works on the given data directory (migrating it if needed) and records a run there. Prints the
 * findings by check, the wall time and the longest stall of the main thread's event loop meanwhile
 * (perf_hooks' event-loop delay, max and p99).
 */
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { executeRun, requestRun } from '../apps/server/src/modules/reconciliation/recon.service.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const dir = path.resolve(arg('data-dir', 'data/bench-s100'));
const config = loadConfig({
  TAKT_DATA_DIR: dir,
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  TAKT_LOG_LEVEL: 'silent',
});
const runtime = await createRuntime(config, { log: pino({ level: 'silent' }), bootstrap: false });
const db = runtime.db;

const queued = await requestRun(db);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
await new Promise((resolve) => setTimeout(resolve, 20));
const t0 = performance.now();
const run = await executeRun(db, queued.id);
const wall = performance.now() - t0;
await new Promise((resolve) => setTimeout(resolve, 20));
delay.disable();
process.stdout.write(
  `reconciliation run on ${dir} (${db.dialect}): ${run.status}, ${run.findings} findings ${JSON.stringify(run.byCheck)}\n` +
    `  wall ${wall.toFixed(0)} ms; longest event-loop stall ${(delay.max / 1e6).toFixed(1)} ms, ` +
    `p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (load ${os.loadavg()[0]!.toFixed(2)})\n`,
);
await runtime.close();
