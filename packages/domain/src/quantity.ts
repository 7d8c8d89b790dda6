import type { Brand } from './ids.ts';
import {
  allocateLargestRemainder,
  assertSafeInteger,
  formatScaled,
  mulDivRound,
  noNegativeZero,
  parseScaled,
  type Rounding,
} from './decimal.ts';
import { ok, refuse, type Result } from './result.ts';

/**
 * A quantity in thousandths of its unit of measure (12.5 kg is 12500). Integers keep sums exact:
 * floating point would make 0.1 + 0.2 pieces unequal to 0.3 and stock ledgers drift.
 */
export type Qty = Brand<number, 'Qty'>;

export const QTY_SCALE = 1000;
export const QTY_DECIMALS = 3;
export const ZERO_QTY = 0 as Qty;

export type QtyParseCode = 'QTY_INVALID' | 'QTY_TOO_PRECISE' | 'QTY_OUT_OF_RANGE';

/** From a count of thousandths; throws if not a safe integer (a bug, not user input). */
export function qty(thousandths: number): Qty {
  assertSafeInteger(thousandths, 'Qty');
  return noNegativeZero(thousandths) as Qty;
}

/** From a whole number of units: qtyFromUnits(3) is 3.000. */
export function qtyFromUnits(units: number): Qty {
  assertSafeInteger(units, 'units');
  return qty(units * QTY_SCALE);
}

/** Parses an API decimal string such as '12.5' or '-0.125'. */
export function parseQty(text: string): Result<Qty, QtyParseCode> {
  const parsed = parseScaled(text, QTY_DECIMALS);
  if (parsed.ok) return ok(parsed.value as Qty);
  switch (parsed.reason) {
    case 'syntax':
      return refuse('QTY_INVALID', `Quantity must be a decimal number like 12.5, got "${text}"`, { text });
    case 'precision':
      return refuse('QTY_TOO_PRECISE', `Quantity allows at most ${QTY_DECIMALS} decimals, got "${text}"`, {
        text,
        maxDecimals: QTY_DECIMALS,
      });
    case 'range':
      return refuse('QTY_OUT_OF_RANGE', `Quantity "${text}" is too large`, { text });
  }
}

/** '12.5' for 12500; trailing zeros dropped unless `minDecimals` asks for them. */
export function formatQty(q: Qty, minDecimals = 0): string {
  return formatScaled(q, QTY_DECIMALS, minDecimals);
}

export function addQty(a: Qty, b: Qty): Qty {
  return qty(a + b);
}

export function subQty(a: Qty, b: Qty): Qty {
  return qty(a - b);
}

export function negQty(a: Qty): Qty {
  return qty(-a);
}

/** Multiplies by a whole number (e.g. 4 boxes of a kit). */
export function mulQty(a: Qty, factor: number): Qty {
  assertSafeInteger(factor, 'factor');
  return qty(a * factor);
}

export function sumQty(values: readonly Qty[]): Qty {
  let total = 0;
  for (const v of values) total += v;
  return qty(total);
}

export function minQty(a: Qty, b: Qty): Qty {
  return a <= b ? a : b;
}

export function maxQty(a: Qty, b: Qty): Qty {
  return a >= b ? a : b;
}

export function compareQty(a: Qty, b: Qty): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rounds to fewer decimals, e.g. 0 for units that only exist whole (pcs). */
export function roundQty(q: Qty, decimals: number, rounding: Rounding): Qty {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > QTY_DECIMALS) {
    throw new RangeError(`decimals must be 0..${QTY_DECIMALS}`);
  }
  const step = 10 ** (QTY_DECIMALS - decimals);
  return qty(mulDivRound(q, 1, step, rounding) * step);
}

/**
 * An exact conversion factor: one source unit equals `num / den` target units. A box of 12 pcs is
 * {num: 12, den: 1}; a wire with 1 kg = 71.4 m is {num: 714, den: 10}. Rationals, because factors
 * like 1/12 have no finite decimal form.
 */
export interface UnitFactor {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Builds a reduced factor; both parts must be positive safe integers. */
export function unitFactor(num: number, den: number): UnitFactor {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num <= 0 || den <= 0) {
    throw new RangeError(`unit factor needs positive integers, got ${num}/${den}`);
  }
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

export function invertFactor(f: UnitFactor): UnitFactor {
  return { num: f.den, den: f.num };
}

/** Converts between units. The caller chooses the rounding because the right one depends on use. */
export function convertQty(q: Qty, factor: UnitFactor, rounding: Rounding): Qty {
  return qty(mulDivRound(q, factor.num, factor.den, rounding));
}

/** Splits a total across parts by weight so that the parts sum to the total exactly. */
export function allocateQty(total: Qty, weights: readonly number[]): Qty[] {
  return allocateLargestRemainder(total, weights) as Qty[];
}
