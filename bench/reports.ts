/**
 * Management reports on a seeded plant, straight from the history and from the daily read model:
 *   node bench/reports.ts [--data-dir data/bench-s10] [--days 365] [--runs 5]
 * Works on the given data directory (migrating it if needed). First every report of the last
 * `--days` days is computed from the raw rows (the read model asked to rebuild: every day counts as
 * not folded), then the read model is built for the whole history (timed), then the reports are
 * computed again. Prints process CPU time (user + system, which hardly moves with other work on a
 * shared host) and wall time, medians of `--runs` runs, and the load average.
 */
import os from 'node:os';
import {
  rebuildReportAggregates,
  requestRebuild,
} from '../apps/server/src/modules/reports/reports.aggregates.ts';
import { deliveryReport, productionReport } from '../apps/server/src/modules/reports/reports.service.ts';
import { utilisationReport } from '../apps/server/src/modules/reports/reports.utilisation.ts';
import { arg, dataDir } from './args.ts';
import { openPlant } from './plant.ts';

const dir = dataDir('data/bench-s10');
const days = Number(arg('days', '365'));
const runs = Number(arg('runs', '5'));

const runtime = await openPlant(dir);
const db = runtime.db;
const now = new Date();
const to = now.toISOString().slice(0, 10);
const from = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
const query = { from, to };
const reports = {
  delivery: () => deliveryReport(db, query, now),
  production: () => productionReport(db, query, now),
  utilisation: () => utilisationReport(db, query, now),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function measure(label: string, n: number) {
  for (const [name, run] of Object.entries(reports)) {
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    process.stdout.write(
      `  ${label.padEnd(10)} ${name.padEnd(12)} cpu ${median(cpu).toFixed(1).padStart(8)} ms  wall ${median(wall).toFixed(1).padStart(8)} ms  (load ${os.loadavg()[0]!.toFixed(2)})\n`,
    );
  }
}

process.stdout.write(`reports ${from}..${to} on ${dir}\n`);
await requestRebuild(db);
await measure('direct', Math.max(1, Math.min(runs, 3)));
const c0 = process.cpuUsage();
const t0 = performance.now();
const built = await rebuildReportAggregates(db);
const c = process.cpuUsage(c0);
process.stdout.write(
  `  read model built: ${built.marked} days in ${built.batches} transactions, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms, wall ${(performance.now() - t0).toFixed(0)} ms (load ${os.loadavg()[0]!.toFixed(2)})\n`,
);
await measure('folded', runs);
await runtime.close();
