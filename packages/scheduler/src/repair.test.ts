import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assignment, Problem, Schedule } from './model.ts';
import { repair } from './repair.ts';
import { solve } from './solve.ts';
import { validate } from './validate.ts';

/** Six two-step work orders: a cut on A (or slower B), then a finish on C. */
const problem: Problem = {
  machines: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
  jobs: Array.from({ length: 6 }, (_, j) => ({ id: `J${j}`, due: 200, weight: 1 + j })),
  operations: Array.from({ length: 6 }, (_, j) => [
    {
      id: `J${j}.cut`,
      job: `J${j}`,
      modes: [
        { machine: 'A', minutes: 20 },
        { machine: 'B', minutes: 30 },
      ],
    },
    { id: `J${j}.finish`, job: `J${j}`, modes: [{ machine: 'C', minutes: 10 }] },
  ]).flat(),
};

const byOp = (s: Schedule): Map<string, Assignment> => new Map(s.assignments.map((a) => [a.op, a]));

function frozenUnchanged(before: Schedule, after: Schedule, until: number): void {
  const next = byOp(after);
  for (const a of before.assignments)
    if (a.start < until) assert.deepEqual(next.get(a.op), a, `${a.op} is frozen`);
}

describe('repair', () => {
  const before = solve(problem, { seed: 1, maxIterations: 10 });

  it('moves work off a broken-down machine and keeps the frozen horizon as it was', () => {
    const onA = before.assignments.filter((a) => a.machine === 'A').sort((x, y) => x.start - y.start);
    assert.ok(onA.length >= 2);
    const breakdown = {
      type: 'breakdown',
      machine: 'A',
      start: onA[1]!.start,
      end: onA[1]!.start + 40,
    } as const;
    const r = repair(problem, before, breakdown, { currentTime: 0, frozenHorizon: onA[1]!.start });
    assert.deepEqual(validate(r.problem, r.schedule), []);
    frozenUnchanged(before, r.schedule, onA[1]!.start);
    for (const a of r.schedule.assignments) {
      if (a.machine === 'A')
        assert.ok(a.end <= breakdown.start || a.start >= breakdown.end, `${a.op} avoids the breakdown`);
    }
    assert.ok(r.moved.includes(onA[1]!.op));
    assert.equal(r.schedule.stats.method, 'repair');
  });

  it('prefers the previous machine within the tolerance and switches beyond it', () => {
    const first = before.assignments.filter((a) => a.machine === 'A').sort((x, y) => x.start - y.start)[0]!;
    const breakdown = { type: 'breakdown', machine: 'A', start: 0, end: 25 } as const;
    const stay = repair(problem, before, breakdown, { currentTime: 0, frozenHorizon: 0 });
    assert.equal(byOp(stay.schedule).get(first.op)!.machine, 'A');
    const leave = repair(problem, before, breakdown, {
      currentTime: 0,
      frozenHorizon: 0,
      machineChangeTolerance: 0,
    });
    assert.equal(byOp(leave.schedule).get(first.op)!.machine, 'B');
    assert.deepEqual(validate(leave.problem, leave.schedule), []);
  });

  it('adds a rush order without touching operations that need not move', () => {
    const rush = {
      type: 'rushOrder',
      job: { id: 'R', release: 500, due: 600, weight: 10 },
      operations: [{ id: 'R.1', job: 'R', modes: [{ machine: 'C', minutes: 15 }] }],
    } as const;
    const r = repair(problem, before, rush, { currentTime: 0, frozenHorizon: 0 });
    assert.deepEqual(r.added, ['R.1']);
    assert.deepEqual(r.moved, []);
    assert.equal(byOp(r.schedule).get('R.1')!.start, 500);
    assert.deepEqual(validate(r.problem, r.schedule), []);
  });

  it('delays a work order whose material arrives late', () => {
    const r = repair(
      problem,
      before,
      { type: 'shortage', job: 'J2', release: 300 },
      { currentTime: 0, frozenHorizon: 0 },
    );
    const next = byOp(r.schedule);
    assert.ok(next.get('J2.cut')!.start >= 300);
    assert.ok(r.moved.includes('J2.cut') && r.moved.includes('J2.finish'));
    assert.deepEqual(validate(r.problem, r.schedule), []);
  });

  it('extends a late operation and pushes what follows it', () => {
    const running = before.assignments.find((a) => a.op.endsWith('.cut'))!;
    const now = running.start + 1;
    const r = repair(
      problem,
      before,
      { type: 'lateReport', op: running.op, end: running.end + 50 },
      { currentTime: now, frozenHorizon: 0 },
    );
    const next = byOp(r.schedule);
    assert.equal(next.get(running.op)!.end, running.end + 50);
    const finish = next.get(running.op.replace('.cut', '.finish'))!;
    assert.ok(finish.start >= running.end + 50);
    assert.deepEqual(validate(r.problem, r.schedule), []);
  });
});
