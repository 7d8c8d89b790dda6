import type { Interval } from './model.ts';
import { FOREVER, type Minutes } from './units.ts';

/**
 * A normalised calendar: sorted, disjoint, non-touching working intervals flattened as
 * [start0, end0, start1, end1, …]. `null` means always available.
 */
export type Calendar = Int32Array | null;

export function normalizeCalendar(intervals: readonly Interval[] | undefined): Calendar {
  if (intervals === undefined) return null;
  const sorted = intervals
    .filter((iv) => iv.end > iv.start)
    .map((iv) => [Math.max(-FOREVER, iv.start), Math.min(FOREVER, iv.end)] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (const [s, e] of sorted) {
    const last = out.length - 1;
    if (last > 0 && s <= out[last]!) out[last] = Math.max(out[last]!, e);
    else out.push(s, e);
  }
  return Int32Array.from(out);
}

/** Index of the first interval whose end is after t (interval count when none). */
function firstEndingAfter(cal: Int32Array, t: Minutes): number {
  let lo = 0;
  let hi = cal.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cal[2 * mid + 1]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Earliest s ≥ t such that [s, s + duration) lies inside one working interval, or -1 when no
 * interval is long enough. Operations are not preemptive, so they never straddle a gap.
 */
export function fitStart(cal: Calendar, t: Minutes, duration: Minutes): Minutes {
  if (cal === null) return t;
  const count = cal.length >> 1;
  for (let i = firstEndingAfter(cal, t); i < count; i++) {
    const s = Math.max(t, cal[2 * i]!);
    if (s + duration <= cal[2 * i + 1]!) return s;
  }
  return -1;
}

/** Whether [start, end) lies inside one working interval. */
export function fitsInside(cal: Calendar, start: Minutes, end: Minutes): boolean {
  if (cal === null) return true;
  const i = firstEndingAfter(cal, start);
  if (i >= cal.length >> 1) return false;
  return cal[2 * i]! <= start && end <= cal[2 * i + 1]!;
}

/** Working minutes inside [from, to). */
export function availableMinutes(cal: Calendar, from: Minutes, to: Minutes): Minutes {
  if (to <= from) return 0;
  if (cal === null) return to - from;
  let total = 0;
  for (let i = firstEndingAfter(cal, from); i < cal.length >> 1; i++) {
    const s = Math.max(from, cal[2 * i]!);
    const e = Math.min(to, cal[2 * i + 1]!);
    if (s >= to) break;
    if (e > s) total += e - s;
  }
  return total;
}

/**
 * The minute at which `work` working minutes, counted from `start`, are done: time outside the
 * calendar is a pause, not progress. Zero work ends at `start`. Work the calendar has no room for
 * (past its last working minute) runs on straight after it, so the answer is always finite.
 */
export function endAfterWork(cal: Calendar, start: Minutes, work: Minutes): Minutes {
  if (work <= 0) return start;
  if (cal === null) return start + work;
  let left = work;
  let t = start;
  for (let i = firstEndingAfter(cal, start); i < cal.length >> 1; i++) {
    const s = Math.max(start, cal[2 * i]!);
    const e = cal[2 * i + 1]!;
    if (s + left <= e) return s + left;
    left -= e - s;
    t = e;
  }
  return t + left;
}

/** Removes [start, end) (a breakdown or extra downtime) from a calendar given as intervals. */
export function subtractInterval(intervals: readonly Interval[] | undefined, cut: Interval): Interval[] {
  const base = intervals ?? [{ start: -FOREVER, end: FOREVER }];
  const out: Interval[] = [];
  for (const iv of base) {
    if (iv.end <= cut.start || iv.start >= cut.end) {
      out.push(iv);
      continue;
    }
    if (iv.start < cut.start) out.push({ start: iv.start, end: cut.start });
    if (iv.end > cut.end) out.push({ start: cut.end, end: iv.end });
  }
  return out;
}
