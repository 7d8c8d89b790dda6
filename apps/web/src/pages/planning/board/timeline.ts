import type { ScheduleAssignment } from '@takt/contracts';

export const ZOOMS = ['hour', 'day', 'week'] as const;
export type Zoom = (typeof ZOOMS)[number];

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Pixels per hour of each zoom level. */
export const PX_PER_HOUR: Record<Zoom, number> = { hour: 48, day: 5, week: 1.2 };
/** A dragged bar snaps to this many minutes. */
export const SNAP_MINUTES: Record<Zoom, number> = { hour: 15, day: 60, week: 240 };

export const LABEL_WIDTH = 220;
export const HEADER_HEIGHT = 48;
export const GROUP_HEIGHT = 26;
export const ROW_HEIGHT = 40;

export interface Bar extends ScheduleAssignment {
  startMs: number;
  endMs: number;
  late: boolean;
  pinned: boolean;
  hue: number;
}

export const VIEWS = ['machine', 'order'] as const;
export type BoardView = (typeof VIEWS)[number];

export type BoardRow =
  | { kind: 'group'; key: string; label: string; top: number; height: number }
  | { kind: 'machine'; key: string; code: string; name: string; status: string; top: number; height: number }
  | {
      kind: 'order';
      key: string;
      code: string;
      /** End of the due day (local), or null without a due date. */
      dueMs: number | null;
      dueDate: string | null;
      priority: number;
      late: boolean;
      top: number;
      height: number;
    };

/** End of a due day in local time, as the board shows it. */
export function dueEndMs(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T23:59:59`);
}

/**
 * One row per work order: the most urgent first (due date, then priority, then code); orders
 * without a due date last.
 */
export function orderRows(
  bars: readonly Bar[],
  rowHeight: number,
): { rows: BoardRow[]; totalHeight: number } {
  const byOrder = new Map<string, { code: string; due: string | null; priority: number; late: boolean }>();
  for (const b of bars) {
    const o = byOrder.get(b.workOrderId);
    if (o) o.late ||= b.late;
    else
      byOrder.set(b.workOrderId, {
        code: b.workOrderCode,
        due: b.dueDate ?? null,
        priority: b.priority ?? 0,
        late: b.late,
      });
  }
  const sorted = [...byOrder.entries()].sort(
    ([, a], [, b]) =>
      (a.due === null ? 1 : 0) - (b.due === null ? 1 : 0) ||
      (a.due ?? '').localeCompare(b.due ?? '') ||
      b.priority - a.priority ||
      a.code.localeCompare(b.code),
  );
  const rows: BoardRow[] = sorted.map(([id, o], i) => ({
    kind: 'order',
    key: id,
    code: o.code,
    dueMs: o.due ? dueEndMs(o.due) : null,
    dueDate: o.due,
    priority: o.priority,
    late: o.late,
    top: i * rowHeight,
    height: rowHeight,
  }));
  return { rows, totalHeight: rows.length * rowHeight };
}

export interface Band {
  start: number;
  end: number;
}

export function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function xOf(ms: number, from: number, zoom: Zoom): number {
  return ((ms - from) / HOUR) * PX_PER_HOUR[zoom];
}

export function msAt(x: number, from: number, zoom: Zoom): number {
  return from + (x / PX_PER_HOUR[zoom]) * HOUR;
}

export function snap(ms: number, zoom: Zoom): number {
  const step = SNAP_MINUTES[zoom] * 60_000;
  return Math.round(ms / step) * step;
}

/** A stable hue per work order, so its operations share a colour across machines. */
export function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** The first row whose bottom is below `y` (rows are sorted by top). */
export function firstRowAt(rows: BoardRow[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const row = rows[mid] as BoardRow;
    if (row.top + row.height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The parts of [from, to) outside the working intervals. */
export function offShiftBands(intervals: { start: string; end: string }[], from: number, to: number): Band[] {
  const work = intervals
    .map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end) }))
    .sort((a, b) => a.start - b.start);
  const out: Band[] = [];
  let cursor = from;
  for (const w of work) {
    if (w.start > cursor) out.push({ start: cursor, end: Math.min(w.start, to) });
    cursor = Math.max(cursor, w.end);
    if (cursor >= to) break;
  }
  if (cursor < to) out.push({ start: cursor, end: to });
  return out.filter((b) => b.end > b.start);
}

export interface Tick {
  ms: number;
  label: string;
}

/** Header ticks between two instants: a coarse line (days or weeks) and a fine line (hours or days). */
export function ticks(zoom: Zoom, from: number, to: number, lang: string): { major: Tick[]; minor: Tick[] } {
  const major: Tick[] = [];
  const minor: Tick[] = [];
  const dayFmt = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', weekday: 'short' });
  const d = new Date(startOfDay(from));
  if (zoom === 'week') {
    // weeks start on Monday
    d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  }
  const limit = 5000;
  while (d.getTime() < to && major.length + minor.length < limit) {
    const dayStart = d.getTime();
    if (zoom === 'hour') {
      major.push({ ms: dayStart, label: dayFmt.format(d) });
      for (let h = 0; h < 24; h++) minor.push({ ms: dayStart + h * HOUR, label: String(h).padStart(2, '0') });
      d.setDate(d.getDate() + 1);
    } else if (zoom === 'day') {
      major.push({ ms: dayStart, label: dayFmt.format(d) });
      for (const h of [0, 6, 12, 18]) minor.push({ ms: dayStart + h * HOUR, label: String(h) });
      d.setDate(d.getDate() + 1);
    } else {
      major.push({ ms: dayStart, label: dayFmt.format(d) });
      for (let i = 0; i < 7; i++) {
        const day = new Date(dayStart);
        day.setDate(day.getDate() + i);
        minor.push({ ms: day.getTime(), label: String(day.getDate()) });
      }
      d.setDate(d.getDate() + 7);
    }
  }
  return { major, minor };
}
