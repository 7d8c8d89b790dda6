import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateKey, scores, wageLines } from './pay.rules.ts';

const report = (operatorId: string, good: number, scrap: number, seq = 10) => ({
  reportId: `${operatorId}-${good}-${scrap}`,
  operatorId,
  itemId: 'I',
  itemCode: 'FG-1',
  workOrderCode: 'WO-1',
  seq,
  good,
  scrap,
  reportedAt: '2026-11-24T08:00:00.000Z',
});

describe('piece-rate pay and points', () => {
  it('pays good units at the rate and deducts scrap, rounding each line half-up to the cent', () => {
    const rates = new Map([[rateKey('I', 10), { rate: 35, scrapDeduction: 100 }]]);
    const [a, b, c] = wageLines(
      [report('u1', 40_000, 0), report('u1', 3_500, 1_000), report('u1', 1_000, 0, 20)],
      rates,
    );
    assert.deepEqual([a!.earned, a!.deducted, a!.amount], [1400, 0, 1400]);
    assert.deepEqual([b!.earned, b!.deducted, b!.amount], [123, 100, 23]); // 3.5 × 0.35 = 1.225 → 1.23
    assert.equal(c!.rated, false);
    assert.equal(c!.amount, 0);
  });

  it('awards first-pass points per clean report and on-time points per operation done by the due date', () => {
    const s = scores(
      [report('u1', 5_000, 0), report('u1', 5_000, 1_000), report('u2', 2_000, 0)],
      [
        { operatorId: 'u1', completedAt: '2026-11-24T23:00:00.000Z', dueDate: '2026-11-24' },
        { operatorId: 'u2', completedAt: '2026-11-25T01:00:00.000Z', dueDate: '2026-11-24' },
        { operatorId: 'u2', completedAt: '2026-11-20T01:00:00.000Z', dueDate: null },
      ],
      { firstPass: 2, onTime: 5, perGoodUnit: 1 },
    );
    assert.deepEqual(s, [
      { operatorId: 'u1', firstPass: 1, onTime: 1, goodUnits: 10, points: 2 + 5 + 10 },
      { operatorId: 'u2', firstPass: 1, onTime: 0, goodUnits: 2, points: 2 + 2 },
    ]);
  });
});
