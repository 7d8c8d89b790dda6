import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoDate } from '@takt/domain';
import { AppError } from '../../platform/errors.ts';
import {
  dayRuns,
  daysBetween,
  minutesByPeriod,
  parseRange,
  percent,
  periodOf,
  periodsOf,
  rollUp,
  utilisation,
} from './reports.rules.ts';

const today = isoDate('2026-03-15');
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    return err.fieldErrors[0]?.field;
  }
  assert.fail('expected a refusal');
};

describe('report ranges and periods', () => {
  it('defaults to the last 90 days, today included, in weeks', () => {
    const r = parseRange({}, today);
    assert.deepEqual([r.from, r.to, r.groupBy], ['2025-12-16', '2026-03-15', 'week']);
    assert.equal(r.fromIso, '2025-12-16T00:00:00.000Z');
    assert.equal(r.toIso, '2026-03-16T00:00:00.000Z', 'the day after `to`, excluded');
  });

  it('picks days for a month and months for a year unless told', () => {
    assert.equal(parseRange({ from: '2026-03-01', to: '2026-03-31' }, today).groupBy, 'day');
    assert.equal(parseRange({ from: '2025-03-16', to: '2026-03-15' }, today).groupBy, 'month');
    assert.equal(parseRange({ from: '2025-03-16', to: '2026-03-15', groupBy: 'day' }, today).groupBy, 'day');
  });

  it('refuses impossible dates, reversed ranges, spans over two years and unknown groupings', () => {
    assert.equal(
      fieldOf(() => parseRange({ from: '2026-02-29' }, today)),
      '/querystring/from',
    );
    assert.equal(
      fieldOf(() => parseRange({ to: '2026-13-01' }, today)),
      '/querystring/to',
    );
    assert.equal(
      fieldOf(() => parseRange({ from: '2026-03-16', to: '2026-03-15' }, today)),
      '/querystring/from',
    );
    assert.equal(
      fieldOf(() => parseRange({ from: '2024-03-14', to: '2026-03-15' }, today)),
      '/querystring/to',
    );
    assert.equal(
      fieldOf(() => parseRange({ groupBy: 'year' }, today)),
      '/querystring/groupBy',
    );
    assert.doesNotThrow(() => parseRange({ from: '2024-03-15', to: '2026-03-15' }, today));
  });

  it('names weeks by their Monday and months by YYYY-MM', () => {
    assert.equal(periodOf(isoDate('2026-03-15'), 'week'), '2026-03-09', 'a Sunday');
    assert.equal(periodOf(isoDate('2026-03-09'), 'week'), '2026-03-09', 'a Monday');
    assert.equal(periodOf(isoDate('2026-01-01'), 'week'), '2025-12-29', 'across the year end');
    assert.equal(periodOf(isoDate('2026-03-15'), 'month'), '2026-03');
    assert.equal(periodOf(isoDate('2026-03-15'), 'day'), '2026-03-15');
  });

  it('lists every period meeting the range, clipped to it', () => {
    const periods = periodsOf({ from: isoDate('2026-03-04'), to: isoDate('2026-03-17'), groupBy: 'week' });
    assert.deepEqual(periods, [
      { key: '2026-03-02', start: '2026-03-04', end: '2026-03-08' },
      { key: '2026-03-09', start: '2026-03-09', end: '2026-03-15' },
      { key: '2026-03-16', start: '2026-03-16', end: '2026-03-17' },
    ]);
  });

  it('rolls daily sums up into periods, zero where nothing happened', () => {
    const range = { from: isoDate('2026-02-27'), to: isoDate('2026-03-02'), groupBy: 'month' as const };
    const rows = [
      { day: '2026-02-27', n: 2 },
      { day: '2026-02-28', n: 3 },
      { day: '2026-03-02', n: 4 },
      { day: '2026-03-03', n: 100 },
    ];
    assert.deepEqual(rollUp(range, rows, ['n']), [
      { period: '2026-02', n: 5 },
      { period: '2026-03', n: 4 },
    ]);
    assert.deepEqual(
      rollUp({ ...range, groupBy: 'day' }, [], ['n']).map((p) => p.n),
      [0, 0, 0, 0],
    );
  });
});

describe('ratios', () => {
  it('gives percentages with one decimal, and none of nothing', () => {
    assert.equal(percent(2, 3), 66.7);
    assert.equal(percent(7, 160), 4.4);
    assert.equal(percent(0, 0), null);
  });

  it('splits working time over periods and counts parallel units', () => {
    const h = (day: string, hour: number) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
    const periods = periodsOf({ from: isoDate('2026-03-01'), to: isoDate('2026-03-02'), groupBy: 'day' });
    // A night shift 22:00–06:00 across midnight: two hours on the 1st, six on the 2nd.
    assert.deepEqual(
      minutesByPeriod([{ start: h('2026-03-01', 22), end: h('2026-03-02', 6) }], periods, 2),
      [240, 720],
    );
  });

  it('has no utilisation without a calendar', () => {
    assert.deepEqual(utilisation(null, 10, 10), { utilisationPct: null, plannedLoadPct: null });
    assert.deepEqual(utilisation(480, 120, 600), { utilisationPct: 25, plannedLoadPct: 125 });
  });
});

describe('day runs', () => {
  it('groups days into runs of consecutive days, across month ends, ignoring order and repeats', () => {
    assert.deepEqual(dayRuns(['2026-03-02', '2026-02-28', '2026-03-01', '2026-03-05', '2026-03-02']), [
      { from: '2026-02-28', to: '2026-03-02' },
      { from: '2026-03-05', to: '2026-03-05' },
    ]);
    assert.deepEqual(dayRuns([]), []);
  });

  it('lists every day between two days, both included', () => {
    assert.deepEqual(daysBetween(isoDate('2024-02-28'), isoDate('2024-03-01')), [
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    assert.deepEqual(daysBetween(isoDate('2024-03-02'), isoDate('2024-03-01')), []);
  });
});
