import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkOperations,
  findOperationCycle,
  formatRunMinutes,
  parseRunMinutes,
  resolvePredecessors,
  runMinutesFor,
} from './routing.rules.ts';

describe('routing rules', () => {
  it('makes each operation without predecessors follow the previous one in sequence', () => {
    const ops = [{ seq: 20 }, { seq: 10 }, { seq: 30, predecessors: [] }];
    assert.deepEqual(resolvePredecessors(ops), [[10], [], []]);
  });

  it('accepts a DAG where two operations join into one', () => {
    const ops = [
      { seq: 10, predecessors: [] },
      { seq: 20, predecessors: [] },
      { seq: 30, predecessors: [10, 20] },
    ];
    const preds = resolvePredecessors(ops);
    assert.deepEqual(checkOperations(ops, preds), []);
    assert.equal(findOperationCycle(ops, preds), null);
  });

  it('finds a cycle and spells it out by seq numbers', () => {
    const ops = [{ seq: 10, predecessors: [30] }, { seq: 20 }, { seq: 30 }];
    assert.deepEqual(findOperationCycle(ops, resolvePredecessors(ops)), [10, 20, 30, 10]);
  });

  it('names duplicate seq numbers, unknown and self predecessors by field', () => {
    const ops = [{ seq: 10 }, { seq: 10 }, { seq: 20, predecessors: [20, 99] }];
    assert.deepEqual(
      checkOperations(ops, resolvePredecessors(ops)).map((p) => p.field),
      ['/operations/1/seq', '/operations/2/predecessors/0', '/operations/2/predecessors/1'],
    );
  });

  it('keeps run minutes exact and rounds the duration up once, after efficiency', () => {
    assert.equal(parseRunMinutes('1.25'), 1250);
    assert.equal(parseRunMinutes('0.125'), 125);
    assert.equal(formatRunMinutes(1250), '1.25');
    assert.equal(formatRunMinutes(3000), '3');
    // 100 pcs × 1.25 min = 125 min at 100 %; at 80 % 156.25 → 157.
    assert.equal(runMinutesFor(100_000, 1250, 10000), 125);
    assert.equal(runMinutesFor(100_000, 1250, 8000), 157);
    assert.equal(runMinutesFor(1, 125, 10000), 1);
    assert.equal(runMinutesFor(0, 125, 10000), 0);
  });
});
