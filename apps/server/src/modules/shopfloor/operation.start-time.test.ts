import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkStartTime,
  OPERATOR_START_BACK_HOURS,
  START_CLOCK_SKEW_MS,
  type StartTimeFacts,
} from './operation.start-time.ts';

const NOW = Date.parse('2026-03-02T10:00:00.000Z');
const facts: StartTimeFacts = {
  nowMs: NOW,
  releasedAt: '2026-03-02T06:00:00.000Z',
  lastEventAt: null,
  maxBackHours: OPERATOR_START_BACK_HOURS,
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('the start time given for an operation started late', () => {
  it('is taken as given, in UTC, when it lies between the release and now', () => {
    assert.deepEqual(checkStartTime('2026-03-02T15:40:00+08:00', facts), {
      ok: true,
      startedAt: '2026-03-02T07:40:00.000Z',
    });
  });

  it('may be a little ahead of the server clock, and is then stored as now', () => {
    assert.deepEqual(checkStartTime(iso(NOW + START_CLOCK_SKEW_MS), facts), {
      ok: true,
      startedAt: iso(NOW),
    });
  });

  it('is refused in the future beyond the clock skew', () => {
    const r = checkStartTime(iso(NOW + START_CLOCK_SKEW_MS + 1), facts);
    assert.equal(r.ok || r.problem, 'START_TIME_IN_FUTURE');
  });

  it('is refused further back than the limit, and taken right at it', () => {
    const limit = NOW - OPERATOR_START_BACK_HOURS * 3_600_000;
    const open = { ...facts, releasedAt: null };
    assert.equal(checkStartTime(iso(limit), open).ok, true);
    const r = checkStartTime(iso(limit - 1), open);
    assert.equal(r.ok || r.problem, 'START_TIME_TOO_FAR_BACK');
    assert.equal(checkStartTime(iso(limit - 1), { ...open, maxBackHours: 72 }).ok, true);
  });

  it('is refused before the work order was released', () => {
    const r = checkStartTime('2026-03-02T05:59:59.999Z', facts);
    assert.equal(r.ok || r.problem, 'START_TIME_BEFORE_RELEASE');
    assert.equal(checkStartTime('2026-03-02T06:00:00.000Z', facts).ok, true);
  });

  it('is refused before the last event recorded on the operation', () => {
    const paused = { ...facts, lastEventAt: '2026-03-02T09:00:00.000Z' };
    const r = checkStartTime('2026-03-02T08:59:00.000Z', paused);
    assert.equal(r.ok || r.problem, 'START_TIME_BEFORE_LAST_EVENT');
    assert.equal(checkStartTime('2026-03-02T09:00:00.000Z', paused).ok, true);
  });

  it('is refused when it is not a date-time at all', () => {
    const r = checkStartTime('yesterday', facts);
    assert.equal(r.ok || r.problem, 'START_TIME_INVALID');
  });
});
