import type { Rng } from '../rng.ts';
import type { Budget } from './budget.ts';
import { flexibleTabu } from './fjsp-tabu.ts';
import { ShopGraph } from './graph.ts';
import { bestStart, shopLowerBound } from './initial.ts';
import { isJobShop, type ShopInstance, type ShopSolution } from './instance.ts';
import { jspTabu } from './jsp-tabu.ts';

/**
 * Fast path for pure job shop and flexible job shop instances: randomised Giffler–Thompson starts,
 * then tabu search (critical-block moves for the job shop, critical-operation reinsertion across
 * eligible machines for the flexible job shop) until the budget is spent.
 */
export function solveShop(inst: ShopInstance, rng: Rng, budget: Budget): ShopSolution {
  const start = bestStart(inst, rng, 20, budget.expired);
  const g = new ShopGraph(inst);
  g.load(start.machine, start.duration, start.order);
  if (!g.evaluate()) throw new Error('initial shop schedule is cyclic');
  const lowerBound = shopLowerBound(inst);
  const jobShop = isJobShop(inst);
  const iterations = jobShop
    ? jspTabu(g, rng, budget, { lowerBound, stall: 10_000, elite: 6 })
    : flexibleTabu(g, rng, budget, { lowerBound, stall: 2000 });
  return {
    machine: g.mach.slice(),
    start: g.head.slice(),
    duration: g.p.slice(),
    makespan: g.makespan,
    iterations,
  };
}
