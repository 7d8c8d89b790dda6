/**
 * The archive run, as the nightly job runs it, and what it costs the server's event loop:
 *   node bench/archive.ts [--data-dir data/bench-s100] [--batches 40] [--after-days 365] [--batch-orders N]
 * Works on the given data directory (migrating it if needed) and MOVES its old closed order trees
 * into the archive tables, at most `--batches` transactions of them (a seeded plant has plenty; run
 * it again for more). Prints the order trees and stock moves moved, the wall time, and the longest
 * stall of the main thread's event loop meanwhile (perf_hooks' event-loop delay, max and p99).
 */
import os from 'node:os';
import { archiveOld } from '../apps/server/src/modules/archive/archive.service.ts';
import { arg, dataDir } from './args.ts';
import { openPlant, withStalls } from './plant.ts';

const dir = dataDir('data/bench-s100');
const batches = Number(arg('batches', '40'));
const afterDays = Number(arg('after-days', '365'));
/** Order trees per transaction; the job's own default unless given. */
const batchOrders = arg('batch-orders', '') === '' ? undefined : Number(arg('batch-orders', ''));
if (!Number.isInteger(batches) || batches < 1)
  throw new Error('--batches must be a whole number of at least 1');

const runtime = await openPlant(dir);
const db = runtime.db;
const run = await withStalls(() =>
  archiveOld(db, { afterDays, maxBatches: batches, ...(batchOrders ? { batchOrders } : {}) }),
);
const result = run.result;
process.stdout.write(
  `archive run on ${dir} (${db.dialect}), after ${afterDays} days, at most ${batches} batches\n` +
    `  ${result.workOrders} work orders and ${result.stockMoves} stock moves moved in ${result.batches} batches ` +
    `(${result.skippedTrees} trees left, still referenced): wall ${run.wallMs.toFixed(0)} ms\n` +
    `  longest event-loop stall ${run.maxStallMs.toFixed(1)} ms, p99 ${run.p99StallMs.toFixed(1)} ms ` +
    `(load ${os.loadavg()[0]!.toFixed(2)})\n`,
);
await runtime.close();
