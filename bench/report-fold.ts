/**
 * The report read model's fold of past days, as the fold job runs it, and what it costs the server's
 * event loop:
 *   node bench/report-fold.ts [--data-dir data/bench-s10] [--days 30] [--in-process]
 * Works on the given data directory (migrating it if needed). First folds whatever is marked already
 * (not measured), then marks the `--days` days before today and folds them the way the job does (10 s
 * runs, today held, another run at once while days are left). Prints the wall time and the longest
 * stall of the main thread's event loop meanwhile, two ways: perf_hooks' event-loop delay (max) and
 * the longest gap between ticks of a 5 ms interval. `--in-process` computes the days on the main
 * thread instead of the fold worker, for comparison.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import {
  computeDays,
  type DayComputer,
  runFold,
} from '../apps/server/src/modules/reports/reports.aggregates.ts';
import { startGapMeter } from '../apps/server/src/testing/gap-meter.ts';
import { arg, dataDir, flag } from './args.ts';
import { openPlant } from './plant.ts';

const dir = dataDir('data/bench-s10');
const days = Number(arg('days', '30'));
if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a whole number of at least 1');
const inProcess = flag('in-process');

const runtime = await openPlant(dir);
const db = runtime.db;
const computer: DayComputer | undefined = inProcess
  ? { compute: (list) => computeDays(db.kysely, list), stop: async () => {} }
  : undefined;

const today = new Date().toISOString().slice(0, 10);
const before = performance.now();
const settled = await runFold(db, { budgetMs: Number.POSITIVE_INFINITY, holdDay: today, computer });
process.stdout.write(
  `report fold on ${dir} (${db.dialect}${inProcess ? ', computed in process' : ''})\n` +
    `  already marked: ${settled.days} days folded first in ${(performance.now() - before).toFixed(0)} ms (not measured)\n`,
);

const marked = Array.from({ length: days }, (_, i) =>
  new Date(Date.now() - (i + 1) * 86_400_000).toISOString().slice(0, 10),
);
for (const day of marked) {
  await sql`insert into report_dirty_days (day) select ${day}
    where not exists (select 1 from report_dirty_days where day = ${day})`.execute(db.kysely);
}

const delay = monitorEventLoopDelay({ resolution: 1 });
const meter = startGapMeter(5);
delay.enable();
// Both clocks running before the fold starts; the gaps meanwhile are not the fold's.
await new Promise((resolve) => setTimeout(resolve, 20));
meter.reset();
const c0 = process.cpuUsage();
const elu0 = performance.eventLoopUtilization();
const t0 = performance.now();
let folded = 0;
let runs = 0;
for (let more = true; more; runs++) {
  const result = await runFold(db, { budgetMs: 10_000, holdDay: today, computer });
  folded += result.days;
  more = result.more;
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const busy = performance.eventLoopUtilization(elu0).active;
// A fold that never yields leaves no tick behind: the stall up to its end counts too (the gap meter
// closes it on its next tick, or at stop), and the delay monitor records it on the loop's next turn.
await new Promise((resolve) => setTimeout(resolve, 20));
delay.disable();
const gap = meter.stop();
process.stdout.write(
  `  ${days} past days marked, ${folded} folded in ${runs} run(s): wall ${wall.toFixed(0)} ms, ` +
    `main thread busy ${busy.toFixed(0)} ms, process cpu (all threads) ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms\n` +
    `  longest event-loop stall: ${(delay.max / 1e6).toFixed(1)} ms (monitorEventLoopDelay max), ` +
    `${gap.toFixed(1)} ms (longest gap between 5 ms interval ticks); ` +
    `delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (load ${os.loadavg()[0]!.toFixed(2)})\n`,
);
await runtime.close();
