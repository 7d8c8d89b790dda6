import { type Compiled, compile } from './compile.ts';
import { buildSchedule } from './evaluate.ts';
import { solveGeneral } from './general.ts';
import type { Problem, Schedule, SolveOptions } from './model.ts';
import { createRng } from './rng.ts';
import { makeBudget } from './shop/budget.ts';
import { isJobShop } from './shop/instance.ts';
import { solveShop } from './shop/solve-shop.ts';
import { shopPlacements, toShop } from './shop-bridge.ts';

/** Iteration budgets used when no wall-clock budget is given. */
export const DEFAULT_SHOP_ITERATIONS = 10_000;
export const DEFAULT_DISPATCH_ITERATIONS = 16;

/**
 * Builds a schedule. Pure job shop / flexible job shop problems go to the tabu search fast path;
 * everything else to ATCS dispatching with iterated priority search. With `maxIterations` and no
 * clock the result depends only on the problem, the seed and the budget.
 */
export function solve(problem: Problem, options: SolveOptions = {}): Schedule {
  return solveCompiled(compile(problem), options);
}

export function solveCompiled(c: Compiled, options: SolveOptions = {}): Schedule {
  const rng = createRng(options.seed ?? 1);
  const shop = toShop(c);
  if (shop) {
    const budget = makeBudget(
      options.maxIterations,
      options.timeLimitMs,
      options.now,
      DEFAULT_SHOP_ITERATIONS,
    );
    const sol = solveShop(shop.inst, rng, budget);
    const method = isJobShop(shop.inst) ? 'shop-tabu' : 'flexible-tabu';
    return buildSchedule(c, shopPlacements(c, shop, sol), c.issues, { method, iterations: sol.iterations });
  }
  const budget = makeBudget(
    options.maxIterations,
    options.timeLimitMs,
    options.now,
    DEFAULT_DISPATCH_ITERATIONS,
  );
  const r = solveGeneral(c, rng, budget);
  return buildSchedule(c, r.placed, r.conflicts, { method: 'dispatch', iterations: r.iterations });
}
