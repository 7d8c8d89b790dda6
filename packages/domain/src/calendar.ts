import type { Brand } from './ids.ts';
import { ok, refuse, type Result } from './result.ts';

/**
 * A calendar date 'YYYY-MM-DD' in the plant's local calendar. Due dates and MRP buckets are days,
 * not instants; converting an instant to the plant's date needs its time zone, which the caller has.
 */
export type IsoDate = Brand<string, 'IsoDate'>;

/**
 * An instant as an ISO 8601 string with an offset, e.g. '2025-03-01T08:00:00Z'. Every function that
 * needs the current time takes one of these (`now`/`at`) instead of reading a clock.
 */
export type IsoTimestamp = Brand<string, 'IsoTimestamp'>;

const MS_PER_DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Days since 1970-01-01, or null if the text is not a real date. */
function toDayNumber(text: string): number | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const n = ms / MS_PER_DAY;
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches it.
  return fromDayNumber(n) === text ? n : null;
}

export function parseIsoDate(text: string): Result<IsoDate, 'DATE_INVALID'> {
  return toDayNumber(text) === null
    ? refuse('DATE_INVALID', `Date must be a real calendar date YYYY-MM-DD, got "${text}"`, { text })
    : ok(text as IsoDate);
}

/** For trusted values; throws on a malformed date. */
export function isoDate(text: string): IsoDate {
  if (toDayNumber(text) === null) throw new RangeError(`invalid date "${text}"`);
  return text as IsoDate;
}

export function isoTimestamp(text: string): IsoTimestamp {
  if (!TIMESTAMP.test(text) || toDayNumber(text.slice(0, 10)) === null) {
    throw new RangeError(`invalid timestamp "${text}"`);
  }
  return text as IsoTimestamp;
}

/** Days since 1970-01-01; cheap integer keys for day buckets. */
export function dayNumber(date: IsoDate): number {
  const n = toDayNumber(date);
  if (n === null) throw new RangeError(`invalid date "${date}"`);
  return n;
}

export function fromDayNumber(n: number): IsoDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`day number must be an integer, got ${n}`);
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10) as IsoDate;
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** b − a in days. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}
