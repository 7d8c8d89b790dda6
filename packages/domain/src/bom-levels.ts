import type { ItemId } from './ids.ts';
import { ok, refuse, type Result } from './result.ts';

export interface BomEdge {
  readonly parent: ItemId;
  readonly component: ItemId;
}

/**
 * Low-level codes: the deepest level at which each item appears in any product structure (end
 * items 0). MRP plans items in this order so every parent's planned orders exist before their
 * components are netted, and an item used at several levels is netted once with all its demand.
 * A cycle (A uses B uses A) has no such order and is refused with one cycle spelled out.
 */
export function lowLevelCodes(
  items: readonly ItemId[],
  lines: readonly BomEdge[],
): Result<Map<ItemId, number>, 'BOM_CYCLE' | 'UNKNOWN_ITEM'> {
  const index = new Map<ItemId, number>();
  for (const [i, id] of items.entries()) index.set(id, i);
  const n = items.length;
  const children: number[][] = Array.from({ length: n }, () => []);
  const parents: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const line of lines) {
    const p = index.get(line.parent);
    const c = index.get(line.component);
    if (p === undefined || c === undefined) {
      const missing = p === undefined ? line.parent : line.component;
      return refuse('UNKNOWN_ITEM', `BOM refers to unknown item ${missing}`, { item: missing });
    }
    children[p]?.push(c);
    parents[c]?.push(p);
    indegree[c] = (indegree[c] ?? 0) + 1;
  }
  const level = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const p = queue[head] ?? 0;
    const next = (level[p] ?? 0) + 1;
    for (const c of children[p] ?? []) {
      if ((level[c] ?? 0) < next) level[c] = next;
      indegree[c] = (indegree[c] ?? 0) - 1;
      if (indegree[c] === 0) queue.push(c);
    }
  }
  if (queue.length < n) {
    const cycle = findCycle(indegree, parents).map((i) => items[i] as ItemId);
    return refuse('BOM_CYCLE', `BOM contains a cycle: ${cycle.join(' → ')}`, { cycle });
  }
  const codes = new Map<ItemId, number>();
  for (const [i, id] of items.entries()) codes.set(id, level[i] ?? 0);
  return ok(codes);
}

/**
 * Items left with parents after Kahn's pass each have a parent that is also left, so walking up
 * parents must revisit a node; the walk from that node on is a cycle. Returned parent-first.
 */
function findCycle(indegree: Int32Array, parents: readonly number[][]): number[] {
  let node = indegree.findIndex((d) => d > 0);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  while (!seenAt.has(node)) {
    seenAt.set(node, walk.length);
    walk.push(node);
    node = (parents[node] ?? []).find((p) => (indegree[p] ?? 0) > 0) ?? node;
  }
  const cycle = walk.slice(seenAt.get(node));
  cycle.reverse();
  return [...cycle, cycle[0] ?? node];
}
