/**
 * Exact arithmetic on integers that stand for fixed-scale decimals (quantities in thousandths,
 * money in cents, percentages in basis points). Everything stays within safe integers; products that
 * could exceed 2^53 are computed with BigInt so no step ever rounds silently.
 */

/**
 * How an exact quotient becomes an integer.
 * - `half_up`: ties away from zero (四舍五入, what invoices and most Chinese accounting expect).
 * - `half_even`: ties to the even neighbour (banker's rounding; unbiased over many lines).
 * - `floor` / `ceil`: towards −∞ / +∞ (e.g. ceil for material requirements, never under-plan).
 */
export type Rounding = 'half_up' | 'half_even' | 'floor' | 'ceil';

export function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer, got ${n}`);
}

/** Avoids -0, which breaks strict equality checks in callers and tests. */
export function noNegativeZero(n: number): number {
  return n === 0 ? 0 : n;
}

function roundQuotient(q: bigint, r: bigint, d: bigint, mode: Rounding): bigint {
  // Invariant: n = q*d + r with 0 <= r < d, i.e. q is the floor.
  if (r === 0n) return q;
  switch (mode) {
    case 'floor':
      return q;
    case 'ceil':
      return q + 1n;
    case 'half_up': {
      const twice = 2n * r;
      if (twice > d) return q + 1n;
      if (twice < d) return q;
      return q >= 0n ? q + 1n : q; // tie: away from zero
    }
    case 'half_even': {
      const twice = 2n * r;
      if (twice > d) return q + 1n;
      if (twice < d) return q;
      return q % 2n === 0n ? q : q + 1n;
    }
  }
}

function divRoundBig(n: bigint, d: bigint, mode: Rounding): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  let q = n / d; // truncates towards zero
  let r = n - q * d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  return roundQuotient(q, r, d, mode);
}

function divRoundSmall(n: number, d: number, mode: Rounding): number {
  // Both safe integers and d > 0: the float quotient can be off by one near integers, so correct r.
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  if (r === 0) return q;
  switch (mode) {
    case 'floor':
      return q;
    case 'ceil':
      return q + 1;
    case 'half_up':
      return 2 * r > d || (2 * r === d && q >= 0) ? q + 1 : q;
    case 'half_even':
      return 2 * r > d || (2 * r === d && q % 2 !== 0) ? q + 1 : q;
  }
}

/** round(a * b / c) exactly, for safe integers a, b, c (c ≠ 0). Throws if the result is not safe. */
export function mulDivRound(a: number, b: number, c: number, mode: Rounding): number {
  const p = a * b;
  let result: number;
  if (Number.isSafeInteger(p) && c > 0 && Number.isSafeInteger(c)) {
    result = divRoundSmall(p, c, mode);
  } else {
    result = Number(divRoundBig(BigInt(a) * BigInt(b), BigInt(c), mode));
  }
  assertSafeInteger(result, 'result');
  return noNegativeZero(result);
}

export type ParseFailure = 'syntax' | 'precision' | 'range';

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a plain decimal string ('12.5', '-0.125') into an integer scaled by 10^scale.
 * No exponents, separators or surrounding spaces: API values are canonical, and guessing would hide
 * data errors. More decimals than the scale is a precision failure even if they are zeros.
 */
export function parseScaled(
  text: string,
  scale: number,
): { ok: true; value: number } | { ok: false; reason: ParseFailure } {
  const m = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (m === null) return { ok: false, reason: 'syntax' };
  const [, sign, whole = '', frac = ''] = m;
  if (frac.length > scale) return { ok: false, reason: 'precision' };
  const digits = (whole + frac.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  // 16 digits can still be unsafe; more cannot be safe. Number() is exact up to 2^53.
  if (digits.length > 16) return { ok: false, reason: 'range' };
  const magnitude = Number(digits);
  if (!Number.isSafeInteger(magnitude)) return { ok: false, reason: 'range' };
  return { ok: true, value: noNegativeZero(sign === '-' ? -magnitude : magnitude) };
}

/** 10^0 … 10^15, exact as doubles. */
const POWERS = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * Formats a scaled integer as a decimal string without passing through floating point.
 * `minDecimals` keeps trailing zeros up to that many places (money uses 2, quantities 0).
 */
export function formatScaled(n: number, scale: number, minDecimals = 0): string {
  assertSafeInteger(n, 'value');
  // Whole numbers (most quantities) need no digit work.
  if (minDecimals === 0 && scale < POWERS.length && n % POWERS[scale]! === 0) {
    return String(n / POWERS[scale]! || 0);
  }
  const digits = String(Math.abs(n)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale);
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  const sign = n < 0 ? '-' : '';
  return frac.length > 0 ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}

/**
 * Splits `total` into integer parts proportional to `weights` that sum to exactly `total`
 * (largest-remainder method). Leftover units go to the largest remainders; ties to the lower index,
 * so the result is deterministic. A negative total is split like its absolute value, then negated.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  assertSafeInteger(total, 'total');
  if (weights.length === 0) throw new RangeError('cannot allocate across zero parts');
  let weightSum = 0n;
  for (const w of weights) {
    assertSafeInteger(w, 'weight');
    if (w < 0) throw new RangeError('weights must not be negative');
    weightSum += BigInt(w);
  }
  if (weightSum === 0n) throw new RangeError('at least one weight must be positive');
  const sign = total < 0 ? -1 : 1;
  const abs = BigInt(Math.abs(total));
  const shares: number[] = [];
  const remainders: bigint[] = [];
  let allocated = 0n;
  for (const w of weights) {
    const exact = abs * BigInt(w);
    const share = exact / weightSum;
    shares.push(Number(share));
    remainders.push(exact - share * weightSum);
    allocated += share;
  }
  const order = weights.map((_, i) => i);
  order.sort((a, b) => {
    const ra = remainders[a] ?? 0n;
    const rb = remainders[b] ?? 0n;
    return ra === rb ? a - b : ra > rb ? -1 : 1;
  });
  let left = Number(abs - allocated); // < number of parts
  for (const i of order) {
    if (left === 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares.map((s) => noNegativeZero(sign * s));
}
