import { expandCalendar, type Span } from '../calendars/calendar.rules.ts';
import { DEMO_EXCEPTIONS, DEMO_SHIFTS } from './demo-manufacturing-data.ts';

/**
 * The running plant of 精工五金: what was in stock before the first start, the make-to-stock orders
 * and what the floor did with each order. Times are working minutes before "now" on the two-shift
 * calendar, so reports of the past days fall into shifts whatever day the demo is loaded on.
 */

/** Raw material already on the shelves: [item, qty, location, lot]. */
export const DEMO_OPENING_STOCK: ReadonlyArray<readonly [string, string, string, string?]> = [
  ['RM-300300', '800', 'RM-B01', 'BS-2610-31'],
  ['RM-300400', '600', 'RM-B01', 'BS-2610-22'],
  ['RM-300600', '1500', 'RM-B01'],
  ['RM-300700', '400', 'RM-A02', 'XC-2610-18'],
  ['PP-400200', '2000', 'RM-C01'],
  ['PP-400300', '2000', 'RM-C01'],
  ['PP-400400', '2000', 'RM-C01'],
];

/** The sent steel order (S-0001) arrived in part: [item, qty] to 钢材架 A01. */
export const DEMO_PARTIAL_RECEIPT: ReadonlyArray<readonly [string, string]> = [['RM-300100', '600']];

/**
 * Sales-order lines the planner makes in batches: one run of 200 gears would not fit into a day of
 * the one hobbing machine. The other lines get their work orders from the sales module as they are.
 */
export const DEMO_MTO_BATCHES = [
  { externalRef: 'XS-7781', item: 'FG-100900', batches: ['100', '100'] },
] as const;

/** Make-to-stock orders; the sales orders' lines get theirs from the sales module. */
export const DEMO_STOCK_ORDERS = [
  { item: 'FG-100300', qty: '200', inDays: 5, priority: 60 },
  { item: 'FG-100100', qty: '120', inDays: 4, priority: 55 },
  { item: 'FG-101000', qty: '100', inDays: -1, priority: 50 },
  { item: 'SF-200400', qty: '150', inDays: 1, priority: 50, withChildren: false },
  { item: 'FG-100200', qty: '80', inDays: 10, priority: 40 },
  { item: 'FG-100600', qty: '40', inDays: 14, priority: 40 },
] as const;

/** A floor report: good, scrap, working minutes before now, operator badge. */
export interface DemoReport {
  readonly good: string;
  readonly scrap?: string;
  readonly ago: number;
  readonly badge: 'E1001' | 'E1002';
}

/** What happened to one operation: its machine, who ran it, the reports, whether it is done. */
export interface DemoOpRun {
  readonly seq: number;
  readonly machine: string;
  readonly badge: 'E1001' | 'E1002';
  readonly reports: readonly DemoReport[];
  readonly complete: boolean;
}

/**
 * Orders the floor worked on, by item code of the order. The good output of the last operation so
 * far is booked into stock at `output`; `finish` completes the order, and may close it too. Without
 * it the order stays in progress.
 */
export interface DemoOrderRun {
  readonly item: string;
  readonly issueFrom: Readonly<Record<string, readonly [location: string, lot?: string]>>;
  readonly ops: readonly DemoOpRun[];
  readonly output: string;
  readonly finish?: 'completed' | 'closed';
}

const SCRAP_REASON: Readonly<Record<string, string>> = {
  'LASER-01': '切割挂渣，边缘超差',
  'WELD-01': '螺栓滑牙',
  'CNC-01': '外圆尺寸超差',
  'BEND-01': '折弯角度超差',
};
export const scrapReasonOf = (machine: string) => SCRAP_REASON[machine] ?? '尺寸超差';

