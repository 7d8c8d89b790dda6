import type { Compiled } from './compile.ts';
import type { DispatchPrep } from './dispatch-prep.ts';
import { lockPrecedenceConflicts, placeLocks } from './locks.ts';
import type { Conflict } from './model.ts';
import { type Placement, PlanState } from './plan-state.ts';
import { FOREVER } from './units.ts';

export interface DispatchParams {
  /** ATCS look-ahead on due dates, in average processing times. */
  readonly k1: number;
  /** ATCS setup scaling, in average setups. */
  readonly k2: number;
  /** Per-job priority multiplier (the improvement phase perturbs these). */
  readonly bias: Float64Array;
}

export interface DispatchResult {
  readonly placed: readonly (Placement | null)[];
  readonly conflicts: readonly Conflict[];
}

/**
 * Serial schedule generation with a Giffler–Thompson style choice and the ATCS rule.
 *
 * Every operation whose predecessors are placed keeps a cached best placement (earliest end over
 * eligible machines, units, gaps, calendars and resources). Each step takes the machine of the
 * earliest cached end, and among the operations whose cached start on that machine precedes it,
 * places the one with the highest ATCS index (weight / p × urgency × setup penalty). Only caches
 * that the placement can have changed (same unit, shared resource) are recomputed.
 */
export function dispatch(c: Compiled, prep: DispatchPrep, params: DispatchParams): DispatchResult {
  const n = c.ops.length;
  const state = new PlanState(c);
  const conflicts: Conflict[] = [...c.issues];
  placeLocks(c, state, conflicts);

  const dead = Uint8Array.from(c.blocked);
  const predsLeft = new Int32Array(n);
  const est = new Float64Array(n);
  // Cached best placement of each eligible operation, in flat arrays for the hot loops.
  const cache: (Placement | null)[] = new Array(n).fill(null);
  const cStart = new Float64Array(n);
  const cEnd = new Float64Array(n);
  const cMachine = new Int32Array(n).fill(-1);
  const cUnit = new Int32Array(n);
  const dirty = new Uint8Array(n);
  const eligible: number[] = [];
  // Resources touched by the last placement (stamp = step number).
  const resourceStamp = new Int32Array(c.resources.length).fill(-1);
  const needs = c.ops.map((o) => Int32Array.from(o.needs.map((x) => x.resource)));

  const kill = (op: number, conflict: Conflict): void => {
    conflicts.push(conflict);
    dead[op] = 1;
    const stack = [op];
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const s of c.ops[x]!.succs) {
        if (dead[s.op] || c.ops[s.op]!.lock) continue;
        dead[s.op] = 1;
        conflicts.push({
          code: 'PREDECESSOR_UNSCHEDULED',
          op: c.ops[s.op]!.id,
          message: `operation "${c.ops[s.op]!.id}" follows unschedulable "${c.ops[x]!.id}"`,
          related: [c.ops[x]!.id],
        });
        stack.push(s.op);
      }
    }
  };
  const release = (op: number): void => {
    est[op] = state.earliestStart(op);
    dirty[op] = 1;
    eligible.push(op);
  };

  for (const i of c.topo) {
    const o = c.ops[i]!;
    if (dead[i] || o.lock) continue;
    predsLeft[i] = o.preds.filter((l) => !state.placed[l.op]).length;
    if (predsLeft[i] === 0) release(i);
  }

  const { k1, k2, bias } = params;
  const dueScale = k1 * prep.pAverage;
  const setupScale = k2 * prep.setupAverage;
  let lastMachine = -1;
  let lastUnit = -1;
  let lastHasNeeds = false;

  for (let step = 0; eligible.length > 0; step++) {
    // Refresh the caches the last placement may have changed, drop what cannot be placed, and
    // find the earliest cached end.
    let w = 0;
    let first = -1;
    let firstEnd = Number.POSITIVE_INFINITY;
    for (let r = 0; r < eligible.length; r++) {
      const e = eligible[r]!;
      let stale = dirty[e] === 1 || (cMachine[e] === lastMachine && cUnit[e] === lastUnit);
      if (!stale && lastHasNeeds) {
        const list = needs[e]!;
        for (let q = 0; q < list.length; q++) if (resourceStamp[list[q]!] === step - 1) stale = true;
      }
      if (stale) {
        dirty[e] = 0;
        const pl = state.bestPlacement(e, est[e]!);
        cache[e] = pl;
        if (!pl) {
          kill(e, {
            code: 'NO_CALENDAR_CAPACITY',
            op: c.ops[e]!.id,
            message: `operation "${c.ops[e]!.id}" fits in no working interval of its eligible machines`,
          });
          continue;
        }
        cStart[e] = pl.start;
        cEnd[e] = pl.end;
        cMachine[e] = pl.machine;
        cUnit[e] = pl.unit;
      }
      eligible[w++] = e;
      const end = cEnd[e]!;
      if (end < firstEnd || (end === firstEnd && e < first)) {
        firstEnd = end;
        first = e;
      }
    }
    eligible.length = w;
    if (w === 0) break;

    // Giffler–Thompson conflict set on that machine, decided by the ATCS index.
    const machine = cMachine[first]!;
    let chosen = -1;
    let chosenAt = -1;
    let bestIndex = -1;
    let bestTie = -1;
    for (let r = 0; r < w; r++) {
      const e = eligible[r]!;
      if (cMachine[e] !== machine || (cStart[e]! >= firstEnd && e !== first)) continue;
      const pl = cache[e]!;
      const job = c.ops[e]!.job;
      const le = prep.latestEnd[e]!;
      let index = 0;
      if (le < FOREVER) {
        const p = Math.max(1, pl.end - pl.start - pl.setup);
        const slack = Math.max(0, le - pl.end);
        index =
          ((c.jobs[job]!.weight * bias[job]!) / p) *
          Math.exp(-slack / dueScale) *
          Math.exp(-pl.setup / setupScale);
      }
      const tie = prep.tail[e]! * bias[job]!;
      if (index > bestIndex || (index === bestIndex && (tie > bestTie || (tie === bestTie && e < chosen)))) {
        chosen = e;
        chosenAt = r;
        bestIndex = index;
        bestTie = tie;
      }
    }

    const pl = cache[chosen]!;
    state.place(chosen, pl);
    eligible[chosenAt] = eligible[w - 1]!;
    eligible.length = w - 1;
    lastMachine = pl.machine;
    lastUnit = pl.unit;
    const list = needs[chosen]!;
    lastHasNeeds = list.length > 0;
    for (let q = 0; q < list.length; q++) resourceStamp[list[q]!] = step;
    for (const s of c.ops[chosen]!.succs) {
      if (dead[s.op] || c.ops[s.op]!.lock) continue;
      if (--predsLeft[s.op]! === 0) release(s.op);
    }
  }

  lockPrecedenceConflicts(c, state, conflicts);
  return { placed: state.placed, conflicts };
}
