/**
 * Benchmark of the scheduling engine on the shared job shop and flexible job shop instances.
 *
 *   node bench/scheduling/run.ts [--time 1,10] [--only ta21,mk05] [--seed N]
 *
 * Every instance is solved through `solveBenchmark`, the function behind the CLI, single threaded,
 * once per time limit. The answer is checked with the validator and compared with the best known
 * makespan from /work/shared/scheduling/README.md.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type BenchmarkFormat,
  benchmarkProblem,
  outputAssignments,
  parseBenchmark,
  solveBenchmark,
  validate,
} from '@takt/scheduler';

const SHARED = '/work/shared/scheduling';

interface Instance {
  readonly name: string;
  readonly cls: 'ta' | 'mk';
  readonly format: BenchmarkFormat;
  readonly file: string;
  readonly best: number;
}

const TA_BEST = [1642, 1600, 1557, 1644, 1595, 1643, 1680, 1603, 1625, 1584];
const MK_BEST = [40, 26, 204, 60, 172, 57, 139, 523, 307, 193];

export const INSTANCES: readonly Instance[] = [
  ...TA_BEST.map(
    (best, i): Instance => ({
      name: `ta${21 + i}`,
      cls: 'ta',
      format: 'orlib',
      file: `${SHARED}/jobshop/ta${21 + i}.txt`,
      best,
    }),
  ),
  ...MK_BEST.map((best, i): Instance => {
    const name = `mk${String(i + 1).padStart(2, '0')}`;
    return { name, cls: 'mk', format: 'fjs', file: `${SHARED}/flexible/${name}.fjs`, best };
  }),
];

interface Row {
  readonly instance: Instance;
  readonly seconds: number;
  readonly makespan: number;
  readonly gap: number;
  readonly elapsed: number;
  readonly feasible: boolean;
}

function runOne(instance: Instance, seconds: number, seed: number): Row {
  const b = parseBenchmark(instance.format, readFileSync(instance.file, 'utf8'));
  const t0 = performance.now();
  const { output: out } = solveBenchmark(b, {
    seed,
    timeLimitMs: seconds * 1000,
    now: () => performance.now(),
  });
  const elapsed = (performance.now() - t0) / 1000;
  const violations = validate(benchmarkProblem(b), { assignments: outputAssignments(out) });
  return {
    instance,
    seconds,
    makespan: out.makespan,
    gap: (100 * (out.makespan - instance.best)) / instance.best,
    elapsed,
    feasible: violations.length === 0,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      time: { type: 'string', default: '1,10' },
      only: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const times = values.time.split(',').map(Number);
  const only = values.only ? new Set(values.only.split(',')) : null;
  const seed = Number(values.seed);
  const chosen = INSTANCES.filter((i) => !only || only.has(i.name));
  for (const seconds of times) {
    console.log(`\n## time limit ${seconds} s (seed ${seed})\n`);
    console.log('| instance | best known | makespan | gap % | time s | feasible |');
    console.log('|---|---|---|---|---|---|');
    const rows: Row[] = [];
    for (const instance of chosen) {
      const r = runOne(instance, seconds, seed);
      rows.push(r);
      console.log(
        `| ${instance.name} | ${instance.best} | ${r.makespan} | ${r.gap.toFixed(2)} | ${r.elapsed.toFixed(2)} | ${r.feasible ? 'yes' : 'NO'} |`,
      );
    }
    for (const cls of ['ta', 'mk'] as const) {
      const of = rows.filter((r) => r.instance.cls === cls);
      if (of.length === 0) continue;
      const mean = of.reduce((s, r) => s + r.gap, 0) / of.length;
      const label = cls === 'ta' ? 'Taillard 20×20' : 'Brandimarte';
      console.log(
        `\nmean gap ${label}: ${mean.toFixed(2)} % over ${of.length} instances; all feasible: ${of.every((r) => r.feasible)}`,
      );
    }
  }
}

main();
