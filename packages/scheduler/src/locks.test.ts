import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endAfterWork, normalizeCalendar } from './calendar.ts';
import type { Interval, Lock, Problem, Schedule } from './model.ts';
import { ProblemError } from './problem-error.ts';
import { repair } from './repair.ts';
import { solve } from './solve.ts';
import { validate } from './validate.ts';

const BUDGET = { seed: 1, maxIterations: 200 };
const DAY = 1440;
const H = 60;

/**
 * 08:00–17:00 on the days given (day 0 is the origin's day, so minute 0 is 00:00 of day 0):
 * `weekdays(0, 14)` is two weeks from a Monday, Saturdays and Sundays off.
 */
function shifts(days: readonly number[]): Interval[] {
  return days.map((d) => ({ start: d * DAY + 8 * H, end: d * DAY + 17 * H }));
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const weekdays = (from: number, to: number) => range(from, to).filter((d) => d % 7 < 5);
const at = (day: number, hour: number, minute = 0) => day * DAY + hour * H + minute;

/** One machine with a running operation locked by its remaining work and a waiting 60-minute job. */
function running(lock: Omit<Lock, 'kind' | 'machine'>, calendar: Interval[] | undefined): Problem {
  return {
    machines: [{ id: 'M', ...(calendar ? { calendar } : {}) }],
    // The waiting job is released when the running one was locked, so it can only follow it.
    jobs: [{ id: 'J1' }, { id: 'J2', release: lock.start }],
    operations: [
      {
        id: 'run',
        job: 'J1',
        modes: [{ machine: 'M', minutes: 999 }],
        lock: { kind: 'frozen', machine: 'M', ...lock },
      },
      { id: 'next', job: 'J2', modes: [{ machine: 'M', minutes: 60 }] },
    ],
  };
}

function placed(s: Schedule, op: string): [number, number] {
  const a = s.assignments.find((x) => x.op === op);
  assert.ok(a, `${op} is scheduled`);
  return [a.start, a.end];
}

describe('a running operation holds its machine for its remaining working time', () => {
  it('runs on after the night break: 10 h left at 15:00 on 08:00–17:00 end at 16:00 the next day', () => {
    const p = running({ start: at(0, 15), workMinutes: 10 * H }, shifts(range(0, 7)));
    const s = solve(p, BUDGET);
    assert.deepEqual(placed(s, 'run'), [at(0, 15), at(1, 16)]);
    // The waiting job gets the machine only when the running one is done, not at 08:00.
    assert.deepEqual(placed(s, 'next'), [at(1, 16), at(1, 17)]);
    assert.deepEqual(s.conflicts, []);
    assert.deepEqual(validate(p, s), []);
  });

  it('skips the weekend: 10 h left on Friday at 15:00 end on Monday at 16:00', () => {
    const p = running({ start: at(4, 15), workMinutes: 10 * H }, shifts(weekdays(0, 14)));
    const s = solve(p, BUDGET);
    assert.deepEqual(placed(s, 'run'), [at(4, 15), at(7, 16)]);
    assert.deepEqual(placed(s, 'next'), [at(7, 16), at(7, 17)]);
    assert.deepEqual(validate(p, s), []);
  });

  it('counts the setup still to do as work', () => {
    const p = running({ start: at(0, 16), setupMinutes: 30, workMinutes: 90 }, shifts(range(0, 7)));
    const s = solve(p, BUDGET);
    // 60 minutes today, the other 60 tomorrow from 08:00.
    assert.deepEqual(placed(s, 'run'), [at(0, 16), at(1, 9)]);
    assert.equal(s.assignments.find((a) => a.op === 'run')?.setupMinutes, 30);
    assert.deepEqual(validate(p, s), []);
  });

  it('reserves the machine from now when now is outside working time, progress starting with the shift', () => {
    // 20:00, running in overtime with 2 h left: held from now until 10:00 tomorrow, with no conflict.
    const p = running({ start: at(0, 20), workMinutes: 2 * H }, shifts(range(0, 7)));
    const s = solve(p, BUDGET);
    assert.deepEqual(placed(s, 'run'), [at(0, 20), at(1, 10)]);
    assert.deepEqual(placed(s, 'next'), [at(1, 10), at(1, 11)]);
    assert.deepEqual(s.conflicts, []);
    assert.deepEqual(validate(p, s), []);
  });

  it('holds nothing when no work is left', () => {
    const p = running({ start: at(0, 9), workMinutes: 0 }, shifts(range(0, 7)));
    const s = solve(p, BUDGET);
    assert.deepEqual(placed(s, 'run'), [at(0, 9), at(0, 9)]);
    assert.deepEqual(placed(s, 'next'), [at(0, 9), at(0, 10)]);
    assert.deepEqual(validate(p, s), []);
  });

  it('runs straight through on a machine without a calendar', () => {
    const p = running({ start: at(0, 15), workMinutes: 10 * H }, undefined);
    const s = solve(p, BUDGET);
    assert.deepEqual(placed(s, 'run'), [at(0, 15), at(1, 1)]);
    assert.deepEqual(placed(s, 'next'), [at(1, 1), at(1, 2)]);
    assert.deepEqual(validate(p, s), []);
  });

  it('still takes a lock with an end as given, past the shift end without an off-shift conflict', () => {
    const p = running({ start: at(0, 15), end: at(0, 19) }, shifts(range(0, 7)));
    const s = solve(p, BUDGET);
    assert.deepEqual(placed(s, 'run'), [at(0, 15), at(0, 19)]);
    assert.deepEqual(placed(s, 'next'), [at(1, 8), at(1, 9)]);
    assert.deepEqual(s.conflicts, []);
  });

  it('counts only working minutes of the held machine as busy', () => {
    const p = running({ start: at(0, 15), workMinutes: 10 * H }, shifts(range(0, 7)));
    const s = solve({ ...p, operations: p.operations.slice(0, 1) }, BUDGET);
    // Busy 600 working minutes (not the 1500 wall-clock ones) of the 9 + 8 h available up to its end.
    assert.equal(s.kpis.utilization.M, Math.round((600 / 1020) * 10000) / 10000);
  });

  it('is told apart by the validator from a lock that ended at the wall-clock span', () => {
    const p = running({ start: at(0, 15), workMinutes: 10 * H }, shifts(range(0, 7)));
    const s = solve(p, BUDGET);
    const shortened = s.assignments.map((a) => (a.op === 'run' ? { ...a, end: at(1, 1) } : a));
    assert.deepEqual(
      validate(p, { assignments: shortened }).map((v) => [v.code, v.op]),
      [['LOCK_MOVED', 'run']],
    );
  });

  it('pauses for a breakdown the way it pauses for the night', () => {
    const p = running({ start: at(0, 15), workMinutes: 10 * H }, shifts(range(0, 7)));
    const r = repair(
      p,
      solve(p, BUDGET),
      { type: 'breakdown', machine: 'M', start: at(1, 8), end: at(1, 9) },
      { currentTime: at(0, 15), frozenHorizon: 0 },
    );
    assert.deepEqual(placed(r.schedule, 'run'), [at(0, 15), at(1, 17)]);
    assert.deepEqual(validate(r.problem, r.schedule), []);
  });

  it('stays where it was when a repair freezes it with the end it was planned with', () => {
    const p = running({ start: at(0, 15), workMinutes: 10 * H }, shifts(range(0, 7)));
    const r = repair(
      p,
      solve(p, BUDGET),
      { type: 'breakdown', machine: 'M', start: at(1, 8), end: at(1, 9) },
      { currentTime: at(0, 16), frozenHorizon: 0 },
    );
    assert.deepEqual(placed(r.schedule, 'run'), [at(0, 15), at(1, 16)]);
    assert.deepEqual(validate(r.problem, r.schedule), []);
  });

  it('refuses remaining work on a pinned lock or next to an end, naming the field', () => {
    const pinned: Problem = {
      ...running({ start: 0, workMinutes: 10 }, undefined),
      operations: [
        {
          id: 'p',
          job: 'J1',
          modes: [{ machine: 'M', minutes: 10 }],
          lock: { kind: 'pinned', machine: 'M', start: 0, workMinutes: 10 },
        },
      ],
    };
    assert.throws(
      () => solve(pinned, BUDGET),
      (e: Error) => e instanceof ProblemError && /workMinutes/.test(e.message),
    );
    const both = running({ start: 0, workMinutes: 10, end: 10 }, undefined);
    assert.throws(() => solve(both, BUDGET), /"run" workMinutes: give either end or workMinutes/);
    const negative = running({ start: 0, workMinutes: -5 }, undefined);
    assert.throws(() => solve(negative, BUDGET), /"run" workMinutes: negative minutes/);
  });
});

describe('endAfterWork', () => {
  const cal = normalizeCalendar([
    { start: 100, end: 200 },
    { start: 300, end: 400 },
  ]);

  it('pauses between working intervals', () => {
    assert.equal(endAfterWork(cal, 150, 50), 200);
    assert.equal(endAfterWork(cal, 150, 51), 301);
    assert.equal(endAfterWork(cal, 0, 150), 350);
    assert.equal(endAfterWork(cal, 250, 10), 310);
  });

  it('ends at the start for no work, and runs on past the last working minute', () => {
    assert.equal(endAfterWork(cal, 250, 0), 250);
    assert.equal(endAfterWork(cal, 150, 200), 450);
    assert.equal(endAfterWork(cal, 500, 20), 520);
    assert.equal(endAfterWork(normalizeCalendar([]), 7, 3), 10);
    assert.equal(endAfterWork(null, 7, 3), 10);
  });
});
