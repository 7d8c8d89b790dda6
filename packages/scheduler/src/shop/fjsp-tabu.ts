import type { Rng } from '../rng.ts';
import type { Budget } from './budget.ts';
import { criticalPath } from './critical.ts';
import type { ShopGraph } from './graph.ts';

/**
 * Tabu search for the flexible job shop (after Mastrolilli & Gambardella).
 *
 * A move takes an operation v of a critical path out of its machine and reinserts it on any of its
 * eligible machines. With heads r⁻ and tails q⁻ of the graph without v, inserting v between a and b
 * gives exactly max(Cmax⁻, max(r⁻v, r⁻a + pa) + p'v + max(q⁻v, q⁻b + pb)), so every candidate is
 * scored exactly in O(1) after an O(n) pass per critical operation. Only insertion points between
 * the last operation of L \ R and the first of R \ L are tried (L, R as in the paper), which keeps
 * the graph acyclic and contains the best insertion.
 */
export interface FlexibleSettings {
  readonly lowerBound: number;
  /** Iterations without improvement before a restart from the best solution. */
  readonly stall: number;
  /** Tabu tenure is drawn in [base, 2 base], base = tenureScale × (2 + √n / 2). */
  readonly tenureScale?: number;
}

export function flexibleTabu(g: ShopGraph, rng: Rng, budget: Budget, settings: FlexibleSettings): number {
  const n = g.n;
  const stride = g.stride;
  const { jobPred: jp, jobSucc: js, release, nMachines, modeStart, modeMachine, modeTime } = g.inst;
  const { seq, len, pos, mach, p, head, tail, topo, topoPos, mPred, mSucc } = g;
  const hm = new Int32Array(n);
  const tm = new Int32Array(n);
  const prefMax = new Int32Array(n);
  const path = new Int32Array(n);
  const tabuPair = new Int32Array(n * n);
  const tabuMachine = new Int32Array(n * nMachines);
  /** Operations whose last move closed a cycle rest until this iteration. */
  const frozenUntil = new Int32Array(n);
  const bestSeq = seq.slice();
  const bestLen = len.slice();
  const bestMach = mach.slice();
  const bestP = p.slice();
  let best = g.makespan;
  const tenureBase = Math.max(1, Math.floor((settings.tenureScale ?? 1) * (2 + Math.sqrt(n) / 2)));
  let stamp = 0;
  let iter = 0;
  let lastImprove = 0;

  // Chosen move.
  let mvOp = -1;
  let mvMachine = 0;
  let mvIndex = 0;
  let mvTime = 0;
  let mvVal = 0;
  let ties = 0;
  let random = false;
  let seen = 0;

  /**
   * Heads/tails into hm/tm for the graph where v leaves its machine and keeps its job arcs with
   * zero duration; returns that graph's makespan. Keeping v (at zero length) makes every
   * descendant of v fall in R and every ancestor in L, which is what makes the insertion range safe.
   */
  const removeOp = (v: number): number => {
    const tp = topoPos[v]!;
    hm.set(head);
    tm.set(tail);
    const vPred = mPred[v]!;
    const vSucc = mSucc[v]!;
    const a0 = jp[v]!;
    let rv = release[v]!;
    if (a0 >= 0 && hm[a0]! + p[a0]! > rv) rv = hm[a0]! + p[a0]!;
    hm[v] = rv;
    let cmax = tp > 0 ? prefMax[tp - 1]! : 0;
    if (rv > cmax) cmax = rv;
    for (let i = tp + 1; i < n; i++) {
      const x = topo[i]!;
      let h = release[x]!;
      const a = jp[x]!;
      if (a >= 0) {
        const t = hm[a]! + (a === v ? 0 : p[a]!);
        if (t > h) h = t;
      }
      let b = mPred[x]!;
      if (b === v) b = vPred;
      if (b >= 0) {
        const t = hm[b]! + p[b]!;
        if (t > h) h = t;
      }
      hm[x] = h;
      if (h + p[x]! > cmax) cmax = h + p[x]!;
    }
    const s0 = js[v]!;
    tm[v] = s0 >= 0 ? tm[s0]! + p[s0]! : 0;
    for (let i = tp - 1; i >= 0; i--) {
      const x = topo[i]!;
      let t = 0;
      const s = js[x]!;
      if (s >= 0) t = tm[s]! + (s === v ? 0 : p[s]!);
      let b = mSucc[x]!;
      if (b === v) b = vSucc;
      if (b >= 0) {
        const u = tm[b]! + p[b]!;
        if (u > t) t = u;
      }
      tm[x] = t;
    }
    return cmax;
  };

  const consider = (v: number, k: number, idx: number, time: number, val: number): void => {
    if (random) {
      seen++;
      if (rng.int(seen) !== 0) return;
    } else if (val > mvVal || (val === mvVal && rng.int(++ties) !== 0)) return;
    if (val < mvVal) ties = 1;
    mvOp = v;
    mvMachine = k;
    mvIndex = idx;
    mvTime = time;
    mvVal = val;
  };

  /** Is inserting v at index idx of machine k (v removed) tabu? */
  const isTabu = (v: number, k: number, idx: number): boolean => {
    const mv = mach[v]!;
    if (k !== mv) return tabuMachine[v * nMachines + k]! > stamp;
    const pv = pos[v]!;
    const base = k * stride;
    if (idx > pv) {
      for (let i = pv + 1; i <= idx; i++) if (tabuPair[seq[base + i]! * n + v]! > stamp) return true;
    } else {
      for (let i = idx; i < pv; i++) if (tabuPair[v * n + seq[base + i]!]! > stamp) return true;
    }
    return false;
  };

  const explore = (v: number, allowTabu: boolean): void => {
    const cmaxMinus = removeOp(v);
    const rv = hm[v]!;
    const qv = tm[v]!;
    const mv = mach[v]!;
    const pv = pos[v]!;
    for (let mode = modeStart[v]!; mode < modeStart[v + 1]!; mode++) {
      const k = modeMachine[mode]!;
      const time = modeTime[mode]!;
      const base = k * stride;
      const same = k === mv;
      const qlen = same ? len[k]! - 1 : len[k]!;
      // Q = machine k's sequence without v; element i of Q is seq[base + at(i)].
      let lastLnotR = -1;
      let firstRnotL = qlen;
      for (let i = 0; i < qlen; i++) {
        const x = seq[base + (same && i >= pv ? i + 1 : i)]!;
        const inR = hm[x]! + p[x]! > rv;
        const inL = p[x]! + tm[x]! > qv;
        if (inL && !inR) lastLnotR = i;
        if (inR && !inL && firstRnotL === qlen) firstRnotL = i;
      }
      for (let idx = lastLnotR + 1; idx <= firstRnotL; idx++) {
        if (same && idx === pv) continue;
        let r = rv;
        if (idx > 0) {
          const x = seq[base + (same && idx - 1 >= pv ? idx : idx - 1)]!;
          if (hm[x]! + p[x]! > r) r = hm[x]! + p[x]!;
        }
        let q = qv;
        if (idx < qlen) {
          const x = seq[base + (same && idx >= pv ? idx + 1 : idx)]!;
          if (tm[x]! + p[x]! > q) q = tm[x]! + p[x]!;
        }
        const through = r + time + q;
        const val = Math.max(through, cmaxMinus);
        if (!allowTabu && val >= best && isTabu(v, k, idx)) continue;
        consider(v, k, idx, time, val);
      }
    }
  };

  /** Moves v to index idx of machine k (indexes counted without v); `mark` stamps the tabu lists. */
  const move = (v: number, k: number, idx: number, time: number, mark: number): void => {
    const mv = mach[v]!;
    const pv = pos[v]!;
    const oldBase = mv * stride;
    if (mark > 0) {
      if (k !== mv) tabuMachine[v * nMachines + mv] = mark;
      else if (idx > pv) for (let i = pv + 1; i <= idx; i++) tabuPair[v * n + seq[oldBase + i]!] = mark;
      else for (let i = idx; i < pv; i++) tabuPair[seq[oldBase + i]! * n + v] = mark;
    }
    const oldLen = len[mv]!;
    for (let i = pv; i < oldLen - 1; i++) seq[oldBase + i] = seq[oldBase + i + 1]!;
    len[mv] = oldLen - 1;
    const base = k * stride;
    const l = len[k]!;
    for (let i = l; i > idx; i--) seq[base + i] = seq[base + i - 1]!;
    seq[base + idx] = v;
    len[k] = l + 1;
    mach[v] = k;
    p[v] = time;
    g.relink(mv);
    if (k !== mv) g.relink(k);
  };

  const restoreBest = (): void => {
    seq.set(bestSeq);
    len.set(bestLen);
    mach.set(bestMach);
    p.set(bestP);
    for (let m = 0; m < nMachines; m++) g.relink(m);
    g.evaluate();
  };

  const prepare = (): number => {
    let m = 0;
    for (let i = 0; i < n; i++) {
      const x = topo[i]!;
      const c = head[x]! + p[x]!;
      if (c > m) m = c;
      prefMax[i] = m;
    }
    return criticalPath(g, rng, path);
  };

  const step = (mark: number, randomMove: boolean): boolean => {
    const plen = prepare();
    mvOp = -1;
    mvVal = Number.POSITIVE_INFINITY;
    ties = 0;
    random = randomMove;
    seen = 0;
    for (let i = 0; i < plen; i++) if (frozenUntil[path[i]!]! <= iter) explore(path[i]!, randomMove);
    if (mvOp < 0) {
      // Everything is tabu: take the best move regardless.
      for (let i = 0; i < plen; i++) if (frozenUntil[path[i]!]! <= iter) explore(path[i]!, true);
      if (mvOp < 0) return false;
    }
    const v = mvOp;
    const oldMachine = mach[v]!;
    const oldIndex = pos[v]!;
    const oldTime = p[v]!;
    move(v, mvMachine, mvIndex, mvTime, mark);
    if (!g.evaluate()) {
      // Only possible with zero-length operations, where the insertion range is not proven safe.
      move(v, oldMachine, oldIndex, oldTime, 0);
      g.evaluate();
      frozenUntil[v] = iter + tenureBase;
    }
    return true;
  };

  while (iter < budget.maxIterations && best > settings.lowerBound) {
    if ((iter & 31) === 0 && budget.expired()) break;
    iter++;
    stamp++;
    if (iter - lastImprove > settings.stall) {
      restoreBest();
      const kicks = 2 + rng.int(3);
      for (let t = 0; t < kicks; t++) step(0, true);
      stamp += 4 * tenureBase + 8;
      lastImprove = iter;
      continue;
    }
    if (!step(stamp + tenureBase + rng.int(tenureBase + 1), false)) break;
    if (g.makespan < best) {
      best = g.makespan;
      bestSeq.set(seq);
      bestLen.set(len);
      bestMach.set(mach);
      bestP.set(p);
      lastImprove = iter;
    }
  }
  if (g.makespan !== best) restoreBest();
  return iter;
}
