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
import { QTY_SCALE, type Qty } from './quantity.ts';

/** An amount in cents (fen for CNY). One currency per company is assumed; no conversion here. */
export type Cents = Brand<number, 'Cents'>;

export const MONEY_DECIMALS = 2;
export const ZERO_CENTS = 0 as Cents;

/** 四舍五入: matches invoices and what accountants in the target market check against. */
export const DEFAULT_MONEY_ROUNDING: Rounding = 'half_up';

export type MoneyParseCode = 'MONEY_INVALID' | 'MONEY_TOO_PRECISE' | 'MONEY_OUT_OF_RANGE';

export function cents(n: number): Cents {
  assertSafeInteger(n, 'Cents');
  return noNegativeZero(n) as Cents;
}

export function parseMoney(text: string): Result<Cents, MoneyParseCode> {
  const parsed = parseScaled(text, MONEY_DECIMALS);
  if (parsed.ok) return ok(parsed.value as Cents);
  switch (parsed.reason) {
    case 'syntax':
      return refuse('MONEY_INVALID', `Amount must be a decimal number like 12.30, got "${text}"`, { text });
    case 'precision':
      return refuse('MONEY_TOO_PRECISE', `Amount allows at most ${MONEY_DECIMALS} decimals, got "${text}"`, {
        text,
        maxDecimals: MONEY_DECIMALS,
      });
    case 'range':
      return refuse('MONEY_OUT_OF_RANGE', `Amount "${text}" is too large`, { text });
  }
}

/** Always two decimals: '12.30'. */
export function formatMoney(c: Cents): string {
  return formatScaled(c, MONEY_DECIMALS, MONEY_DECIMALS);
}

export function addCents(a: Cents, b: Cents): Cents {
  return cents(a + b);
}

export function subCents(a: Cents, b: Cents): Cents {
  return cents(a - b);
}

export function negCents(a: Cents): Cents {
  return cents(-a);
}

export function mulCents(a: Cents, factor: number): Cents {
  assertSafeInteger(factor, 'factor');
  return cents(a * factor);
}

export function sumCents(values: readonly Cents[]): Cents {
  let total = 0;
  for (const v of values) total += v;
  return cents(total);
}

export interface LineAmountOptions {
  /**
   * How many units the price is for (price unit). Cheap parts are priced per 1000 pcs so that a
   * price below one cent per piece stays exact. Default one unit.
   */
  readonly per?: Qty;
  readonly rounding?: Rounding;
}

/** qty × price, rounded once at the end (default half-up), never per unit. */
export function lineAmount(q: Qty, price: Cents, options: LineAmountOptions = {}): Cents {
  const per = options.per ?? (QTY_SCALE as Qty);
  if (per <= 0) throw new RangeError('price unit must be positive');
  return cents(mulDivRound(q, price, per, options.rounding ?? DEFAULT_MONEY_ROUNDING));
}

/** Splits an amount (freight, a discount) across lines by weight without losing a cent. */
export function allocateCents(total: Cents, weights: readonly number[]): Cents[] {
  return allocateLargestRemainder(total, weights) as Cents[];
}
