import type { Interval, Job, Link, Machine, Operation, Problem, SetupRule } from '../model.ts';
import { createRng, type Rng } from '../rng.ts';

/**
 * Random small problems for property tests. Shape parameters come from fast-check; the details
 * come from a seeded generator so that a failing case is reproduced by its seed.
 */
export interface ProblemShape {
  readonly seed: number;
  readonly machines: number;
  readonly jobs: number;
  readonly maxOps: number;
  readonly calendars: boolean;
  readonly setups: boolean;
  readonly resources: boolean;
  readonly parallel: boolean;
  readonly dag: boolean;
  readonly lags: boolean;
  readonly dueDates: boolean;
}

function shifts(rng: Rng): Interval[] {
  const out: Interval[] = [];
  let t = rng.int(30);
  for (let k = 0; k < 25; k++) {
    const len = 40 + rng.int(120);
    out.push({ start: t, end: t + len });
    t += len + rng.int(80);
  }
  // Usually a long final interval so that most operations fit somewhere.
  if (rng.next() < 0.9) out.push({ start: t, end: t + 100_000 });
  return out;
}

export function randomProblem(shape: ProblemShape): Problem {
  const rng = createRng(shape.seed);
  const families = shape.setups ? 1 + rng.int(3) : 0;
  const machines: Machine[] = Array.from({ length: shape.machines }, (_, m) => ({
    id: `m${m}`,
    capacity: shape.parallel && rng.next() < 0.4 ? 2 : 1,
    calendar: shape.calendars && rng.next() < 0.7 ? shifts(rng) : undefined,
    initialFamily: families > 0 && rng.next() < 0.5 ? `f${rng.int(families)}` : undefined,
  }));
  const setups: SetupRule[] = [];
  for (let a = 0; a < families; a++) {
    for (let b = 0; b < families; b++)
      if (a !== b) setups.push({ from: `f${a}`, to: `f${b}`, minutes: rng.int(25) });
    setups.push({ from: '', to: `f${a}`, minutes: rng.int(10) });
  }
  const resources = shape.resources
    ? Array.from({ length: 1 + rng.int(2) }, (_, r) => ({ id: `r${r}`, count: 1 + rng.int(2) }))
    : [];
  const jobs: Job[] = [];
  const operations: Operation[] = [];
  for (let j = 0; j < shape.jobs; j++) {
    const dag = shape.dag && rng.next() < 0.5;
    jobs.push({
      id: `j${j}`,
      release: rng.next() < 0.5 ? rng.int(100) : undefined,
      due: shape.dueDates && rng.next() < 0.7 ? 50 + rng.int(400) : undefined,
      weight: 1 + rng.int(4),
      routing: dag ? 'dag' : 'sequence',
    });
    const nOps = 1 + rng.int(shape.maxOps);
    const first = operations.length;
    for (let k = 0; k < nOps; k++) {
      const eligible = new Set<number>();
      const count = 1 + rng.int(Math.min(2, shape.machines));
      while (eligible.size < count) eligible.add(rng.int(shape.machines));
      const predecessors: Link[] = [];
      const lag = (): number | undefined => (shape.lags && rng.next() < 0.4 ? rng.int(30) : undefined);
      if (dag) {
        for (let q = first; q < first + k; q++)
          if (rng.next() < 0.4) predecessors.push({ op: `j${j}o${q - first}`, minLag: lag() });
      } else if (k > 0 && shape.lags && rng.next() < 0.5) {
        const type = rng.next() < 0.3 ? 'start-start' : 'end-start';
        predecessors.push({ op: `j${j}o${k - 1}`, minLag: lag(), type });
      }
      // Parent/child link from an operation of an earlier job.
      if (shape.dag && j > 0 && rng.next() < 0.15) {
        const other = operations[rng.int(first)]!;
        predecessors.push({ op: other.id, minLag: lag() });
      }
      operations.push({
        id: `j${j}o${k}`,
        job: `j${j}`,
        modes: [...eligible].map((m) => ({
          machine: `m${m}`,
          minutes: rng.next() < 0.05 ? 0 : 1 + rng.int(60),
        })),
        setupFamily: families > 0 ? `f${rng.int(families)}` : undefined,
        resources:
          resources.length > 0 && rng.next() < 0.5
            ? [{ resource: resources[rng.int(resources.length)]!.id }]
            : undefined,
        predecessors: predecessors.length > 0 ? predecessors : undefined,
        release: rng.next() < 0.1 ? rng.int(150) : undefined,
      });
    }
  }
  return { machines, resources, jobs, operations, setups };
}
