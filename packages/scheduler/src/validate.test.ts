import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assignment, Problem } from './model.ts';
import { validate } from './validate.ts';

const problem: Problem = {
  machines: [
    {
      id: 'A',
      calendar: [
        { start: 0, end: 100 },
        { start: 200, end: 300 },
      ],
    },
    { id: 'B', capacity: 2 },
  ],
  resources: [{ id: 'mold', count: 1 }],
  setups: [{ from: 'f1', to: 'f2', minutes: 10 }],
  jobs: [{ id: 'J1', release: 5, due: 100 }, { id: 'J2' }],
  operations: [
    {
      id: 'J1.a',
      job: 'J1',
      modes: [{ machine: 'A', minutes: 20 }],
      setupFamily: 'f1',
      resources: [{ resource: 'mold' }],
    },
    {
      id: 'J1.b',
      job: 'J1',
      modes: [
        { machine: 'A', minutes: 30 },
        { machine: 'B', minutes: 35 },
      ],
      setupFamily: 'f2',
      predecessors: [{ op: 'J1.a', minLag: 5 }],
    },
    { id: 'J2.a', job: 'J2', modes: [{ machine: 'B', minutes: 40 }], resources: [{ resource: 'mold' }] },
    {
      id: 'J2.b',
      job: 'J2',
      modes: [{ machine: 'B', minutes: 10 }],
      lock: { kind: 'pinned', machine: 'B', unit: 1, start: 150 },
    },
  ],
};

const mold = [{ resource: 'mold', count: 1 }];
const good: Assignment[] = [
  { op: 'J1.a', machine: 'A', unit: 0, start: 5, end: 25, setupMinutes: 0, resources: mold },
  { op: 'J1.b', machine: 'A', unit: 0, start: 30, end: 70, setupMinutes: 10, resources: [] },
  { op: 'J2.a', machine: 'B', unit: 0, start: 25, end: 65, setupMinutes: 0, resources: mold },
  { op: 'J2.b', machine: 'B', unit: 1, start: 150, end: 160, setupMinutes: 0, resources: [] },
];

function withChange(op: string, change: Partial<Assignment>): Assignment[] {
  return good.map((a) => (a.op === op ? { ...a, ...change } : a));
}

function codes(
  assignments: Assignment[],
  conflicts: { code: 'NO_ELIGIBLE_MACHINE'; op: string; message: string }[] = [],
) {
  return validate(problem, { assignments, conflicts }).map((v) => v.code);
}

