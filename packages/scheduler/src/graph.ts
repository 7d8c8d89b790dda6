/**
 * Topological order of a precedence graph given as predecessor lists, with the operations that sit
 * on a cycle (or between two cycles) separated from those merely downstream of one.
 *
 * `order` lists every node: first the acyclic part in Kahn order, then the cyclic core, then the
 * nodes downstream of a cycle, so a single pass over `order` sees predecessors first wherever that
 * is possible.
 */
export function findCycles(preds: readonly (readonly number[])[]): { order: number[]; cyclic: number[] } {
  const n = preds.length;
  const succs: number[][] = Array.from({ length: n }, () => []);
  const indeg = new Int32Array(n);
  preds.forEach((ps, i) => {
    for (const p of ps) {
      succs[p]!.push(i);
      indeg[i]!++;
    }
  });
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order.push(i);
  for (let h = 0; h < order.length; h++) {
    for (const s of succs[order[h]!]!) if (--indeg[s]! === 0) order.push(s);
  }
  if (order.length === n) return { order, cyclic: [] };

  // Peel the leftover from its sinks: what remains lies on a cycle or between cycles.
  const left = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (indeg[i]! > 0) left[i] = 1;
  const outdeg = new Int32Array(n);
  for (let i = 0; i < n; i++) if (left[i]) for (const s of succs[i]!) if (left[s]) outdeg[i]!++;
  const peeled: number[] = [];
  for (let i = 0; i < n; i++) if (left[i] && outdeg[i] === 0) peeled.push(i);
  for (let h = 0; h < peeled.length; h++) {
    const x = peeled[h]!;
    left[x] = 0;
    for (const p of preds[x]!) if (left[p] && --outdeg[p]! === 0) peeled.push(p);
  }
  const cyclic: number[] = [];
  for (let i = 0; i < n; i++) if (left[i]) cyclic.push(i);
  return { order: [...order, ...cyclic, ...peeled.reverse()], cyclic };
}
