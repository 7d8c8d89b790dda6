import type { ShopBenchmark } from './formats.ts';
import type { Assignment, Operation, Problem, Schedule, SolveOptions } from './model.ts';
import { solve } from './solve.ts';

/** The CLI's output: 0-based job, operation index within the job, 0-based machine. */
export interface BenchmarkOutput {
  readonly makespan: number;
  readonly operations: readonly {
    readonly job: number;
    readonly op: number;
    readonly machine: number;
    readonly start: number;
    readonly end: number;
  }[];
}

const opId = (j: number, k: number): string => `J${j}.${k}`;
const machineId = (m: number): string => `M${m}`;

/** The benchmark as a general problem: one chain job per row, makespan objective. */
export function benchmarkProblem(b: ShopBenchmark): Problem {
  const operations: Operation[] = [];
  b.jobs.forEach((ops, j) => {
    ops.forEach((alts, k) => {
      operations.push({
        id: opId(j, k),
        job: `J${j}`,
        modes: alts.map((a) => ({ machine: machineId(a.machine), minutes: a.minutes })),
      });
    });
  });
  return {
    machines: Array.from({ length: b.machines }, (_, m) => ({ id: machineId(m) })),
    jobs: b.jobs.map((_, j) => ({ id: `J${j}` })),
    operations,
    objective: ['makespan'],
  };
}

export function benchmarkOutput(b: ShopBenchmark, schedule: Schedule): BenchmarkOutput {
  const byOp = new Map(schedule.assignments.map((a) => [a.op, a]));
  const operations: BenchmarkOutput['operations'][number][] = [];
  b.jobs.forEach((ops, j) => {
    ops.forEach((_, k) => {
      const a = byOp.get(opId(j, k));
      if (!a) throw new Error(`operation ${k} of job ${j} was not scheduled`);
      operations.push({ job: j, op: k, machine: Number(a.machine.slice(1)), start: a.start, end: a.end });
    });
  });
  return { makespan: schedule.kpis.makespan, operations };
}

/** The one entry point shared by the CLI and the benchmark runner. */
export function solveBenchmark(
  b: ShopBenchmark,
  options: SolveOptions,
): { output: BenchmarkOutput; schedule: Schedule } {
  const schedule = solve(benchmarkProblem(b), options);
  return { output: benchmarkOutput(b, schedule), schedule };
}

/** A benchmark answer as assignments of `benchmarkProblem(b)`, e.g. to run the validator on it. */
export function outputAssignments(out: BenchmarkOutput): Assignment[] {
  return out.operations.map((o) => ({
    op: opId(o.job, o.op),
    machine: machineId(o.machine),
    unit: 0,
    start: o.start,
    end: o.end,
    setupMinutes: 0,
    resources: [],
  }));
}
