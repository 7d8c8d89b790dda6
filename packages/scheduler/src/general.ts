import type { Compiled } from './compile.ts';
import { dispatch, type DispatchResult } from './dispatch.ts';
import { prepareDispatch } from './dispatch-prep.ts';
import { compareObjective, objectiveVector } from './evaluate.ts';
import type { Rng } from './rng.ts';
import type { Budget } from './shop/budget.ts';
import { FOREVER } from './units.ts';

/** ATCS parameter pairs (k1, k2) tried first; the literature's useful range. */
const GRID: readonly (readonly [number, number])[] = [
  [2, 0.5],
  [1, 0.5],
  [4, 1],
  [0.5, 0.25],
  [2, 2],
  [1, 0.1],
];

export interface GeneralResult extends DispatchResult {
  readonly iterations: number;
}

/**
 * General path (calendars, setups, resources, locks…): ATCS dispatching with a few parameter pairs,
 * then an iterated search on per-job priority multipliers: each iteration raises the priority of a
 * tardy job picked in proportion to its weighted tardiness (or jitters a random job when nothing is
 * late), dispatches again, and keeps the change when the lexicographic objective does not worsen.
 */
export function solveGeneral(c: Compiled, rng: Rng, budget: Budget): GeneralResult {
  const prep = prepareDispatch(c);
  let bias = new Float64Array(c.jobs.length).fill(1);
  let [k1, k2] = GRID[0]!;
  let best = dispatch(c, prep, { k1, k2, bias });
  let bestValue = objectiveVector(c, best.placed);
  let iterations = 1;
  const hasSetups = c.setup.some((v) => v > 0);
  const hasDue = c.jobs.some((j) => j.due < FOREVER);
  for (const [a, b] of GRID.slice(1)) {
    if (!hasDue && !hasSetups) break;
    if (iterations >= budget.maxIterations || budget.expired()) break;
    iterations++;
    const r = dispatch(c, prep, { k1: a, k2: b, bias });
    const v = objectiveVector(c, r.placed);
    if (compareObjective(v, bestValue) < 0) {
      best = r;
      bestValue = v;
      k1 = a;
      k2 = b;
    }
  }
  while (iterations < budget.maxIterations && c.jobs.length > 0 && !budget.expired()) {
    iterations++;
    const next = bias.slice();
    const late = tardyJobs(c, best);
    const changes = 1 + rng.int(3);
    for (let t = 0; t < changes; t++) {
      if (late.total > 0) {
        const j = pickWeighted(late.weights, late.total, rng);
        next[j]! *= 1.3 + 1.7 * rng.next();
      } else {
        const j = rng.int(c.jobs.length);
        next[j]! *= Math.exp((rng.next() - 0.5) * 1.5);
      }
    }
    const r = dispatch(c, prep, { k1, k2, bias: next });
    const v = objectiveVector(c, r.placed);
    if (compareObjective(v, bestValue) <= 0) {
      best = r;
      bestValue = v;
      bias = next;
    }
  }
  return { ...best, iterations };
}

function tardyJobs(c: Compiled, r: DispatchResult): { weights: Float64Array; total: number } {
  const completion = new Float64Array(c.jobs.length);
  r.placed.forEach((p, i) => {
    if (p) {
      const j = c.ops[i]!.job;
      if (p.end > completion[j]!) completion[j] = p.end;
    }
  });
  const weights = new Float64Array(c.jobs.length);
  let total = 0;
  c.jobs.forEach((job, j) => {
    if (job.due < FOREVER && completion[j]! > job.due) {
      weights[j] = job.weight * (completion[j]! - job.due);
      total += weights[j]!;
    }
  });
  return { weights, total };
}

function pickWeighted(weights: Float64Array, total: number, rng: Rng): number {
  let x = rng.next() * total;
  for (let j = 0; j < weights.length; j++) {
    x -= weights[j]!;
    if (x < 0 && weights[j]! > 0) return j;
  }
  for (let j = weights.length - 1; j >= 0; j--) if (weights[j]! > 0) return j;
  return 0;
}
