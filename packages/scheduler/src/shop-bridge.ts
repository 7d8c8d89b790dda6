import type { Compiled } from './compile.ts';
import type { Placement } from './plan-state.ts';
import {
  buildShopInstance,
  type ShopInstance,
  type ShopJobSpec,
  type ShopSolution,
} from './shop/instance.ts';
import { FOREVER } from './units.ts';

export interface ShopMapping {
  readonly inst: ShopInstance;
  /** Compiled operation index of each shop operation. */
  readonly opOf: Int32Array;
}

/**
 * Recognises problems the fast path can solve exactly as they are: single-unit always-available
 * machines, jobs that are plain chains without lags, no setups, no secondary resources, no locks,
 * no issues, and an objective that reduces to the makespan (no due dates are in play).
 */
export function toShop(c: Compiled): ShopMapping | null {
  if (c.issues.length > 0) return null;
  if (c.machines.some((m) => m.capacity !== 1 || m.calendar !== null)) return null;
  if (c.setup.some((v) => v !== 0)) return null;
  if (c.objective.includes('weightedCompletion') || !c.objective.includes('makespan')) return null;
  if (c.objective.includes('weightedTardiness') && c.jobs.some((j) => j.due < FOREVER)) return null;
  const byJob: number[][] = c.jobs.map(() => []);
  for (const [i, o] of c.ops.entries()) {
    if (o.lock || o.needs.length > 0 || o.preds.length > 1 || o.succs.length > 1) return null;
    for (const l of [...o.preds, ...o.succs]) {
      if (l.lag !== 0 || l.startStart || c.ops[l.op]!.job !== o.job) return null;
    }
    byJob[o.job]!.push(i);
  }
  const jobs: ShopJobSpec[] = [];
  const opOf: number[] = [];
  for (const [j, ops] of byJob.entries()) {
    if (ops.length === 0) continue;
    const heads = ops.filter((i) => c.ops[i]!.preds.length === 0);
    if (heads.length !== 1) return null;
    const chain: number[] = [];
    let cur: number | undefined = heads[0];
    while (cur !== undefined) {
      chain.push(cur);
      cur = c.ops[cur]!.succs[0]?.op;
    }
    if (chain.length !== ops.length) return null;
    // Per-op releases are folded into the chain: the fast path only knows job releases.
    let ready = c.jobs[j]!.release;
    for (const i of chain) {
      if (c.ops[i]!.release > ready) return null;
      ready = Math.max(ready, c.ops[i]!.release);
    }
    jobs.push({
      release: c.jobs[j]!.release,
      ops: chain.map((i) => c.ops[i]!.modes.map((m) => ({ machine: m.machine, minutes: m.minutes }))),
    });
    opOf.push(...chain);
  }
  return { inst: buildShopInstance(c.machines.length, jobs), opOf: Int32Array.from(opOf) };
}

export function shopPlacements(c: Compiled, map: ShopMapping, sol: ShopSolution): (Placement | null)[] {
  const placed: (Placement | null)[] = c.ops.map(() => null);
  map.opOf.forEach((i, o) => {
    const start = sol.start[o]!;
    placed[i] = { machine: sol.machine[o]!, unit: 0, start, end: start + sol.duration[o]!, setup: 0 };
  });
  return placed;
}
