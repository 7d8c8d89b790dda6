import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMove } from './check-move.ts';
import type { Problem, Schedule } from './model.ts';

const problem: Problem = {
  machines: [
    {
      id: 'A',
      calendar: [
        { start: 0, end: 100 },
        { start: 200, end: 400 },
      ],
    },
    { id: 'B' },
  ],
  resources: [{ id: 'welder', count: 1 }],
  setups: [{ from: 'x', to: 'y', minutes: 15 }],
  jobs: [
    { id: 'J1', due: 150 },
    { id: 'J2', due: 400 },
  ],
  operations: [
    { id: 'a1', job: 'J1', modes: [{ machine: 'A', minutes: 20 }], setupFamily: 'x' },
    {
      id: 'a2',
      job: 'J1',
      modes: [
        { machine: 'A', minutes: 30 },
        { machine: 'B', minutes: 30 },
      ],
      resources: [{ resource: 'welder' }],
    },
    { id: 'b1', job: 'J2', modes: [{ machine: 'B', minutes: 40 }], resources: [{ resource: 'welder' }] },
    {
      id: 'b2',
      job: 'J2',
      modes: [{ machine: 'A', minutes: 10 }],
      setupFamily: 'y',
      lock: { kind: 'frozen', machine: 'A', start: 80 },
    },
  ],
};

const welder = [{ resource: 'welder', count: 1 }];
const schedule: Schedule = {
  assignments: [
    { op: 'a1', machine: 'A', unit: 0, start: 0, end: 20, setupMinutes: 0, resources: [] },
    { op: 'a2', machine: 'A', unit: 0, start: 20, end: 50, setupMinutes: 0, resources: welder },
    { op: 'b1', machine: 'B', unit: 0, start: 300, end: 340, setupMinutes: 0, resources: welder },
    { op: 'b2', machine: 'A', unit: 0, start: 80, end: 90, setupMinutes: 0, resources: [] },
  ],
  conflicts: [],
  kpis: {
    onTimePercent: 100,
    totalWeightedTardiness: 0,
    makespan: 340,
    utilization: {},
    setups: 0,
    setupMinutes: 0,
    scheduledOperations: 4,
    unscheduledOperations: 0,
  },
  objective: [0, 0, 340, 0],
  stats: { method: 'dispatch', iterations: 1 },
};

const codes = (move: Parameters<typeof checkMove>[2]) =>
  checkMove(problem, schedule, move).conflicts.map((c) => c.code);

describe('checkMove', () => {
  it('accepts a move into free working time', () => {
    const r = checkMove(problem, schedule, { op: 'a2', machine: 'B', start: 40 });
    assert.deepEqual(r.conflicts, []);
    assert.equal(r.end, 70);
  });

  it('flags an overlap with the operations it would hit', () => {
    assert.deepEqual(
      checkMove(problem, schedule, { op: 'a2', machine: 'A', start: 60 }).conflicts.map((c) => [
        c.code,
        c.related,
      ]),
      [['OVERLAP', ['b2']]],
    );
  });

  it('flags a move into non-working time', () => {
    assert.deepEqual(codes({ op: 'a2', machine: 'A', start: 90 }), ['OFF_SHIFT']);
  });

  it('flags a start before the predecessor ends and a successor that would start too early', () => {
    assert.deepEqual(codes({ op: 'a2', machine: 'B', start: 10 }), ['PRECEDENCE']);
    assert.deepEqual(codes({ op: 'a1', machine: 'A', start: 200 }).sort(), ['DUE_DATE_MISSED', 'PRECEDENCE']);
  });

  it('flags a secondary resource that is already taken', () => {
    assert.deepEqual(codes({ op: 'a2', machine: 'A', start: 20 }), []);
    const busy: Schedule = {
      ...schedule,
      assignments: schedule.assignments.map((a) => (a.op === 'b1' ? { ...a, start: 10, end: 50 } : a)),
    };
    assert.deepEqual(
      checkMove(problem, busy, { op: 'a2', machine: 'A', start: 20 }).conflicts.map((c) => c.code),
      ['RESOURCE'],
    );
  });

  it('flags a missed due date, an ineligible machine, a started operation and a setup that no longer fits', () => {
    assert.deepEqual(codes({ op: 'a2', machine: 'A', start: 200 }), ['DUE_DATE_MISSED']);
    assert.deepEqual(codes({ op: 'b1', machine: 'A', start: 200 }), ['NOT_ELIGIBLE']);
    assert.equal(codes({ op: 'b2', machine: 'A', start: 95 })[0], 'FROZEN');
    const r = checkMove(problem, schedule, { op: 'a1', machine: 'A', start: 50 });
    assert.deepEqual(
      r.conflicts.map((c) => c.code),
      ['SETUP', 'PRECEDENCE'],
    );
  });
});
