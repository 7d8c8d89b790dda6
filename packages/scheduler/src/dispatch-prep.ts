import type { Compiled } from './compile.ts';
import { FOREVER } from './units.ts';

/** Static data the dispatching rule needs, computed once per problem. */
export interface DispatchPrep {
  /** Shortest processing minutes over the eligible machines. */
  readonly pmin: Float64Array;
  /** Latest completion that keeps the job (and locked successors) on time; FOREVER if none. */
  readonly latestEnd: Float64Array;
  /** Remaining work: longest chain of shortest durations and lags from the op to the end. */
  readonly tail: Float64Array;
  readonly pAverage: number;
  readonly setupAverage: number;
}

export function prepareDispatch(c: Compiled): DispatchPrep {
  const n = c.ops.length;
  const pmin = new Float64Array(n);
  let total = 0;
  c.ops.forEach((o, i) => {
    pmin[i] = o.modes.length > 0 ? Math.min(...o.modes.map((m) => m.minutes)) : 0;
    total += pmin[i]!;
  });
  const latestEnd = new Float64Array(n);
  const tail = new Float64Array(n);
  for (let k = c.topo.length - 1; k >= 0; k--) {
    const i = c.topo[k]!;
    const o = c.ops[i]!;
    let le = c.jobs[o.job]!.due;
    let t = 0;
    for (const s of o.succs) {
      const succ = c.ops[s.op]!;
      const latestStart = succ.lock ? succ.lock.start : latestEnd[s.op]! - pmin[s.op]!;
      const bound = s.startStart ? latestStart - s.lag + pmin[i]! : latestStart - s.lag;
      if (bound < le) le = bound;
      const after = s.startStart ? s.lag - pmin[i]! + tail[s.op]! : s.lag + tail[s.op]!;
      if (after > t) t = after;
    }
    latestEnd[i] = le >= FOREVER / 2 ? FOREVER : le;
    tail[i] = pmin[i]! + t;
  }
  let setupSum = 0;
  let setupCount = 0;
  for (const v of c.setup) {
    if (v > 0) {
      setupSum += v;
      setupCount++;
    }
  }
  return {
    pmin,
    latestEnd,
    tail,
    pAverage: Math.max(1, total / Math.max(1, n)),
    setupAverage: setupCount > 0 ? setupSum / setupCount : 1,
  };
}