describe('validator', () => {
  it('accepts a feasible hand-made schedule', () => {
    assert.deepEqual(validate(problem, { assignments: good }), []);
  });

  it('reports operations that are neither scheduled nor declared, and accepts declared ones', () => {
    const rest = good.filter((a) => a.op !== 'J1.b');
    assert.deepEqual(codes(rest), ['MISSING_OPERATION']);
    assert.deepEqual(codes(rest, [{ code: 'NO_ELIGIBLE_MACHINE', op: 'J1.b', message: '' }]), []);
  });

  it('reports unknown and duplicated assignments', () => {
    assert.ok(codes([...good, { ...good[0]!, op: 'X' }]).includes('UNKNOWN_OPERATION'));
    assert.ok(codes([...good, good[0]!]).includes('DUPLICATE_ASSIGNMENT'));
  });

  it('reports an operation on a machine it is not eligible for', () => {
    assert.ok(
      codes(withChange('J1.a', { machine: 'B', unit: 1, start: 5, end: 25 })).includes('NOT_ELIGIBLE'),
    );
  });

  it('reports a unit beyond the machine capacity', () => {
    assert.deepEqual(codes(withChange('J2.a', { unit: 2 })), ['BAD_UNIT']);
  });

  it('reports a duration that is not setup plus processing', () => {
    assert.deepEqual(codes(withChange('J2.a', { end: 60 })), ['DURATION']);
  });

  it('reports a sequence-dependent setup that was not reserved', () => {
    assert.deepEqual(codes(withChange('J1.b', { setupMinutes: 0, end: 60 })), ['SETUP']);
  });

  it('reports two operations overlapping on one unit', () => {
    const broken = withChange('J2.a', { unit: 1, start: 140, end: 180 });
    assert.ok(codes(broken).includes('MACHINE_OVERLAP'));
  });

  it('reports an operation crossing a calendar gap', () => {
    assert.deepEqual(codes(withChange('J1.b', { start: 80, end: 120 })), ['CALENDAR']);
  });

  it('reports a precedence lag that is not respected', () => {
    assert.deepEqual(codes(withChange('J1.b', { start: 28, end: 68 })), ['PRECEDENCE']);
  });

  it('reports a start before the job release', () => {
    assert.deepEqual(codes(withChange('J1.a', { start: 4, end: 24 })), ['RELEASE']);
  });

  it('reports every operation sharing a secondary resource beyond its count', () => {
    const violations = validate(problem, { assignments: withChange('J2.a', { start: 10, end: 50 }) });
    assert.deepEqual(
      violations.map((v) => [v.code, v.op]),
      [
        ['RESOURCE', 'J1.a'],
        ['RESOURCE', 'J2.a'],
      ],
    );
  });

  it('reports a pinned operation that was moved', () => {
    assert.deepEqual(codes(withChange('J2.b', { start: 151, end: 161 })), ['LOCK_MOVED']);
  });

  it('takes frozen operations as facts but still requires them to stay put', () => {
    const frozen: Problem = {
      ...problem,
      operations: problem.operations.map((o) =>
        o.id === 'J1.b'
          ? { ...o, lock: { kind: 'frozen', machine: 'A', start: 90, end: 130, setupMinutes: 10 } }
          : o,
      ),
    };
    const schedule = withChange('J1.b', { start: 90, end: 130 });
    assert.deepEqual(validate(frozen, { assignments: schedule }), []);
    assert.deepEqual(
      validate(frozen, { assignments: withChange('J1.b', { start: 91, end: 131 }) }).map((v) => v.code),
      ['LOCK_MOVED'],
    );
  });

  it('lets operations of no length share an instant in any order, needing no setup and changing none', () => {
    const zero: Problem = {
      machines: [{ id: 'M', initialFamily: 'f1' }],
      setups: [
        { from: 'f1', to: 'f2', minutes: 18 },
        { from: 'f2', to: 'f1', minutes: 18 },
      ],
      jobs: [{ id: 'J' }],
      operations: [
        { id: 'a', job: 'J', modes: [{ machine: 'M', minutes: 10 }], setupFamily: 'f1' },
        { id: 'z1', job: 'J', modes: [{ machine: 'M', minutes: 0 }], setupFamily: 'f2' },
        { id: 'z2', job: 'J', modes: [{ machine: 'M', minutes: 0 }], setupFamily: 'f1' },
        { id: 'b', job: 'J', modes: [{ machine: 'M', minutes: 10 }], setupFamily: 'f1' },
      ],
    };
    const at = (op: string, start: number, end: number): Assignment => ({
      op,
      machine: 'M',
      unit: 0,
      start,
      end,
      setupMinutes: 0,
      resources: [],
    });
    // Listed either way round at 10: z1 (f2) reserves no setup, and b still follows a (f1).
    for (const order of [
      ['z1', 'z2'],
      ['z2', 'z1'],
    ]) {
      const assignments = [at('a', 0, 10), ...order.map((op) => at(op, 10, 10)), at('b', 10, 20)];
      assert.deepEqual(validate(zero, { assignments }), [], order.join());
    }
    // An operation that takes time after them still needs the setup from the last one that did.
    const f2: Problem = {
      ...zero,
      operations: zero.operations.map((o) => (o.id === 'b' ? { ...o, setupFamily: 'f2' } : o)),
    };
    assert.deepEqual(
      validate(f2, {
        assignments: [at('a', 0, 10), at('z1', 10, 10), at('z2', 10, 10), at('b', 10, 20)],
      }).map((v) => v.code),
      ['SETUP'],
    );
  });
});