export const DEMO_ORDER_RUNS: readonly DemoOrderRun[] = [
  {
    // 连接板组件, finished two days ago and closed.
    item: 'FG-101000',
    issueFrom: {
      'RM-300600': ['RM-B01'],
      'PP-400200': ['RM-C01'],
      'PP-400300': ['RM-C01'],
      'PP-400400': ['RM-C01'],
    },
    ops: [
      {
        seq: 10,
        machine: 'LASER-01',
        badge: 'E1002',
        reports: [
          { good: '60', ago: 40 * 60, badge: 'E1002' },
          { good: '40', scrap: '2', ago: 39 * 60, badge: 'E1002' },
        ],
        complete: true,
      },
      {
        seq: 20,
        machine: 'WELD-01',
        badge: 'E1001',
        reports: [{ good: '100', ago: 36 * 60, badge: 'E1001' }],
        complete: true,
      },
    ],
    output: 'FG-A01',
    finish: 'closed',
  },
  {
    // 支架展开件 A for the bracket order: cut yesterday, closed; the bends are running now.
    item: 'SF-200300',
    issueFrom: { 'RM-300300': ['RM-B01', 'BS-2610-31'] },
    ops: [
      {
        seq: 10,
        machine: 'LASER-01',
        badge: 'E1002',
        reports: [
          { good: '120', ago: 30 * 60, badge: 'E1002' },
          { good: '80', scrap: '3', ago: 28 * 60, badge: 'E1002' },
        ],
        complete: true,
      },
    ],
    output: 'LS-BEND',
    finish: 'closed',
  },
  {
    // 支架展开件 B, cut this morning: completed, waiting to be closed.
    item: 'SF-200400',
    issueFrom: { 'RM-300400': ['RM-B01', 'BS-2610-22'] },
    ops: [
      {
        seq: 10,
        machine: 'LASER-01',
        badge: 'E1002',
        reports: [
          { good: '90', ago: 9 * 60, badge: 'E1002' },
          { good: '60', scrap: '2', ago: 7 * 60, badge: 'E1002' },
        ],
        complete: true,
      },
    ],
    output: 'WIP-01',
    finish: 'completed',
  },
  {
    // 支架折弯件 A: on the press brake now, a little more than half done.
    item: 'SF-200500',
    issueFrom: { 'SF-200300': ['LS-BEND'] },
    ops: [
      {
        seq: 10,
        machine: 'BEND-01',
        badge: 'E1002',
        reports: [
          { good: '80', ago: 4 * 60, badge: 'E1002' },
          { good: '45', scrap: '2', ago: 90, badge: 'E1002' },
        ],
        complete: false,
      },
    ],
    output: 'LS-PAINT',
  },
  {
    // 轴粗车件 Φ25 for the shaft sales order: roughing on CNC-01.
    item: 'SF-200700',
    issueFrom: { 'RM-300100': ['RM-A01'] },
    ops: [
      {
        seq: 10,
        machine: 'CNC-01',
        badge: 'E1001',
        reports: [
          { good: '18', ago: 3 * 60, badge: 'E1001' },
          { good: '12', scrap: '1', ago: 60, badge: 'E1001' },
        ],
        complete: false,
      },
    ],
    output: 'LS-CNC',
  },
];

/** First-article measurements the inspector records, by item of the operation. */
export const DEMO_FIRST_ARTICLE: Readonly<
  Record<string, { name: string; nominal: string; tol: string; measured: string; unit: string }>
> = {
  'SF-200500': { name: '折弯角度', nominal: '90', tol: '0.5', measured: '90.2', unit: '°' },
  'SF-200700': { name: '外径', nominal: '25.5', tol: '0.05', measured: '25.52', unit: 'mm' },
};

const CALENDAR = { timeZone: 'Asia/Shanghai', shifts: DEMO_SHIFTS, exceptions: DEMO_EXCEPTIONS };
const MINUTE = 60_000;

/** Working intervals of the demo calendar over the days before `now`. */
export function demoWorkingSpans(nowMs: number, days = 21): Span[] {
  return expandCalendar(CALENDAR, nowMs - days * 86_400_000, nowMs);
}

/**
 * The instant `minutes` working minutes before `now`: walking back through the shifts, so a report
 * "three working hours ago" on a Monday morning lands in Saturday's evening shift.
 */
export function workingMinutesBefore(spans: readonly Span[], nowMs: number, minutes: number): number {
  let left = minutes * MINUTE;
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i]!;
    const end = Math.min(s.end, nowMs);
    if (end <= s.start) continue;
    if (end - s.start >= left) return end - left;
    left -= end - s.start;
  }
  throw new RangeError(`the calendar has fewer than ${minutes} working minutes before now`);
}
