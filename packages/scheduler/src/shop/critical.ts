import type { Rng } from '../rng.ts';
import type { ShopGraph } from './graph.ts';

/**
 * Extracts one critical path (random among ties) into `path`, start first; returns its length.
 * Ties between the job and the machine predecessor are broken randomly so that repeated calls
 * expose different critical blocks.
 */
export function criticalPath(g: ShopGraph, rng: Rng, path: Int32Array): number {
  const { head, p, mPred } = g;
  const { jobPred } = g.inst;
  const n = g.n;
  const cmax = g.makespan;
  let end = -1;
  let seen = 0;
  for (let o = 0; o < n; o++) {
    if (head[o]! + p[o]! === cmax) {
      seen++;
      if (seen === 1 || rng.int(seen) === 0) end = o;
    }
  }
  let len = 0;
  let cur = end;
  while (cur >= 0) {
    path[len++] = cur;
    const h = head[cur]!;
    const a = jobPred[cur]!;
    const b = mPred[cur]!;
    const okA = a >= 0 && head[a]! + p[a]! === h;
    const okB = b >= 0 && head[b]! + p[b]! === h;
    if (okA && okB) cur = rng.int(2) === 0 ? a : b;
    else if (okA) cur = a;
    else if (okB) cur = b;
    else cur = -1;
  }
  for (let i = 0, j = len - 1; i < j; i++, j--) {
    const t = path[i]!;
    path[i] = path[j]!;
    path[j] = t;
  }
  return len;
}

/**
 * Splits a critical path into blocks: maximal runs of consecutive operations on one machine.
 * Writes (machine, first position, last position) triples into `blocks`; returns the count.
 * Blocks of a single operation are skipped since they offer no move.
 */
export function criticalBlocks(g: ShopGraph, path: Int32Array, len: number, blocks: Int32Array): number {
  const { mach, mSucc, pos } = g;
  let count = 0;
  let i = 0;
  while (i < len) {
    const first = path[i]!;
    let last = first;
    while (i + 1 < len && mSucc[last] === path[i + 1]) {
      i++;
      last = path[i]!;
    }
    if (last !== first) {
      blocks[3 * count] = mach[first]!;
      blocks[3 * count + 1] = pos[first]!;
      blocks[3 * count + 2] = pos[last]!;
      count++;
    }
    i++;
  }
  return count;
}
