import type { ConvertQuery, ConvertResult, UomConversion } from '@takt/contracts';
import { convertQty, normaliseText, type Qty, type UnitFactor, unitFactor } from '@takt/domain';
import { AppError, invalidField } from '../../platform/errors.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';

/**
 * Units of measure per item. Each conversion says one `from` unit is exactly num/den `to` units
 * (box → pcs 12/1; for a Φ28 bar m → kg 483/100). Conversions form a graph around the item's own
 * unit: every unit must reach it, and two paths between the same units must agree, so a conversion
 * never depends on which path is taken.
 */
export function unitName(text: string): string {
  return normaliseText(text);
}

type Ratio = readonly [bigint, bigint];

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function reduce([n, d]: Ratio): Ratio {
  const g = gcd(n, d);
  return [n / g, d / g];
}

interface Edge {
  readonly to: string;
  readonly ratio: Ratio;
}

function graph(list: readonly UomConversion[]): Map<string, Edge[]> {
  const g = new Map<string, Edge[]>();
  const add = (a: string, b: string, ratio: Ratio) => {
    const edges = g.get(a) ?? [];
    edges.push({ to: b, ratio });
    g.set(a, edges);
  };
  for (const c of list) {
    add(c.from, c.to, [BigInt(c.num), BigInt(c.den)]);
    add(c.to, c.from, [BigInt(c.den), BigInt(c.num)]);
  }
  return g;
}

/** How many `unit` are one `root`, for every unit reachable from `root`; null on a contradiction. */
function amounts(root: string, g: Map<string, Edge[]>): Map<string, Ratio> | { conflict: string } {
  const seen = new Map<string, Ratio>([[root, [1n, 1n]]]);
  const queue = [root];
  while (queue.length > 0) {
    const at = queue.shift()!;
    const [n, d] = seen.get(at)!;
    for (const e of g.get(at) ?? []) {
      const next = reduce([n * e.ratio[0], d * e.ratio[1]]);
      const known = seen.get(e.to);
      if (!known) {
        seen.set(e.to, next);
        queue.push(e.to);
      } else if (known[0] * next[1] !== next[0] * known[1]) {
        return { conflict: e.to };
      }
    }
  }
  return seen;
}

/** Normalised, reduced conversions; refuses self-conversions, repeats, strays and contradictions. */
export function checkConversions(baseUom: string, list: readonly UomConversion[]): UomConversion[] {
  const out: UomConversion[] = [];
  const pairs = new Set<string>();
  list.forEach((c, i) => {
    const from = unitName(c.from);
    const to = unitName(c.to);
    if (from === to) throw invalidField(`/conversions/${i}`, `converts ${from} to itself`, 'self_conversion');
    const key = [from, to].sort().join('\u0000');
    if (pairs.has(key)) {
      throw invalidField(`/conversions/${i}`, `${from} ↔ ${to} is given twice`, 'duplicate_conversion');
    }
    pairs.add(key);
    const f = unitFactor(c.num, c.den);
    out.push({ from, to, num: f.num, den: f.den });
  });
  const found = amounts(baseUom, graph(out));
  if ('conflict' in found) {
    throw invalidField(
      '/conversions',
      `Conversions to ${found.conflict} contradict each other`,
      'inconsistent',
    );
  }
  out.forEach((c, i) => {
    if (!found.has(c.from)) {
      throw invalidField(
        `/conversions/${i}`,
        `${c.from} ↔ ${c.to} does not lead to the item's unit ${baseUom}`,
        'not_connected',
      );
    }
  });
  return out;
}

/** The exact factor from one unit to another (one `from` is num/den `to`), or null if unrelated. */
export function factorBetween(list: readonly UomConversion[], from: string, to: string): UnitFactor | null {
  const found = amounts(from, graph(list));
  if ('conflict' in found) return null;
  const r = found.get(to);
  if (!r) return null;
  if (r[0] > BigInt(Number.MAX_SAFE_INTEGER) || r[1] > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return unitFactor(Number(r[0]), Number(r[1]));
}

/** Converts a quantity of an item between two of its units, exactly where possible. */
export function convert(
  item: { code: string; uom: string; conversions: readonly UomConversion[] },
  query: ConvertQuery,
): ConvertResult {
  const q = parseQtyField('/querystring/qty', query.qty) as Qty;
  const from = unitName(query.from);
  const to = unitName(query.to);
  const known = new Set([item.uom, ...item.conversions.flatMap((c) => [c.from, c.to])]);
  for (const [field, unit] of [
    ['/querystring/from', from],
    ['/querystring/to', to],
  ] as const) {
    if (!known.has(unit)) {
      throw invalidField(
        field,
        `Item ${item.code} has no unit ${unit}; its units are ${[...known].join(', ')}`,
        'unknown_unit',
      );
    }
  }
  const factor: UnitFactor | null =
    from === to ? { num: 1, den: 1 } : factorBetween(item.conversions, from, to);
  if (!factor) {
    throw invalidField(
      '/querystring/to',
      `Item ${item.code} has no conversion from ${from} to ${to}`,
      'no_conversion',
    );
  }
  let result: Qty;
  try {
    result = convertQty(q, factor, query.rounding ?? 'half_up');
  } catch {
    throw new AppError('VALIDATION_FAILED', `${query.qty} ${from} is too large to convert`, {
      fieldErrors: [
        { field: '/querystring/qty', message: 'is too large to convert', code: 'QTY_OUT_OF_RANGE' },
      ],
    });
  }
  const exact = (BigInt(q) * BigInt(factor.num)) % BigInt(factor.den) === 0n;
  return { qty: formatQty(q), from, to, result: formatQty(result), factor, exact };
}
