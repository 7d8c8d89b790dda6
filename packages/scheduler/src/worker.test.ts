import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Problem } from './model.ts';
import { solve } from './solve.ts';
import { randomProblem } from './testing/random-problem.ts';
import { validate } from './validate.ts';
import { repairInWorker, solveInWorker } from './worker.ts';

const problem: Problem = randomProblem({
  seed: 42,
  machines: 3,
  jobs: 5,
  maxOps: 4,
  calendars: true,
  setups: true,
  resources: true,
  parallel: true,
  dag: true,
  lags: true,
  dueDates: true,
});

describe('worker thread wrapper', () => {
  it('solves in a worker exactly as on the main thread', async () => {
    const options = { seed: 4, maxIterations: 5 };
    const schedule = await solveInWorker(problem, options);
    assert.deepEqual(schedule, solve(problem, options));
    assert.deepEqual(validate(problem, schedule), []);
  });

  it('repairs in a worker', async () => {
    const before = solve(problem, { maxIterations: 3 });
    const r = await repairInWorker(
      problem,
      before,
      { type: 'breakdown', machine: 'm0', start: 0, end: 100 },
      { currentTime: 0, frozenHorizon: 0 },
    );
    assert.deepEqual(validate(r.problem, r.schedule), []);
  });

  it('rejects the promise when the problem is invalid', async () => {
    await assert.rejects(
      solveInWorker({ machines: [{ id: 'A' }, { id: 'A' }], jobs: [], operations: [] }),
      /duplicate machine id "A"/,
    );
  });
});
