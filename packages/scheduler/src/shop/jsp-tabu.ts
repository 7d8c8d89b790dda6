import type { Rng } from '../rng.ts';
import type { Budget } from './budget.ts';
import { criticalBlocks, criticalPath } from './critical.ts';
import type { ShopGraph } from './graph.ts';

/**
 * Tabu search for the job shop on the disjunctive graph (Nowicki–Smutnicki style).
 *
 * Neighbourhood N7: inside each critical block, move an operation to the front or the back of the
 * block, and move the first/last operation to every inner position. Each move is scored by the
 * head/tail estimate over the rotated segment (Balas–Vazacopoulos), which costs O(segment), and only
 * the chosen move is applied and evaluated exactly. Moves whose estimate beats the best makespan
 * override the tabu status. After `stall` iterations without improvement the search restarts
 * (iterated tabu search) from a solution drawn from a small elite pool (the best of each episode),
 * perturbed by a few random swaps of adjacent critical operations.
 */
export interface TabuSettings {
  readonly lowerBound: number;
  /** Iterations without improvement before a restart from the best solution. */
  readonly stall: number;
  /** Tabu tenure is drawn in [base, base × (1 + spread)], base = tenureScale × (10 + n/m). */
  readonly tenureScale?: number;
  readonly tenureSpread?: number;
  /** Random critical swaps applied at a restart: kicks + [0, kicksSpread). */
  readonly kicks?: number;
  readonly kicksSpread?: number;
  /** Size of the pool of good solutions restarts are drawn from (1 = always the best). */
  readonly elite?: number;
}

const FORWARD = 0;
const BACKWARD = 1;

