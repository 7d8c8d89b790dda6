import { BASIS_POINTS_PER_UNIT, type ItemId, lowLevelCodes, QTY_SCALE } from '@takt/domain';

/**
 * Pure BOM rules. A line says: one unit of the parent needs `qtyPer` of the component, plus `scrapBp`
 * expected scrap. Requirements are rounded up once per level to the quantity scale (never under-plan),
 * the same rule MRP uses.
 */
export interface Edge {
  readonly parent: string;
  readonly component: string;
}

/** ceil(parentQty × qtyPer × (1 + scrap)), all in thousandths; exact through BigInt. */
export function requiredQty(parentQty: number, qtyPer: number, scrapBp: number): number {
  const num = BigInt(parentQty) * BigInt(qtyPer) * BigInt(BASIS_POINTS_PER_UNIT + scrapBp);
  const den = BigInt(QTY_SCALE * BASIS_POINTS_PER_UNIT);
  const q = num / den;
  const result = num % den === 0n || num < 0n ? q : q + 1n;
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('required quantity is too large');
  return Number(result);
}

/** Line positions default to 10, 20, 30 … in the order given. */
export function withPositions<L extends { position?: number | undefined }>(
  lines: readonly L[],
): (L & { position: number })[] {
  return lines.map((l, i) => ({ ...l, position: l.position ?? (i + 1) * 10 }));
}

export interface LineProblem {
  readonly field: string;
  readonly message: string;
}

export function checkLines(lines: readonly { position: number; qtyPer: number }[]): LineProblem[] {
  const problems: LineProblem[] = [];
  const seen = new Set<number>();
  lines.forEach((l, i) => {
    if (l.qtyPer <= 0) problems.push({ field: `/lines/${i}/qtyPer`, message: 'must be greater than 0' });
    if (seen.has(l.position)) problems.push({ field: `/lines/${i}/position`, message: 'is used twice' });
    seen.add(l.position);
  });
  return problems;
}

/**
 * Checks the structure after replacing `item`'s active BOM by `candidate` components. Returns the
 * cycle as item ids, parent first and closing on the first (A → B → A), or null when acyclic.
 */
export function findBomCycle(
  active: readonly Edge[],
  item: string,
  candidate: readonly string[],
): string[] | null {
  const edges = [
    ...active.filter((e) => e.parent !== item),
    ...candidate.map((component) => ({ parent: item, component })),
  ];
  const ids = new Set<string>();
  for (const e of edges) ids.add(e.parent).add(e.component);
  const result = lowLevelCodes([...ids] as ItemId[], edges as { parent: ItemId; component: ItemId }[]);
  if (result.ok) return null;
  if (result.code !== 'BOM_CYCLE') throw new Error(result.message);
  return [...((result.details?.cycle as string[] | undefined) ?? [])];
}
