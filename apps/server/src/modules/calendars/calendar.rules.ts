import { fromDayNumber, parseIsoDate } from '@takt/domain';

/**
 * Factory calendars, pure: a weekly shift pattern in the plant's time zone, date exceptions (holidays,
 * and 调休 make-up working days that work another weekday's shifts), and planned downtime expand into
 * the UTC intervals a machine can work. A shift belongs to the local date it starts on; an end at or
 * before its start is on the next day (20:00–04:00). Local times become instants through the IANA time
 * zone, so a shift keeps its wall-clock times across DST changes (and is shorter or longer that night).
 */
export interface ShiftRule {
  readonly weekday: number;
  readonly start: string;
  readonly end: string;
}

export interface DateException {
  readonly date: string;
  readonly kind: 'holiday' | 'workday';
  readonly name?: string;
  readonly asWeekday?: number;
}

export interface CalendarRules {
  readonly timeZone: string;
  readonly shifts: readonly ShiftRule[];
  readonly exceptions: readonly DateException[];
}

/** A half-open interval [start, end) in epoch milliseconds (UTC). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface RuleProblem {
  readonly field: string;
  readonly message: string;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Make-up days work Monday's shifts unless they say otherwise. */
export const DEFAULT_MAKEUP_WEEKDAY = 1;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA time zone (Intl throws a RangeError for unknown ones). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '' || timeZone !== timeZone.trim()) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall time minus UTC at the instant `utcMs`, in milliseconds. */
export function offsetAt(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant of a local wall time. In a DST overlap the earlier instant wins; a wall time skipped by
 * a DST gap moves forward by the gap (02:30 on a spring-forward night is 03:30 summer time).
 */
export function localToUtc(day: number, minuteOfDay: number, timeZone: string): number {
  const wall = day * DAY_MS + minuteOfDay * MINUTE_MS;
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  let best: number | null = null;
  for (const o of before === after ? [before] : [before, after]) {
    const u = wall - o;
    if (offsetAt(u, timeZone) === o && (best === null || u < best)) best = u;
  }
  return best ?? wall - before;
}

/** Days since 1970-01-01 of the local date at an instant. */
export function localDay(utcMs: number, timeZone: string): number {
  return Math.floor((utcMs + offsetAt(utcMs, timeZone)) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function minuteOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Problems with a calendar's rules, each naming the offending field. */
export function checkCalendarRules(rules: CalendarRules): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!isValidTimeZone(rules.timeZone)) {
    problems.push({ field: '/timeZone', message: `is not a known IANA time zone: ${rules.timeZone}` });
  }
  rules.shifts.forEach((s, i) => {
    if (s.start === '24:00') problems.push({ field: `/shifts/${i}/start`, message: 'cannot be 24:00' });
    else if (s.start === s.end) {
      problems.push({
        field: `/shifts/${i}/end`,
        message: 'must differ from start (a full day is 00:00–24:00)',
      });
    }
  });
  const seen = new Set<string>();
  rules.exceptions.forEach((e, i) => {
    if (!parseIsoDate(e.date).ok)
      problems.push({ field: `/exceptions/${i}/date`, message: 'is not a real date' });
    else if (seen.has(e.date)) problems.push({ field: `/exceptions/${i}/date`, message: 'is listed twice' });
    seen.add(e.date);
    if (e.kind === 'holiday' && e.asWeekday !== undefined) {
      problems.push({ field: `/exceptions/${i}/asWeekday`, message: 'applies to make-up working days only' });
    }
  });
  return problems;
}

/** Sorts and merges overlapping or touching spans. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end)
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else out.push({ ...s });
  }
  return out;
}

/** `spans` minus `cuts`; both may be unsorted. */
export function subtractSpans(spans: readonly Span[], cuts: readonly Span[]): Span[] {
  const holes = mergeSpans(cuts);
  const out: Span[] = [];
  for (const s of mergeSpans(spans)) {
    let start = s.start;
    for (const h of holes) {
      if (h.end <= start || h.start >= s.end) continue;
      if (h.start > start) out.push({ start, end: h.start });
      start = Math.max(start, h.end);
      if (start >= s.end) break;
    }
    if (start < s.end) out.push({ start, end: s.end });
  }
  return out;
}

/**
 * Working intervals in [from, to): the shifts of each local day (a holiday has none, a make-up day
 * works `asWeekday`'s shifts) minus downtime, merged where they touch.
 */
export function expandCalendar(
  rules: CalendarRules,
  from: number,
  to: number,
  downtime: readonly Span[] = [],
): Span[] {
  if (to <= from) return [];
  const tz = rules.timeZone;
  const byWeekday = new Map<number, ShiftRule[]>();
  for (const s of rules.shifts) byWeekday.set(s.weekday, [...(byWeekday.get(s.weekday) ?? []), s]);
  const byDate = new Map(rules.exceptions.map((e) => [e.date, e]));
  const spans: Span[] = [];
  // A night shift that started the local day before `from` may still run at `from`.
  const last = localDay(to, tz);
  for (let day = localDay(from, tz) - 1; day <= last; day++) {
    const exception = byDate.get(fromDayNumber(day));
    if (exception?.kind === 'holiday') continue;
    const weekday = exception ? (exception.asWeekday ?? DEFAULT_MAKEUP_WEEKDAY) : isoWeekday(day);
    for (const shift of byWeekday.get(weekday) ?? []) {
      const s = minuteOf(shift.start);
      const e = minuteOf(shift.end);
      const start = localToUtc(day, s, tz);
      const end = localToUtc(e > s ? day : day + 1, e, tz);
      spans.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  return subtractSpans(spans, downtime);
}

export function totalMinutes(spans: readonly Span[]): number {
  let ms = 0;
  for (const s of spans) ms += s.end - s.start;
  return Math.floor(ms / MINUTE_MS);
}
