import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemError } from './problem-error.ts';
import type { Operation, Problem, Schedule } from './model.ts';
import { solve } from './solve.ts';
import { validate } from './validate.ts';

const BUDGET = { seed: 1, maxIterations: 500 };

function at(s: Schedule, op: string) {
  const a = s.assignments.find((x) => x.op === op);
  assert.ok(a, `${op} is scheduled`);
  return a;
}

function chainProblem(jobs: [string, number][][]): Problem {
  const machines = [...new Set(jobs.flat().map(([m]) => m))].sort().map((id) => ({ id }));
  const operations: Operation[] = jobs.flatMap((ops, j) =>
    ops.map(([machine, minutes], k) => ({ id: `${j}.${k}`, job: `J${j}`, modes: [{ machine, minutes }] })),
  );
  return { machines, jobs: jobs.map((_, j) => ({ id: `J${j}` })), operations };
}

describe('solve', () => {
  it('finds the optimal makespan of a small job shop through the tabu search fast path', () => {
    const p = chainProblem([
      [
        ['M0', 3],
        ['M1', 2],
        ['M2', 2],
      ],
      [
        ['M0', 2],
        ['M2', 1],
        ['M1', 4],
      ],
      [
        ['M1', 4],
        ['M2', 3],
      ],
    ]);
    const s = solve(p, BUDGET);
    assert.equal(s.stats.method, 'shop-tabu');
    assert.equal(s.kpis.makespan, 11);
    assert.deepEqual(validate(p, s), []);
  });

  it('uses the flexible tabu search when operations have alternative machines', () => {
    const p: Problem = {
      machines: [{ id: 'A' }, { id: 'B' }],
      jobs: [{ id: 'J0' }, { id: 'J1' }],
      operations: [
        {
          id: 'a',
          job: 'J0',
          modes: [
            { machine: 'A', minutes: 10 },
            { machine: 'B', minutes: 12 },
          ],
        },
        { id: 'b', job: 'J1', modes: [{ machine: 'A', minutes: 10 }] },
      ],
    };
    const s = solve(p, BUDGET);
    assert.equal(s.stats.method, 'flexible-tabu');
    assert.equal(s.kpis.makespan, 12);
    assert.equal(at(s, 'a').machine, 'B');
  });

  it('never splits an operation over a calendar gap', () => {
    const p: Problem = {
      machines: [
        {
          id: 'A',
          calendar: [
            { start: 0, end: 40 },
            { start: 60, end: 200 },
          ],
        },
      ],
      jobs: [{ id: 'J' }],
      operations: [{ id: 'x', job: 'J', modes: [{ machine: 'A', minutes: 50 }] }],
    };
    const s = solve(p, BUDGET);
    assert.equal(s.stats.method, 'dispatch');
    assert.deepEqual([at(s, 'x').start, at(s, 'x').end], [60, 110]);
  });

  it('reserves sequence-dependent setups and groups families to save them', () => {
    const p: Problem = {
      machines: [{ id: 'A', initialFamily: 'red' }],
      jobs: [{ id: 'J' }],
      setups: [
        { from: 'red', to: 'blue', minutes: 30 },
        { from: 'blue', to: 'red', minutes: 30 },
      ],
      objective: ['makespan', 'setupTime'],
      operations: ['red', 'blue', 'red', 'blue'].map((f, i) => ({
        id: `o${i}`,
        job: 'J',
        modes: [{ machine: 'A', minutes: 10 }],
        setupFamily: f,
      })),
    };
    const s = solve(
      {
        ...p,
        jobs: p.operations.map((o) => ({ id: o.id })),
        operations: p.operations.map((o) => ({ ...o, job: o.id })),
      },
      BUDGET,
    );
    assert.equal(s.kpis.setups, 1);
    assert.equal(s.kpis.setupMinutes, 30);
    assert.equal(s.kpis.makespan, 70);
  });

  it('places operations of no length without setups, whatever order they share an instant in', () => {
    // Found by the property test: one machine, zero-minute operations of two families at one instant.
    const problem: Problem = {
      machines: [{ id: 'm0', capacity: 1, initialFamily: 'f0' }],
      resources: [{ id: 'r0', count: 2 }],
      jobs: [
        { id: 'j0', release: 69, due: 401, weight: 3, routing: 'dag' },
        { id: 'j1', release: 75, due: 393, weight: 4, routing: 'dag' },
        { id: 'j2', due: 162, weight: 1, routing: 'dag' },
        { id: 'j3', release: 17, due: 120, weight: 2, routing: 'dag' },
      ],
      operations: [
        { id: 'j0o0', job: 'j0', modes: [{ machine: 'm0', minutes: 0 }], setupFamily: 'f0' },
        { id: 'j0o1', job: 'j0', modes: [{ machine: 'm0', minutes: 16 }], setupFamily: 'f0', release: 147 },
        { id: 'j0o2', job: 'j0', modes: [{ machine: 'm0', minutes: 51 }], setupFamily: 'f0' },
        { id: 'j1o0', job: 'j1', modes: [{ machine: 'm0', minutes: 0 }], setupFamily: 'f0' },
        {
          id: 'j1o1',
          job: 'j1',
          modes: [{ machine: 'm0', minutes: 0 }],
          setupFamily: 'f1',
          predecessors: [{ op: 'j1o0' }],
        },
        { id: 'j1o2', job: 'j1', modes: [{ machine: 'm0', minutes: 10 }], setupFamily: 'f0' },
        {
          id: 'j1o3',
          job: 'j1',
          modes: [{ machine: 'm0', minutes: 53 }],
          setupFamily: 'f0',
          resources: [{ resource: 'r0' }],
          predecessors: [{ op: 'j1o0' }, { op: 'j1o1' }],
        },
        {
          id: 'j2o0',
          job: 'j2',
          modes: [{ machine: 'm0', minutes: 30 }],
          setupFamily: 'f0',
          resources: [{ resource: 'r0' }],
        },
        { id: 'j3o0', job: 'j3', modes: [{ machine: 'm0', minutes: 50 }], setupFamily: 'f1' },
      ],
      setups: [
        { from: 'f0', to: 'f1', minutes: 18 },
        { from: '', to: 'f0', minutes: 4 },
        { from: 'f1', to: 'f0', minutes: 0 },
        { from: '', to: 'f1', minutes: 4 },
      ],
    };
    for (const seed of [1, 3, 7]) {
      const schedule = solve(problem, { seed, maxIterations: 6 });
      assert.deepEqual(validate(problem, schedule), [], `seed ${seed}`);
      for (const a of schedule.assignments) if (a.end === a.start) assert.equal(a.setupMinutes, 0, a.op);
    }
  });

  it('does not let two operations use a single mold at the same time', () => {
    const p: Problem = {
      machines: [{ id: 'A' }, { id: 'B' }],
      resources: [{ id: 'mold', count: 1 }],
      jobs: [{ id: 'J0' }, { id: 'J1' }],
      operations: [
        { id: 'a', job: 'J0', modes: [{ machine: 'A', minutes: 10 }], resources: [{ resource: 'mold' }] },
        { id: 'b', job: 'J1', modes: [{ machine: 'B', minutes: 10 }], resources: [{ resource: 'mold' }] },
      ],
    };
    const s = solve(p, BUDGET);
    assert.equal(s.kpis.makespan, 20);
    assert.deepEqual(validate(p, s), []);
    assert.deepEqual(at(s, 'a').resources, [{ resource: 'mold', count: 1 }]);
  });

  it('runs operations in parallel on the units of a multi-unit machine', () => {
    const p: Problem = {
      machines: [{ id: 'oven', capacity: 2 }],
      jobs: [{ id: 'J0' }, { id: 'J1' }],
      operations: [
        { id: 'a', job: 'J0', modes: [{ machine: 'oven', minutes: 10 }] },
        { id: 'b', job: 'J1', modes: [{ machine: 'oven', minutes: 10 }] },
      ],
    };
    const s = solve(p, BUDGET);
    assert.equal(s.kpis.makespan, 10);
    assert.deepEqual(new Set(s.assignments.map((a) => a.unit)), new Set([0, 1]));
  });

  it('honours transfer lags and overlapping start-start links', () => {
    const p: Problem = {
      machines: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
      jobs: [{ id: 'J', routing: 'dag' }],
      operations: [
        { id: 'a', job: 'J', modes: [{ machine: 'A', minutes: 100 }] },
        {
          id: 'b',
          job: 'J',
          modes: [{ machine: 'B', minutes: 100 }],
          predecessors: [{ op: 'a', type: 'start-start', minLag: 20 }],
        },
        {
          id: 'c',
          job: 'J',
          modes: [{ machine: 'C', minutes: 10 }],
          predecessors: [{ op: 'b', minLag: 45 }],
        },
      ],
    };
    const s = solve(p, BUDGET);
    assert.equal(at(s, 'b').start, 20);
    assert.equal(at(s, 'c').start, 165);
  });

  it('reports each kind of unschedulable operation with its reason code', () => {
    const p: Problem = {
      machines: [{ id: 'A', calendar: [{ start: 0, end: 30 }] }, { id: 'B' }],
      resources: [{ id: 'tool', count: 1 }],
      jobs: [{ id: 'J', routing: 'dag' }],
      operations: [
        { id: 'none', job: 'J', modes: [{ machine: 'nowhere', minutes: 5 }] },
        { id: 'long', job: 'J', modes: [{ machine: 'A', minutes: 50 }] },
        { id: 'after', job: 'J', modes: [{ machine: 'B', minutes: 5 }], predecessors: [{ op: 'long' }] },
        { id: 'loop1', job: 'J', modes: [{ machine: 'B', minutes: 5 }], predecessors: [{ op: 'loop2' }] },
        { id: 'loop2', job: 'J', modes: [{ machine: 'B', minutes: 5 }], predecessors: [{ op: 'loop1' }] },
        { id: 'ghost', job: 'J', modes: [{ machine: 'B', minutes: 5 }], predecessors: [{ op: 'missing' }] },
        {
          id: 'greedy',
          job: 'J',
          modes: [{ machine: 'B', minutes: 5 }],
          resources: [{ resource: 'tool', count: 2 }],
        },
        { id: 'ok', job: 'J', modes: [{ machine: 'B', minutes: 5 }] },
      ],
    };
    const s = solve(p, BUDGET);
    const reason = new Map(s.conflicts.map((c) => [c.op, c.code]));
    assert.deepEqual(Object.fromEntries(reason), {
      none: 'NO_ELIGIBLE_MACHINE',
      long: 'NO_CALENDAR_CAPACITY',
      after: 'PREDECESSOR_UNSCHEDULED',
      loop1: 'CYCLE',
      loop2: 'CYCLE',
      ghost: 'UNKNOWN_REFERENCE',
      greedy: 'RESOURCE_CAPACITY',
    });
    assert.deepEqual(
      s.assignments.map((a) => a.op),
      ['ok'],
    );
    assert.equal(s.kpis.unscheduledOperations, 7);
    assert.deepEqual(validate(p, s), []);
  });

  it('keeps a pinned operation in place and reports the precedence it breaks', () => {
    const p: Problem = {
      machines: [{ id: 'A' }, { id: 'B' }],
      jobs: [{ id: 'J' }],
      operations: [
        { id: 'a', job: 'J', modes: [{ machine: 'A', minutes: 30 }] },
        {
          id: 'b',
          job: 'J',
          modes: [{ machine: 'B', minutes: 10 }],
          lock: { kind: 'pinned', machine: 'B', start: 10 },
        },
      ],
    };
    const s = solve(p, BUDGET);
    assert.deepEqual([at(s, 'b').start, at(s, 'b').end], [10, 20]);
    assert.deepEqual(
      s.conflicts.map((c) => [c.code, c.op, c.related]),
      [['PINNED_CONFLICT', 'b', ['a']]],
    );
    assert.deepEqual(
      validate(p, s).map((v) => [v.code, v.op]),
      [['PRECEDENCE', 'b']],
    );
  });

  it('puts the heavy urgent job first when minimising weighted tardiness', () => {
    const p: Problem = {
      machines: [{ id: 'A' }],
      jobs: [
        { id: 'light', due: 100, weight: 1 },
        { id: 'heavy', due: 60, weight: 10 },
      ],
      operations: [
        { id: 'l', job: 'light', modes: [{ machine: 'A', minutes: 50 }] },
        { id: 'h', job: 'heavy', modes: [{ machine: 'A', minutes: 50 }] },
      ],
    };
    const s = solve(p, BUDGET);
    assert.equal(at(s, 'h').start, 0);
    assert.equal(s.kpis.totalWeightedTardiness, 0);
    assert.equal(s.kpis.onTimePercent, 100);
    assert.deepEqual(s.objective, [0, 0, 100, 0]);
    assert.deepEqual(s.kpis.utilization, { A: 1 });
  });

  it('orders the objective vector as configured', () => {
    const p: Problem = { ...chainProblem([[['M0', 5]], [['M0', 7]]]), objective: ['setupTime', 'makespan'] };
    assert.deepEqual(solve(p, BUDGET).objective, [0, 0, 12]);
  });

  it('stops when the injected clock says the time budget is spent', () => {
    let t = 0;
    const p = chainProblem(
      Array.from({ length: 6 }, (_, j) =>
        Array.from({ length: 6 }, (_, k): [string, number] => [
          `M${(j + k) % 6}`,
          1 + ((j * 7 + k * 3) % 11),
        ]),
      ),
    );
    const s = solve(p, { timeLimitMs: 100, now: () => (t += 1) });
    assert.ok(s.stats.iterations < 100 * 64, `ran ${s.stats.iterations} iterations`);
    assert.deepEqual(validate(p, s), []);
  });

  it('rejects structurally invalid problems with a ProblemError', () => {
    const p: Problem = { machines: [{ id: 'A' }, { id: 'A' }], jobs: [], operations: [] };
    assert.throws(() => solve(p), ProblemError);
    assert.throws(
      () => solve({ machines: [], jobs: [], operations: [{ id: 'x', job: 'nope', modes: [] }] }),
      /unknown job "nope"/,
    );
  });
});
