import type { Brand } from './ids.ts';
import { assertSafeInteger, mulDivRound, parseScaled, type Rounding } from './decimal.ts';
import { ok, refuse, type Result } from './result.ts';

/** A duration in whole minutes (setup, run, remaining work). Hours must be converted explicitly. */
export type Minutes = Brand<number, 'Minutes'>;
/** A whole number of calendar days (lead times, offsets). */
export type Days = Brand<number, 'Days'>;
/** A rate in hundredths of a percent: 2.5 % is 250. Scrap and yield rates use it. */
export type BasisPoints = Brand<number, 'BasisPoints'>;

export const BASIS_POINTS_PER_UNIT = 10_000;

export function minutes(n: number): Minutes {
  assertSafeInteger(n, 'Minutes');
  if (n < 0) throw new RangeError('Minutes must not be negative');
  return n as Minutes;
}

/** Hours as entered on a shop floor (e.g. 1.5) to minutes, rounded as told. */
export function minutesFromHours(hours: number, rounding: Rounding = 'half_up'): Minutes {
  if (!Number.isFinite(hours) || hours < 0)
    throw new RangeError('hours must be a finite non-negative number');
  // Hours arrive as floats; go through milli-hours so 1.5 h is exactly 90 min.
  return minutes(mulDivRound(Math.round(hours * 1000), 60, 1000, rounding));
}

export function days(n: number): Days {
  assertSafeInteger(n, 'Days');
  return n as Days;
}

export function basisPoints(n: number): BasisPoints {
  assertSafeInteger(n, 'BasisPoints');
  return n as BasisPoints;
}

/** Parses a percentage such as '2.5' (meaning 2.5 %) with at most two decimals. */
export function parsePercent(text: string): Result<BasisPoints, 'PERCENT_INVALID'> {
  const parsed = parseScaled(text, 2);
  if (!parsed.ok) {
    return refuse('PERCENT_INVALID', `Percentage must be a number with at most 2 decimals, got "${text}"`, {
      text,
    });
  }
  return ok(parsed.value as BasisPoints);
}