export function jspTabu(g: ShopGraph, rng: Rng, budget: Budget, settings: TabuSettings): number {
  const n = g.n;
  const stride = g.stride;
  const { jobPred: jp, jobSucc: js, release, nJobs, nMachines } = g.inst;
  const { seq, p, head, tail } = g;
  const tabu = new Int32Array(n * n);
  const path = new Int32Array(n);
  const blocks = new Int32Array(3 * n);
  const scratch = new Int32Array(n + 1);
  const bestSeq = seq.slice();
  // Elite pool: best solution of each episode between restarts, restarts start from a random one.
  const eliteSize = settings.elite ?? 1;
  const eliteSeq: Int32Array[] = [];
  const eliteVal: number[] = [];
  const episodeSeq = seq.slice();
  let episodeBest = g.makespan;
  let best = g.makespan;
  const tenureBase = Math.max(
    1,
    Math.round((settings.tenureScale ?? 1) * (10 + Math.floor(nJobs / nMachines))),
  );
  const tenureSpan = Math.max(1, Math.floor(tenureBase * (settings.tenureSpread ?? 0.4)));
  let iter = 0;
  let lastImprove = 0;
  // Tabu stamps are compared with `stamp`, which keeps growing across restarts so the
  // matrix never needs clearing.
  let stamp = 0;

  const jobReady = (x: number): number => {
    const a = jp[x]!;
    const r = release[x]!;
    if (a < 0) return r;
    const t = head[a]! + p[a]!;
    return Math.max(t, r);
  };
  const jobTail = (x: number): number => {
    const s = js[x]!;
    return s >= 0 ? tail[s]! + p[s]! : 0;
  };

  /** Estimated makespan after moving seq[i] right after seq[j] (i < j) on machine base. */
  const estimateForward = (base: number, len: number, i: number, j: number): number => {
    const u = seq[base + i]!;
    let prevEnd = i > 0 ? head[seq[base + i - 1]!]! + p[seq[base + i - 1]!]! : 0;
    for (let k = i + 1; k <= j; k++) {
      const x = seq[base + k]!;
      let h = jobReady(x);
      if (prevEnd > h) h = prevEnd;
      scratch[k - i] = h;
      prevEnd = h + p[x]!;
    }
    let hu = jobReady(u);
    if (prevEnd > hu) hu = prevEnd;
    let tu = jobTail(u);
    if (j + 1 < len) {
      const b = seq[base + j + 1]!;
      const t = tail[b]! + p[b]!;
      if (t > tu) tu = t;
    }
    let est = hu + p[u]! + tu;
    let nextTail = tu + p[u]!;
    for (let k = j; k > i; k--) {
      const x = seq[base + k]!;
      let t = jobTail(x);
      if (nextTail > t) t = nextTail;
      const c = scratch[k - i]! + p[x]! + t;
      if (c > est) est = c;
      nextTail = t + p[x]!;
    }
    return est;
  };

  /** Estimated makespan after moving seq[j] right before seq[i] (i < j). */
  const estimateBackward = (base: number, len: number, i: number, j: number): number => {
    const v = seq[base + j]!;
    const prevStart = i > 0 ? head[seq[base + i - 1]!]! + p[seq[base + i - 1]!]! : 0;
    let hv = jobReady(v);
    if (prevStart > hv) hv = prevStart;
    let prevEnd = hv + p[v]!;
    for (let k = i; k < j; k++) {
      const x = seq[base + k]!;
      let h = jobReady(x);
      if (prevEnd > h) h = prevEnd;
      scratch[k - i] = h;
      prevEnd = h + p[x]!;
    }
    let nextTail = 0;
    if (j + 1 < len) {
      const b = seq[base + j + 1]!;
      nextTail = tail[b]! + p[b]!;
    }
    let est = 0;
    for (let k = j - 1; k >= i; k--) {
      const x = seq[base + k]!;
      let t = jobTail(x);
      if (nextTail > t) t = nextTail;
      const c = scratch[k - i]! + p[x]! + t;
      if (c > est) est = c;
      nextTail = t + p[x]!;
    }
    let tv = jobTail(v);
    if (nextTail > tv) tv = nextTail;
    const c = hv + p[v]! + tv;
    return Math.max(c, est);
  };

  const isTabu = (base: number, dir: number, i: number, j: number): boolean => {
    if (dir === FORWARD) {
      const u = seq[base + i]!;
      for (let k = i + 1; k <= j; k++) if (tabu[seq[base + k]! * n + u]! > stamp) return true;
    } else {
      const v = seq[base + j]!;
      for (let k = i; k < j; k++) if (tabu[v * n + seq[base + k]!]! > stamp) return true;
    }
    return false;
  };

  /** Rotates the segment; `mark` records the reversed pairs as tabu. */
  const apply = (m: number, dir: number, i: number, j: number, mark: number): void => {
    const base = m * stride;
    if (dir === FORWARD) {
      const u = seq[base + i]!;
      for (let k = i; k < j; k++) {
        const x = seq[base + k + 1]!;
        seq[base + k] = x;
        if (mark > 0) tabu[u * n + x] = mark;
      }
      seq[base + j] = u;
    } else {
      const v = seq[base + j]!;
      for (let k = j; k > i; k--) {
        const x = seq[base + k - 1]!;
        seq[base + k] = x;
        if (mark > 0) tabu[x * n + v] = mark;
      }
      seq[base + i] = v;
    }
    g.relinkRange(m, i, j);
  };

  let bestM = 0;
  let bestDir = 0;
  let bestI = 0;
  let bestJ = 0;
  let bestEst = 0;
  let ties = 0;
  const consider = (m: number, dir: number, i: number, j: number, est: number): void => {
    if (est < bestEst || (est === bestEst && rng.int(++ties) === 0)) {
      if (est < bestEst) ties = 1;
      bestEst = est;
      bestM = m;
      bestDir = dir;
      bestI = i;
      bestJ = j;
    }
  };

  let tabuEst = Number.POSITIVE_INFINITY;
  let tM = -1;
  let tDir = 0;
  let tI = 0;
  let tJ = 0;
  const tryMove = (m: number, base: number, mlen: number, dir: number, i: number, j: number): void => {
    if (j > i + 1) {
      // Sufficient acyclicity conditions (Balas–Vazacopoulos): no path from JS(u) to v,
      // respectively from u to JP(v).
      if (dir === FORWARD) {
        const s = js[seq[base + i]!]!;
        const v = seq[base + j]!;
        if (s >= 0 && tail[v]! + p[v]! < tail[s]! + p[s]!) return;
      } else {
        const a = jp[seq[base + j]!]!;
        const u = seq[base + i]!;
        if (a >= 0 && head[u]! + p[u]! < head[a]! + p[a]!) return;
      }
    }
    const est = dir === FORWARD ? estimateForward(base, mlen, i, j) : estimateBackward(base, mlen, i, j);
    if (isTabu(base, dir, i, j)) {
      if (est < tabuEst) {
        tabuEst = est;
        tM = m;
        tDir = dir;
        tI = i;
        tJ = j;
      }
    } else consider(m, dir, i, j, est);
  };

  const restart = (): void => {
    if (episodeBest < Number.POSITIVE_INFINITY && !eliteVal.includes(episodeBest)) {
      if (eliteVal.length < eliteSize) {
        eliteSeq.push(episodeSeq.slice());
        eliteVal.push(episodeBest);
      } else {
        let worst = 0;
        for (let e = 1; e < eliteVal.length; e++) if (eliteVal[e]! > eliteVal[worst]!) worst = e;
        if (episodeBest < eliteVal[worst]!) {
          eliteSeq[worst]!.set(episodeSeq);
          eliteVal[worst] = episodeBest;
        }
      }
    }
    seq.set(eliteSeq.length > 0 ? eliteSeq[rng.int(eliteSeq.length)]! : bestSeq);
    episodeBest = Number.POSITIVE_INFINITY;
    for (let m = 0; m < nMachines; m++) g.relink(m);
    g.evaluate();
    // Perturb: a few random swaps of adjacent critical operations (always acyclic).
    const kicks = (settings.kicks ?? 2) + rng.int(settings.kicksSpread ?? 4);
    for (let t = 0; t < kicks; t++) {
      const len = criticalPath(g, rng, path);
      const nb = criticalBlocks(g, path, len, blocks);
      if (nb === 0) break;
      const b = rng.int(nb);
      const m = blocks[3 * b]!;
      const lo = blocks[3 * b + 1]!;
      const hi = blocks[3 * b + 2]!;
      const i = lo + rng.int(hi - lo);
      apply(m, FORWARD, i, i + 1, 0);
      g.evaluate();
    }
    stamp += 4 * tenureBase;
  };

  while (iter < budget.maxIterations && best > settings.lowerBound) {
    if ((iter & 63) === 0 && budget.expired()) break;
    iter++;
    stamp++;
    if (iter - lastImprove > settings.stall) {
      restart();
      lastImprove = iter;
      continue;
    }
    const len = criticalPath(g, rng, path);
    const nb = criticalBlocks(g, path, len, blocks);
    bestEst = Number.POSITIVE_INFINITY;
    ties = 0;
    tabuEst = Number.POSITIVE_INFINITY;
    tM = -1;
    for (let b = 0; b < nb; b++) {
      const m = blocks[3 * b]!;
      const lo = blocks[3 * b + 1]!;
      const hi = blocks[3 * b + 2]!;
      const base = m * stride;
      const mlen = g.len[m]!;
      for (let j = lo + 1; j <= hi; j++) tryMove(m, base, mlen, FORWARD, lo, j);
      for (let i = lo + 1; i < hi; i++) tryMove(m, base, mlen, FORWARD, i, hi);
      for (let i = lo; i <= hi - 2; i++) tryMove(m, base, mlen, BACKWARD, i, hi);
      for (let j = lo + 2; j <= hi - 1; j++) tryMove(m, base, mlen, BACKWARD, lo, j);
    }
    if (tM >= 0 && tabuEst < best && tabuEst < bestEst) {
      bestEst = tabuEst;
      bestM = tM;
      bestDir = tDir;
      bestI = tI;
      bestJ = tJ;
    } else if (bestEst === Number.POSITIVE_INFINITY) {
      if (nb === 0) break; // the critical path is one job's chain: optimal
      if (tM < 0) {
        lastImprove = iter - settings.stall; // every move was filtered out: restart next time
        continue;
      }
      bestM = tM;
      bestDir = tDir;
      bestI = tI;
      bestJ = tJ;
    }
    const tenure = stamp + tenureBase + rng.int(tenureSpan + 1);
    apply(bestM, bestDir, bestI, bestJ, tenure);
    if (!g.evaluate()) {
      apply(bestM, bestDir === FORWARD ? BACKWARD : FORWARD, bestI, bestJ, 0);
      g.evaluate();
      continue;
    }
    if (g.makespan < episodeBest) {
      episodeBest = g.makespan;
      episodeSeq.set(seq);
    }
    if (g.makespan < best) {
      best = g.makespan;
      bestSeq.set(seq);
      lastImprove = iter;
    }
  }
  if (g.makespan !== best) {
    seq.set(bestSeq);
    for (let m = 0; m < nMachines; m++) g.relink(m);
    g.evaluate();
  }
  return iter;
}
