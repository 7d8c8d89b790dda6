import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CalendarRules,
  checkCalendarRules,
  expandCalendar,
  isValidTimeZone,
  localToUtc,
  type Span,
  subtractSpans,
  totalMinutes,
} from './calendar.rules.ts';

const t = (iso: string) => Date.parse(iso);
const iso = (spans: readonly Span[]) =>
  spans.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()]);
const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) =>
  days.map((weekday) => ({ weekday, start, end }));

const shanghai: CalendarRules = {
  timeZone: 'Asia/Shanghai',
  shifts: weekdays('08:00', '16:30'),
  exceptions: [],
};

describe('calendar rules', () => {
  it('turns a day shift in Asia/Shanghai into UTC intervals, one per working day', () => {
    // 2026-03-02 is a Monday.
    const spans = expandCalendar(shanghai, t('2026-03-02T00:00:00+08:00'), t('2026-03-09T00:00:00+08:00'));
    assert.equal(spans.length, 5);
    assert.deepEqual(iso(spans)[0], ['2026-03-02T00:00:00.000Z', '2026-03-02T08:30:00.000Z']);
    assert.equal(totalMinutes(spans), 5 * 510);
  });

  it('runs a night shift across midnight into the next local day, starting on the day it belongs to', () => {
    const rules: CalendarRules = { ...shanghai, shifts: weekdays('20:00', '04:00', [5]) };
    // Friday 2026-03-06 20:00 → Saturday 04:00 local.
    const spans = expandCalendar(rules, t('2026-03-06T00:00:00+08:00'), t('2026-03-08T00:00:00+08:00'));
    assert.deepEqual(iso(spans), [['2026-03-06T12:00:00.000Z', '2026-03-06T20:00:00.000Z']]);
  });

  it('includes the tail of a night shift that started before the horizon', () => {
    const rules: CalendarRules = { ...shanghai, shifts: weekdays('20:00', '04:00', [5]) };
    const spans = expandCalendar(rules, t('2026-03-07T02:00:00+08:00'), t('2026-03-08T00:00:00+08:00'));
    assert.deepEqual(iso(spans), [['2026-03-06T18:00:00.000Z', '2026-03-06T20:00:00.000Z']]);
  });

  it('merges back-to-back shifts into one interval', () => {
    const rules: CalendarRules = {
      ...shanghai,
      shifts: [...weekdays('08:00', '16:30', [1]), ...weekdays('16:30', '01:00', [1])],
    };
    const spans = expandCalendar(rules, t('2026-03-02T00:00:00+08:00'), t('2026-03-03T12:00:00+08:00'));
    assert.deepEqual(iso(spans), [['2026-03-02T00:00:00.000Z', '2026-03-02T17:00:00.000Z']]);
  });

  it('drops the shifts of a holiday and works a 调休 make-up Sunday like a Monday', () => {
    const rules: CalendarRules = {
      ...shanghai,
      exceptions: [
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2026-09-27', kind: 'workday', name: '国庆调休' },
      ],
    };
    // Sunday 2026-09-27 works; Thursday 2026-10-01 does not.
    const spans = expandCalendar(rules, t('2026-09-27T00:00:00+08:00'), t('2026-10-03T00:00:00+08:00'));
    const days = iso(spans).map(([s]) => s!.slice(0, 10));
    assert.deepEqual(days, ['2026-09-27', '2026-09-28', '2026-09-29', '2026-09-30', '2026-10-02']);
  });

  it('lets a make-up day borrow another weekday’s shifts', () => {
    const rules: CalendarRules = {
      timeZone: 'Asia/Shanghai',
      shifts: [{ weekday: 6, start: '09:00', end: '12:00' }],
      exceptions: [{ date: '2026-09-27', kind: 'workday', asWeekday: 6 }],
    };
    const spans = expandCalendar(rules, t('2026-09-27T00:00:00+08:00'), t('2026-09-28T00:00:00+08:00'));
    assert.deepEqual(iso(spans), [['2026-09-27T01:00:00.000Z', '2026-09-27T04:00:00.000Z']]);
  });

  it('cuts planned downtime out of a shift, even when it spans two shifts', () => {
    const spans = expandCalendar(shanghai, t('2026-03-02T00:00:00+08:00'), t('2026-03-04T00:00:00+08:00'), [
      { start: t('2026-03-02T10:00:00+08:00'), end: t('2026-03-02T11:30:00+08:00') },
      { start: t('2026-03-02T16:00:00+08:00'), end: t('2026-03-03T09:00:00+08:00') },
    ]);
    assert.deepEqual(iso(spans), [
      ['2026-03-02T00:00:00.000Z', '2026-03-02T02:00:00.000Z'],
      ['2026-03-02T03:30:00.000Z', '2026-03-02T08:00:00.000Z'],
      ['2026-03-03T01:00:00.000Z', '2026-03-03T08:30:00.000Z'],
    ]);
  });

  it('keeps wall-clock shift times across Europe/Berlin DST changes, so the night is shorter or longer', () => {
    const rules: CalendarRules = {
      timeZone: 'Europe/Berlin',
      shifts: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '22:00', end: '06:00' })),
      exceptions: [],
    };
    // Spring forward 2026-03-29 02:00 → 03:00: the night of the 28th has 7 hours.
    const spring = expandCalendar(rules, t('2026-03-28T12:00:00Z'), t('2026-03-29T12:00:00Z'));
    assert.deepEqual(iso(spring), [['2026-03-28T21:00:00.000Z', '2026-03-29T04:00:00.000Z']]);
    assert.equal(totalMinutes(spring), 7 * 60);
    // Fall back 2026-10-25 03:00 → 02:00: the night of the 24th has 9 hours.
    const fall = expandCalendar(rules, t('2026-10-24T12:00:00Z'), t('2026-10-25T12:00:00Z'));
    assert.deepEqual(iso(fall), [['2026-10-24T20:00:00.000Z', '2026-10-25T05:00:00.000Z']]);
    assert.equal(totalMinutes(fall), 9 * 60);
  });

  it('moves a wall time inside a DST gap forward and takes the earlier of two in an overlap', () => {
    const day = Date.UTC(2026, 2, 29) / 86_400_000;
    assert.equal(new Date(localToUtc(day, 150, 'Europe/Berlin')).toISOString(), '2026-03-29T01:30:00.000Z');
    const fallDay = Date.UTC(2026, 9, 25) / 86_400_000;
    assert.equal(
      new Date(localToUtc(fallDay, 150, 'Europe/Berlin')).toISOString(),
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('clips intervals to the horizon and returns nothing for an empty horizon', () => {
    const spans = expandCalendar(shanghai, t('2026-03-02T12:00:00+08:00'), t('2026-03-02T14:00:00+08:00'));
    assert.deepEqual(iso(spans), [['2026-03-02T04:00:00.000Z', '2026-03-02T06:00:00.000Z']]);
    assert.deepEqual(expandCalendar(shanghai, t('2026-03-02T12:00:00Z'), t('2026-03-02T12:00:00Z')), []);
  });

  it('subtracts overlapping cuts without leaving empty pieces', () => {
    assert.deepEqual(
      subtractSpans(
        [
          { start: 0, end: 10 },
          { start: 20, end: 30 },
        ],
        [
          { start: 5, end: 22 },
          { start: 0, end: 2 },
          { start: 25, end: 30 },
        ],
      ),
      [
        { start: 2, end: 5 },
        { start: 22, end: 25 },
      ],
    );
  });

  it('names unknown time zones, empty shifts and repeated dates as problems', () => {
    assert.equal(isValidTimeZone('Asia/Shanghai'), true);
    assert.equal(isValidTimeZone('Mars/Olympus'), false);
    const problems = checkCalendarRules({
      timeZone: 'Mars/Olympus',
      shifts: [{ weekday: 1, start: '08:00', end: '08:00' }],
      exceptions: [
        { date: '2026-02-30', kind: 'holiday' },
        { date: '2026-05-01', kind: 'holiday' },
        { date: '2026-05-01', kind: 'workday' },
      ],
    });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['/timeZone', '/shifts/0/end', '/exceptions/0/date', '/exceptions/2/date'],
    );
  });
});
