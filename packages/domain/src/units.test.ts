import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays,
  dayNumber,
  daysBetween,
  fromDayNumber,
  isoDate,
  isoTimestamp,
  parseIsoDate,
} from './calendar.ts';
import { minutes, minutesFromHours, parsePercent } from './units.ts';

describe('calendar dates', () => {
  it('accepts real dates and refuses impossible ones', () => {
    assert.equal(parseIsoDate('2024-02-29').ok, true);
    for (const text of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '2025-04-31', '']) {
      const r = parseIsoDate(text);
      assert.equal(!r.ok && r.code, 'DATE_INVALID', text);
    }
  });

  it('counts days across month and year ends', () => {
    assert.equal(dayNumber(isoDate('1970-01-01')), 0);
    assert.equal(addDays(isoDate('2024-12-30'), 3), '2025-01-02');
    assert.equal(addDays(isoDate('2025-03-01'), -1), '2025-02-28');
    assert.equal(daysBetween(isoDate('2025-01-01'), isoDate('2025-12-31')), 364);
    assert.equal(fromDayNumber(dayNumber(isoDate('2031-07-15'))), '2031-07-15');
  });

  it('accepts ISO timestamps with an offset and refuses ones without', () => {
    assert.equal(isoTimestamp('2025-03-01T08:00:00Z'), '2025-03-01T08:00:00Z');
    assert.equal(isoTimestamp('2025-03-01T08:00:00.123+08:00'), '2025-03-01T08:00:00.123+08:00');
    assert.throws(() => isoTimestamp('2025-03-01 08:00'), RangeError);
    assert.throws(() => isoTimestamp('2025-03-01T08:00:00'), RangeError);
  });
});

describe('durations and rates', () => {
  it('turns shop-floor hours into whole minutes', () => {
    assert.equal(minutesFromHours(1.5), 90);
    assert.equal(minutesFromHours(0.1), 6);
    assert.equal(minutesFromHours(0.01), 1);
    assert.equal(minutesFromHours(0.01, 'floor'), 0);
  });

  it('refuses negative or fractional minutes', () => {
    assert.throws(() => minutes(-1), RangeError);
    assert.throws(() => minutes(1.5), RangeError);
  });

  it('parses percentages into basis points', () => {
    assert.deepEqual(parsePercent('2.5'), { ok: true, value: 250 });
    assert.equal(parsePercent('2.505').ok, false);
  });
});
