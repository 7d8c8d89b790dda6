import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compile } from './compile.ts';
import type { Assignment, Problem, Schedule } from './model.ts';
import { type RepairEvent, repair } from './repair.ts';
import { createRng } from './rng.ts';
import { solve } from './solve.ts';
import { randomProblem } from './testing/random-problem.ts';
import { validate } from './validate.ts';

const shapeArb = fc.record({
  seed: fc.integer(),
  machines: fc.integer({ min: 1, max: 4 }),
  jobs: fc.integer({ min: 1, max: 5 }),
  maxOps: fc.integer({ min: 1, max: 4 }),
  calendars: fc.boolean(),
  setups: fc.boolean(),
  resources: fc.boolean(),
  parallel: fc.boolean(),
  dag: fc.boolean(),
  lags: fc.boolean(),
  dueDates: fc.boolean(),
});

/** PROPERTY_RUNS=2000 runs a deeper search than the default. */
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) };
const BUDGET = { seed: 3, maxIterations: 6 };

function assertFeasible(problem: Problem, schedule: Schedule): void {
  const violations = validate(problem, schedule);
  assert.deepEqual(violations, [], JSON.stringify({ problem, schedule }));
}

/** Pins a random operation and all its ancestors where the schedule put them. */
function pinSome(problem: Problem, schedule: Schedule, seed: number): Problem {
  const c = compile(problem);
  const rng = createRng(seed);
  const at = new Map(schedule.assignments.map((a) => [a.op, a]));
  const pinned = new Set<number>();
  const stack = [rng.int(c.ops.length), rng.int(c.ops.length)];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (pinned.has(i) || !at.has(c.ops[i]!.id)) continue;
    pinned.add(i);
    for (const l of c.ops[i]!.preds) stack.push(l.op);
  }
  return {
    ...problem,
    operations: problem.operations.map((o, i) => {
      const a = at.get(o.id);
      if (!pinned.has(i) || !a) return o;
      return {
        ...o,
        lock: {
          kind: 'pinned',
          machine: a.machine,
          unit: a.unit,
          start: a.start,
          end: a.end,
          setupMinutes: a.setupMinutes,
        },
      };
    }),
  };
}

function randomEvent(problem: Problem, schedule: Schedule, seed: number, now: number): RepairEvent {
  const rng = createRng(seed);
  const kind = rng.int(4);
  const running = schedule.assignments.filter((a) => a.start <= now && a.end > now);
  if (kind === 1) {
    const id = `rush${seed}`;
    const m = problem.machines[rng.int(problem.machines.length)]!.id;
    return {
      type: 'rushOrder',
      job: { id, release: now, due: now + 100, weight: 5 },
      operations: [
        { id: `${id}a`, job: id, modes: [{ machine: m, minutes: 1 + rng.int(40) }] },
        {
          id: `${id}b`,
          job: id,
          modes: problem.machines.map((x) => ({ machine: x.id, minutes: 1 + rng.int(40) })),
        },
      ],
    };
  }
  if (kind === 2)
    return {
      type: 'shortage',
      job: problem.jobs[rng.int(problem.jobs.length)]!.id,
      release: now + rng.int(200),
    };
  if (kind === 3 && running.length > 0) {
    const a = running[rng.int(running.length)]!;
    return { type: 'lateReport', op: a.op, end: a.end + 1 + rng.int(60) };
  }
  const start = now + rng.int(100);
  return {
    type: 'breakdown',
    machine: problem.machines[rng.int(problem.machines.length)]!.id,
    start,
    end: start + 1 + rng.int(200),
  };
}

const same = (a: Assignment, b: Assignment | undefined): boolean =>
  b !== undefined &&
  a.machine === b.machine &&
  a.unit === b.unit &&
  a.start === b.start &&
  a.setupMinutes === b.setupMinutes;

/** Violations are allowed only on pinned operations that the schedule reports as conflicts. */
function assertFeasibleExceptDeclared(problem: Problem, schedule: Schedule): void {
  const declared = new Set(schedule.conflicts.filter((c) => c.code === 'PINNED_CONFLICT').map((c) => c.op));
  const violations = validate(problem, schedule).filter((v) => !declared.has(v.op));
  assert.deepEqual(violations, [], JSON.stringify({ problem, schedule }));
}

describe('properties of solve and repair on random problems', () => {
  it('every schedule produced by solve passes the validator', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const problem = randomProblem(shape);
        assertFeasible(problem, solve(problem, BUDGET));
      }),
      RUNS,
    );
  });

  it('pinned operations stay put and the rest still passes the validator', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const problem = randomProblem(shape);
        const pinnedProblem = pinSome(problem, solve(problem, BUDGET), shape.seed);
        const schedule = solve(pinnedProblem, BUDGET);
        assertFeasible(pinnedProblem, schedule);
        assert.equal(schedule.conflicts.filter((c) => c.code === 'PINNED_CONFLICT').length, 0);
      }),
      RUNS,
    );
  });

  it('the same seed and iteration budget give byte-identical output', () => {
    fc.assert(
      fc.property(shapeArb, fc.boolean(), (shape, pure) => {
        const problem = pure
          ? randomProblem({
              ...shape,
              calendars: false,
              setups: false,
              resources: false,
              parallel: false,
              dag: false,
              lags: false,
              dueDates: false,
            })
          : randomProblem(shape);
        const a = JSON.stringify(solve(problem, { seed: 11, maxIterations: 200 }));
        const b = JSON.stringify(solve(problem, { seed: 11, maxIterations: 200 }));
        assert.equal(a, b);
      }),
      { numRuns: 60 },
    );
  });

  it('repair passes the validator and leaves every operation inside the frozen horizon untouched', () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 200 }),
        (shape, nowPermille, horizon) => {
          const problem = randomProblem(shape);
          const before = solve(problem, BUDGET);
          const now = Math.floor((before.kpis.makespan * nowPermille) / 1000);
          const event = randomEvent(problem, before, shape.seed, now);
          const result = repair(problem, before, event, { currentTime: now, frozenHorizon: horizon });
          assertFeasible(result.problem, result.schedule);
          const after = new Map(result.schedule.assignments.map((a) => [a.op, a]));
          for (const a of before.assignments) {
            if (a.start >= now + horizon) continue;
            const b = after.get(a.op);
            assert.ok(same(a, b), `frozen ${a.op} moved: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
            if (event.type !== 'lateReport' || event.op !== a.op) assert.equal(b!.end, a.end);
          }
          const moved = before.assignments.filter((a) => {
            const b = after.get(a.op);
            return !b || !same(a, b) || b.end !== a.end;
          });
          assert.equal(result.moved.length, moved.length);
        },
      ),
      RUNS,
    );
  });

  it('repair of a schedule with pinned operations keeps the pins and breaks only what it reports', () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 200 }),
        (shape, nowPermille, horizon) => {
          const base = randomProblem(shape);
          const problem = pinSome(base, solve(base, BUDGET), shape.seed + 1);
          const before = solve(problem, BUDGET);
          const now = Math.floor((before.kpis.makespan * nowPermille) / 1000);
          const event = randomEvent(problem, before, shape.seed, now);
          const result = repair(problem, before, event, { currentTime: now, frozenHorizon: horizon });
          assertFeasibleExceptDeclared(result.problem, result.schedule);
          const after = new Map(result.schedule.assignments.map((a) => [a.op, a]));
          for (const o of problem.operations) {
            const a = before.assignments.find((x) => x.op === o.id);
            if (o.lock && a) assert.ok(same(a, after.get(o.id)), `pinned ${o.id} moved`);
          }
        },
      ),
      RUNS,
    );
  });
});
