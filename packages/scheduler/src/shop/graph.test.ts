import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../rng.ts';
import { makeBudget } from './budget.ts';
import { ShopGraph } from './graph.ts';
import { bestStart } from './initial.ts';
import { buildShopInstance, type ShopInstance } from './instance.ts';
import { solveShop } from './solve-shop.ts';

function randomShop(seed: number, jobs: number, machines: number, flexible: boolean): ShopInstance {
  const rng = createRng(seed);
  return buildShopInstance(
    machines,
    Array.from({ length: jobs }, () => ({
      release: rng.int(5),
      ops: Array.from({ length: machines }, () => {
        const count = flexible ? 1 + rng.int(3) : 1;
        const set = new Set<number>();
        while (set.size < count) set.add(rng.int(machines));
        return [...set].map((machine) => ({ machine, minutes: 1 + rng.int(20) }));
      }),
    })),
  );
}

/** Longest paths by plain relaxation over all arcs, for comparison. */
function bruteHeads(g: ShopGraph): number[] {
  const { jobPred, release } = g.inst;
  const head = Array.from({ length: g.n }, (_, o) => release[o]!);
  for (let round = 0; round < g.n; round++) {
    for (let o = 0; o < g.n; o++) {
      for (const q of [jobPred[o]!, g.mPred[o]!])
        if (q >= 0) head[o] = Math.max(head[o]!, head[q]! + g.p[q]!);
    }
  }
  return head;
}

function checkSolution(
  inst: ShopInstance,
  machine: Int32Array,
  start: Int32Array,
  duration: Int32Array,
  makespan: number,
): void {
  let cmax = 0;
  const busy: [number, number][][] = Array.from({ length: inst.nMachines }, () => []);
  for (let o = 0; o < inst.nOps; o++) {
    const ok = [...Array(inst.modeStart[o + 1]! - inst.modeStart[o]!).keys()].some(
      (k) =>
        inst.modeMachine[inst.modeStart[o]! + k] === machine[o] &&
        inst.modeTime[inst.modeStart[o]! + k] === duration[o],
    );
    assert.ok(ok, `op ${o} uses a valid mode`);
    assert.ok(start[o]! >= inst.release[o]!);
    const p = inst.jobPred[o]!;
    if (p >= 0) assert.ok(start[o]! >= start[p]! + duration[p]!, `op ${o} follows its job predecessor`);
    busy[machine[o]!]!.push([start[o]!, start[o]! + duration[o]!]);
    cmax = Math.max(cmax, start[o]! + duration[o]!);
  }
  for (const list of busy) {
    list.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < list.length; i++) assert.ok(list[i]![0] >= list[i - 1]![1], 'no machine overlap');
  }
  assert.equal(cmax, makespan);
}

describe('shop fast path', () => {
  it('computes heads, tails and the makespan like a plain longest-path relaxation', () => {
    for (let seed = 0; seed < 20; seed++) {
      const inst = randomShop(seed, 6, 5, seed % 2 === 1);
      const start = bestStart(inst, createRng(seed), 3);
      const g = new ShopGraph(inst);
      g.load(start.machine, start.duration, start.order);
      assert.ok(g.evaluate());
      assert.deepEqual(Array.from(g.head), bruteHeads(g));
      let cmax = 0;
      for (let o = 0; o < g.n; o++) cmax = Math.max(cmax, g.head[o]! + g.p[o]! + g.tail[o]!);
      assert.equal(g.makespan, cmax);
      assert.equal(g.makespan, start.makespan);
    }
  });

  it('detects a cycle in the machine sequences', () => {
    const inst = buildShopInstance(2, [
      { release: 0, ops: [[{ machine: 0, minutes: 1 }], [{ machine: 1, minutes: 1 }]] },
      { release: 0, ops: [[{ machine: 1, minutes: 1 }], [{ machine: 0, minutes: 1 }]] },
    ]);
    const g = new ShopGraph(inst);
    g.load(Int32Array.from([0, 1, 1, 0]), Int32Array.from([1, 1, 1, 1]), [
      [3, 0],
      [1, 2],
    ]);
    assert.equal(g.evaluate(), false);
  });

  it('returns feasible schedules no worse than the constructive start, for job shops and flexible job shops', () => {
    for (let seed = 0; seed < 12; seed++) {
      const inst = randomShop(seed, 8, 6, seed % 2 === 0);
      const initial = bestStart(inst, createRng(seed), 20);
      const sol = solveShop(inst, createRng(seed), makeBudget(2000, undefined, undefined, 0));
      checkSolution(inst, sol.machine, sol.start, sol.duration, sol.makespan);
      assert.ok(sol.makespan <= initial.makespan);
    }
  });
});
