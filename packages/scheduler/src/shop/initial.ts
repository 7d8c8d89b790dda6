import type { Rng } from '../rng.ts';
import type { ShopInstance } from './instance.ts';

export interface ShopStart {
  readonly machine: Int32Array;
  readonly duration: Int32Array;
  readonly order: number[][];
  readonly makespan: number;
}

/** Remaining work of each operation: sum of the shortest durations of it and its job successors. */
export function remainingWork(inst: ShopInstance): Float64Array {
  const rem = new Float64Array(inst.nOps);
  for (let o = inst.nOps - 1; o >= 0; o--) {
    let best = Number.POSITIVE_INFINITY;
    for (let k = inst.modeStart[o]!; k < inst.modeStart[o + 1]!; k++)
      best = Math.min(best, inst.modeTime[k]!);
    const s = inst.jobSucc[o]!;
    rem[o] = best + (s >= 0 ? rem[s]! : 0);
  }
  return rem;
}

/**
 * Giffler–Thompson construction: repeatedly take the machine where the earliest completion is
 * possible, and among the operations that could start there before that completion pick the one
 * with most remaining work (randomly perturbed by `noise`). Flexible operations then take the
 * machine where they complete first. The result is an active schedule, a good tabu search start.
 */
export function giffler(inst: ShopInstance, rem: Float64Array, rng: Rng, noise: number): ShopStart {
  const { nJobs, nMachines, nOps, modeStart, modeMachine, modeTime, jobSucc, jobPred, release } = inst;
  const next = new Int32Array(nJobs).fill(-1);
  for (let o = nOps - 1; o >= 0; o--) if (jobPred[o]! < 0) next[inst.opJob[o]!] = o;
  const jobReady = new Float64Array(nJobs);
  const machReady = new Float64Array(nMachines);
  const machine = new Int32Array(nOps);
  const duration = new Int32Array(nOps);
  const order: number[][] = Array.from({ length: nMachines }, () => []);
  let makespan = 0;
  for (let step = 0; step < nOps; step++) {
    let bestEct = Number.POSITIVE_INFINITY;
    let bestMachine = -1;
    let bestOp = -1;
    for (let j = 0; j < nJobs; j++) {
      const o = next[j]!;
      if (o < 0) continue;
      const ready = Math.max(jobReady[j]!, release[o]!);
      for (let k = modeStart[o]!; k < modeStart[o + 1]!; k++) {
        const ect = Math.max(ready, machReady[modeMachine[k]!]!) + modeTime[k]!;
        if (ect < bestEct) {
          bestEct = ect;
          bestMachine = modeMachine[k]!;
          bestOp = o;
        }
      }
    }
    let chosen = -1;
    let chosenScore = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < nJobs; j++) {
      const o = next[j]!;
      if (o < 0) continue;
      let usable = false;
      for (let k = modeStart[o]!; k < modeStart[o + 1]!; k++)
        if (modeMachine[k] === bestMachine) usable = true;
      if (!usable) continue;
      const est = Math.max(jobReady[j]!, release[o]!, machReady[bestMachine]!);
      if (est >= bestEct && o !== bestOp) continue; // (bestOp itself may have zero duration)
      const score = rem[o]! * (1 + noise * rng.next());
      if (score > chosenScore) {
        chosenScore = score;
        chosen = o;
      }
    }
    const j = inst.opJob[chosen]!;
    const ready = Math.max(jobReady[j]!, release[chosen]!);
    let m = bestMachine;
    let end = Number.POSITIVE_INFINITY;
    let time = 0;
    for (let k = modeStart[chosen]!; k < modeStart[chosen + 1]!; k++) {
      const e = Math.max(ready, machReady[modeMachine[k]!]!) + modeTime[k]!;
      if (e < end || (e === end && modeMachine[k] === bestMachine)) {
        end = e;
        m = modeMachine[k]!;
        time = modeTime[k]!;
      }
    }
    machine[chosen] = m;
    duration[chosen] = time;
    order[m]!.push(chosen);
    jobReady[j] = end;
    machReady[m] = end;
    if (end > makespan) makespan = end;
    next[j] = jobSucc[chosen]!;
  }
  return { machine, duration, order, makespan };
}

/**
 * Best of `tries` randomised constructions (the first one is the plain most-work-remaining rule);
 * stops early when `expired` says the time is up.
 */
export function bestStart(
  inst: ShopInstance,
  rng: Rng,
  tries: number,
  expired: () => boolean = () => false,
): ShopStart {
  const rem = remainingWork(inst);
  let best = giffler(inst, rem, rng, 0);
  for (let t = 1; t < tries && !expired(); t++) {
    const s = giffler(inst, rem, rng, 0.5);
    if (s.makespan < best.makespan) best = s;
  }
  return best;
}

/** Trivial lower bound: longest job (with release) and most loaded machine when every op uses its fastest mode. */
export function shopLowerBound(inst: ShopInstance): number {
  const rem = remainingWork(inst);
  let lb = 0;
  const load = new Float64Array(inst.nMachines);
  for (let o = 0; o < inst.nOps; o++) {
    if (inst.jobPred[o]! < 0) lb = Math.max(lb, inst.release[o]! + rem[o]!);
    const k0 = inst.modeStart[o]!;
    if (inst.modeStart[o + 1]! - k0 === 1) load[inst.modeMachine[k0]!]! += inst.modeTime[k0]!;
  }
  for (let m = 0; m < inst.nMachines; m++) lb = Math.max(lb, load[m]!);
  return lb;
}
