/**
 * One reconciliation run (every check, findings stored), as the nightly job runs it, and what it
 * costs the server's event loop:
 *   node bench/reconcile.ts [--data-dir data/bench-s100]
 * Works on the given data directory (migrating it if needed) and records a run there. Prints the
 * findings by check, the wall time and the longest stall of the main thread's event loop meanwhile
 * (perf_hooks' event-loop delay, max and p99).
 */
import os from 'node:os';
import { executeRun, requestRun } from '../apps/server/src/modules/reconciliation/recon.service.ts';
import { dataDir } from './args.ts';
import { openPlant, withStalls } from './plant.ts';

const dir = dataDir('data/bench-s100');
const runtime = await openPlant(dir);
const db = runtime.db;

const queued = await requestRun(db);
const measured = await withStalls(() => executeRun(db, queued.id));
const run = measured.result;
process.stdout.write(
  `reconciliation run on ${dir} (${db.dialect}): ${run.status}, ${run.findings} findings ${JSON.stringify(run.byCheck)}\n` +
    `  wall ${measured.wallMs.toFixed(0)} ms; longest event-loop stall ${measured.maxStallMs.toFixed(1)} ms, ` +
    `p99 ${measured.p99StallMs.toFixed(1)} ms (load ${os.loadavg()[0]!.toFixed(2)})\n`,
);
await runtime.close();
