import type { ShopInstance } from './instance.ts';

/**
 * Disjunctive graph of a (flexible) job shop solution: machine sequences plus heads and tails.
 *
 * head[o] = earliest start of o, tail[o] = longest path from the end of o to the sink, so the
 * makespan is max(head + p + tail) and o is critical when that sum equals the makespan.
 * Everything lives in typed arrays allocated once; the search loops never allocate.
 */
export class ShopGraph {
  readonly inst: ShopInstance;
  readonly n: number;
  /** Row stride of `seq`: machine m's sequence is seq[m * stride .. m * stride + len[m]). */
  readonly stride: number;
  readonly seq: Int32Array;
  readonly len: Int32Array;
  readonly pos: Int32Array;
  readonly mach: Int32Array;
  readonly p: Int32Array;
  readonly mPred: Int32Array;
  readonly mSucc: Int32Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  /** Topological order of the last successful `evaluate`, and each op's index in it. */
  readonly topo: Int32Array;
  readonly topoPos: Int32Array;
  private readonly indeg: Int32Array;
  makespan = 0;

  constructor(inst: ShopInstance) {
    const n = inst.nOps;
    this.inst = inst;
    this.n = n;
    this.stride = n;
    this.seq = new Int32Array(inst.nMachines * n);
    this.len = new Int32Array(inst.nMachines);
    this.pos = new Int32Array(n);
    this.mach = new Int32Array(n);
    this.p = new Int32Array(n);
    this.mPred = new Int32Array(n).fill(-1);
    this.mSucc = new Int32Array(n).fill(-1);
    this.head = new Int32Array(n);
    this.tail = new Int32Array(n);
    this.topo = new Int32Array(n);
    this.topoPos = new Int32Array(n);
    this.indeg = new Int32Array(n);
  }

  /** Loads machine assignment and sequences: order[m] lists the operations of machine m. */
  load(machine: Int32Array, duration: Int32Array, order: readonly (readonly number[])[]): void {
    this.mach.set(machine);
    this.p.set(duration);
    this.len.fill(0);
    order.forEach((ops, m) => {
      ops.forEach((o, i) => {
        this.seq[m * this.stride + i] = o;
      });
      this.len[m] = ops.length;
    });
    for (let m = 0; m < this.inst.nMachines; m++) this.relink(m);
  }

  copyFrom(other: ShopGraph): void {
    this.seq.set(other.seq);
    this.len.set(other.len);
    this.pos.set(other.pos);
    this.mach.set(other.mach);
    this.p.set(other.p);
    this.mPred.set(other.mPred);
    this.mSucc.set(other.mSucc);
    this.head.set(other.head);
    this.tail.set(other.tail);
    this.topo.set(other.topo);
    this.topoPos.set(other.topoPos);
    this.makespan = other.makespan;
  }

  /** Rebuilds pos / mPred / mSucc of machine m from its sequence. */
  relink(m: number): void {
    const { seq, pos, mPred, mSucc } = this;
    const base = m * this.stride;
    const len = this.len[m]!;
    let prev = -1;
    for (let i = 0; i < len; i++) {
      const o = seq[base + i]!;
      pos[o] = i;
      mPred[o] = prev;
      if (prev >= 0) mSucc[prev] = o;
      prev = o;
    }
    if (prev >= 0) mSucc[prev] = -1;
  }

  /** Relinks positions lo..hi (inclusive) of machine m after a rotation inside that range. */
  relinkRange(m: number, lo: number, hi: number): void {
    const { seq, pos, mPred, mSucc } = this;
    const base = m * this.stride;
    const len = this.len[m]!;
    const from = lo > 0 ? lo - 1 : 0;
    const to = hi < len - 1 ? hi + 1 : len - 1;
    for (let i = from; i <= to; i++) {
      const o = seq[base + i]!;
      pos[o] = i;
      mPred[o] = i > 0 ? seq[base + i - 1]! : -1;
      mSucc[o] = i < len - 1 ? seq[base + i + 1]! : -1;
    }
  }

  /**
   * Computes heads, tails, topological order and makespan. Returns false (leaving heads partly
   * updated) when the machine sequences create a cycle.
   */
  evaluate(): boolean {
    const n = this.n;
    const { jobPred, jobSucc, release } = this.inst;
    const { mPred, mSucc, p, head, tail, topo, topoPos, indeg } = this;
    let qt = 0;
    for (let o = 0; o < n; o++) {
      const d = (jobPred[o]! >= 0 ? 1 : 0) + (mPred[o]! >= 0 ? 1 : 0);
      indeg[o] = d;
      if (d === 0) topo[qt++] = o;
    }
    for (let qh = 0; qh < qt; qh++) {
      const o = topo[qh]!;
      topoPos[o] = qh;
      let h = release[o]!;
      const a = jobPred[o]!;
      if (a >= 0) {
        const t = head[a]! + p[a]!;
        if (t > h) h = t;
      }
      const b = mPred[o]!;
      if (b >= 0) {
        const t = head[b]! + p[b]!;
        if (t > h) h = t;
      }
      head[o] = h;
      const s = jobSucc[o]!;
      if (s >= 0 && --indeg[s]! === 0) topo[qt++] = s;
      const r = mSucc[o]!;
      if (r >= 0 && --indeg[r]! === 0) topo[qt++] = r;
    }
    if (qt < n) return false;
    let cmax = 0;
    for (let i = n - 1; i >= 0; i--) {
      const o = topo[i]!;
      let t = 0;
      const s = jobSucc[o]!;
      if (s >= 0) t = tail[s]! + p[s]!;
      const r = mSucc[o]!;
      if (r >= 0) {
        const u = tail[r]! + p[r]!;
        if (u > t) t = u;
      }
      tail[o] = t;
      const c = head[o]! + p[o]! + t;
      if (c > cmax) cmax = c;
    }
    this.makespan = cmax;
    return true;
  }

  /** Machine sequences as plain arrays (for output and restarts). */
  orders(): number[][] {
    const out: number[][] = [];
    for (let m = 0; m < this.inst.nMachines; m++) {
      out.push(Array.from(this.seq.subarray(m * this.stride, m * this.stride + this.len[m]!)));
    }
    return out;
  }
}
