import { addDays, dayNumber, fromDayNumber, type IsoDate, parseIsoDate } from '@takt/domain';
import { AppError } from '../../platform/errors.ts';

/**
 * Management reports, pure: the date range and its periods, rolling daily figures (summed in SQL) up
 * to weeks or months, and the ratios. Days are UTC calendar days; a range names its first and last
 * day, both included. Weeks start on Monday and are named by that Monday; months by 'YYYY-MM'.
 */
export type GroupBy = 'day' | 'week' | 'month';
export const GROUP_BYS: readonly GroupBy[] = ['day', 'week', 'month'];

/** The longest range a report covers: two years (one leap day included). */
export const MAX_SPAN_DAYS = 731;
/** The range when none is given: the last 90 days, today included. */
export const DEFAULT_SPAN_DAYS = 90;

export interface ReportRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly groupBy: GroupBy;
  /** First instant of `from` (UTC ISO), included. */
  readonly fromIso: string;
  /** First instant of the day after `to`, excluded. */
  readonly toIso: string;
}

export interface RangeQuery {
  readonly from?: string;
  readonly to?: string;
  readonly groupBy?: string;
}

const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field} ${message}`, { fieldErrors: [{ field, message }] });

export const startOfDayIso = (day: IsoDate) => `${day}T00:00:00.000Z`;

/** Checks and completes a report range; refusals name the query field. */
export function parseRange(query: RangeQuery, today: IsoDate): ReportRange {
  const date = (name: 'from' | 'to', text: string | undefined, fallback: IsoDate): IsoDate => {
    if (text === undefined) return fallback;
    const parsed = parseIsoDate(text);
    if (!parsed.ok) throw invalid(`/querystring/${name}`, 'must be a date YYYY-MM-DD');
    return parsed.value;
  };
  const to = date('to', query.to, today);
  const from = date('from', query.from, addDays(to, -(DEFAULT_SPAN_DAYS - 1)));
  if (dayNumber(from) > dayNumber(to)) throw invalid('/querystring/from', 'must not be after to');
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_SPAN_DAYS) {
    throw invalid('/querystring/to', `must be at most ${MAX_SPAN_DAYS} days after from`);
  }
  const groupBy = query.groupBy ?? defaultGroupBy(from, to);
  if (!(GROUP_BYS as readonly string[]).includes(groupBy)) {
    throw invalid('/querystring/groupBy', 'must be day, week or month');
  }
  return {
    from,
    to,
    groupBy: groupBy as GroupBy,
    fromIso: startOfDayIso(from),
    toIso: startOfDayIso(addDays(to, 1)),
  };
}

/** Days for up to a month, weeks up to half a year, months beyond. */
export function defaultGroupBy(from: IsoDate, to: IsoDate): GroupBy {
  const days = dayNumber(to) - dayNumber(from) + 1;
  return days <= 31 ? 'day' : days <= 184 ? 'week' : 'month';
}

/** The period a day belongs to. */
export function periodOf(day: IsoDate, groupBy: GroupBy): string {
  if (groupBy === 'day') return day;
  if (groupBy === 'month') return day.slice(0, 7);
  const n = dayNumber(day);
  // 1970-01-01 was a Thursday: (n + 3) mod 7 is days since Monday.
  return fromDayNumber(n - ((((n + 3) % 7) + 7) % 7));
}

export interface Period {
  readonly key: string;
  /** First and last day of the period inside the range. */
  readonly start: IsoDate;
  readonly end: IsoDate;
}

/** Every period that meets the range, in order, clipped to it (so empty periods still show). */
export function periodsOf(range: Pick<ReportRange, 'from' | 'to' | 'groupBy'>): Period[] {
  const out: Period[] = [];
  const last = dayNumber(range.to);
  for (let n = dayNumber(range.from); n <= last; n++) {
    const day = fromDayNumber(n);
    const key = periodOf(day, range.groupBy);
    const current = out.at(-1);
    if (current?.key === key) out[out.length - 1] = { ...current, end: day };
    else out.push({ key, start: day, end: day });
  }
  return out;
}

/**
 * Sums daily rows into the range's periods. Every period is present, with zeros where nothing
 * happened; days outside the range are ignored.
 */
export function rollUp<K extends string>(
  range: Pick<ReportRange, 'from' | 'to' | 'groupBy'>,
  rows: readonly ({ readonly day: string } & Readonly<Record<K, number>>)[],
  keys: readonly K[],
): ({ period: string } & Record<K, number>)[] {
  const periods = periodsOf(range);
  const byKey = new Map<string, Record<K, number>>();
  for (const p of periods) {
    byKey.set(p.key, Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>);
  }
  for (const row of rows) {
    if (row.day < range.from || row.day > range.to) continue;
    const sums = byKey.get(periodOf(row.day as IsoDate, range.groupBy));
    if (!sums) continue;
    for (const k of keys) sums[k] += row[k];
  }
  return periods.map((p) => ({ period: p.key, ...(byKey.get(p.key) as Record<K, number>) }));
}

/** part / whole as a percentage with one decimal, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** Quantities are stored × 1000; reports show them as plain numbers (three decimals at most). */
export const qtyOf = (stored: number) => Math.round(stored) / 1000;
/** Money is stored in cents; reports show currency units with two decimals. */
export const moneyOf = (cents: number) => Math.round(cents) / 100;

/**
 * Machine utilisation over a window:
 *   available = calendar working minutes in the window (the machine's calendar, else its work
 *               center's) − planned downtime, × capacity (parallel units);
 *   reported  = standard run minutes of what was reported in the window,
 *               Σ (good + scrap) × run time per unit of the operation (setup not counted);
 *   planned   = Σ planned minutes (setup + run) of the operations scheduled to start in the window;
 *   utilisation = reported / available, planned load = planned / available.
 * A machine without any calendar has no available time: its ratios are null.
 */
export function utilisation(
  available: number | null,
  reported: number,
  planned: number,
): { utilisationPct: number | null; plannedLoadPct: number | null } {
  if (available === null) return { utilisationPct: null, plannedLoadPct: null };
  return { utilisationPct: percent(reported, available), plannedLoadPct: percent(planned, available) };
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Minutes of the given intervals ([start, end) epoch ms) that fall in each period, × `times`
 * (a machine's parallel units). Periods cover whole UTC days.
 */
export function minutesByPeriod(
  spans: readonly { readonly start: number; readonly end: number }[],
  periods: readonly Period[],
  times = 1,
): number[] {
  const bounds = periods.map((p) => [dayNumber(p.start) * DAY_MS, (dayNumber(p.end) + 1) * DAY_MS]) as [
    number,
    number,
  ][];
  const out = periods.map(() => 0);
  for (const s of spans) {
    for (let i = 0; i < bounds.length; i++) {
      const [a, b] = bounds[i]!;
      if (b <= s.start) continue;
      if (a >= s.end) break;
      out[i]! += (Math.min(b, s.end) - Math.max(a, s.start)) * times;
    }
  }
  return out.map((ms) => ms / MINUTE_MS);
}

/** Minutes with one decimal. */
export const minutes1 = (m: number) => Math.round(m * 10) / 10;

export interface DayRun {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** Days (in any order, repeats allowed) as runs of consecutive days, in order. */
export function dayRuns(days: Iterable<string>): DayRun[] {
  const numbers = [...new Set(days)].map((d) => dayNumber(d as IsoDate)).sort((a, b) => a - b);
  const out: DayRun[] = [];
  for (const n of numbers) {
    const last = out.at(-1);
    if (last && dayNumber(last.to) === n - 1) out[out.length - 1] = { from: last.from, to: fromDayNumber(n) };
    else out.push({ from: fromDayNumber(n), to: fromDayNumber(n) });
  }
  return out;
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let n = dayNumber(from); n <= dayNumber(to); n++) out.push(fromDayNumber(n));
  return out;
}
