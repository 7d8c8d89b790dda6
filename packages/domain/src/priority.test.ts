import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, isoDate } from './calendar.ts';
import { cents } from './money.ts';
import {
  compareByPriority,
  computePriority,
  DEFAULT_PRIORITY_CONFIG,
  makeOverride,
  type PriorityInput,
  urgencyFromSlack,
} from './priority.ts';
import { unwrap } from './result.ts';
import { minutes } from './units.ts';

const today = isoDate('2025-03-03');
const order = (over: Partial<PriorityInput> = {}): PriorityInput => ({
  id: 'WO-1',
  dueDate: addDays(today, 10),
  remainingWork: minutes(0),
  customerTier: 'B',
  orderValue: cents(0),
  ...over,
});

describe('urgency', () => {
  it('is zero beyond the horizon, at-risk at zero slack and saturates when overdue', () => {
    assert.equal(urgencyFromSlack(30), 0);
    assert.equal(urgencyFromSlack(45), 0);
    assert.equal(urgencyFromSlack(15), 0.4);
    assert.equal(urgencyFromSlack(0), 0.8);
    assert.ok(Math.abs(urgencyFromSlack(-5) - 0.9) < 1e-12);
    assert.equal(urgencyFromSlack(-10), 1);
    assert.equal(urgencyFromSlack(-400), 1);
  });

  it('grows with remaining work at the same due date', () => {
    const light = computePriority(order({ remainingWork: minutes(0) }), today);
    const heavy = computePriority(order({ remainingWork: minutes(960 * 8) }), today);
    assert.ok(heavy.score > light.score);
    assert.equal(heavy.breakdown[0]?.raw, 2);
  });
});

describe('priority score', () => {
  it('explains itself factor by factor with default weights', () => {
    const p = computePriority(order({ customerTier: 'A', orderValue: cents(5_000_000) }), today);
    assert.deepEqual(
      p.breakdown.map((b) => [b.factor, b.raw, b.weight]),
      [
        ['urgency', 10, 0.6],
        ['customer_tier', 'A', 0.25],
        ['order_value', 5_000_000, 0.15],
      ],
    );
    // urgency 0.8 × (1 − 10/30) = 0.5333 → 32 points; tier 25; value 0.5 × 15 = 7.5
    assert.equal(p.score, 64.5);
    assert.equal(p.overridden, false);
    const sum = p.breakdown.reduce((s, b) => s + b.contribution, 0);
    assert.ok(Math.abs(sum - p.score) < 0.01);
  });

  it('uses only the ratios of configured weights', () => {
    const config = {
      ...DEFAULT_PRIORITY_CONFIG,
      weights: { urgency: 6, customerTier: 2.5, orderValue: 1.5 },
    };
    assert.equal(computePriority(order(), today, config).score, computePriority(order(), today).score);
  });

  it('stays within 0 to 100 for any input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -400, max: 400 }),
        fc.nat({ max: 1_000_000 }),
        fc.constantFrom('A', 'B', 'C') as fc.Arbitrary<'A' | 'B' | 'C'>,
        fc.nat({ max: 1e12 }),
        (dueIn, work, tier, value) => {
          const p = computePriority(
            order({
              dueDate: addDays(today, dueIn),
              remainingWork: minutes(work),
              customerTier: tier,
              orderValue: cents(value),
            }),
            today,
          );
          assert.ok(p.score >= 0 && p.score <= 100);
          assert.ok(p.breakdown.every((b) => b.normalised >= 0 && b.normalised <= 1));
        },
      ),
    );
  });

  it('refuses weights that cannot rank anything', () => {
    const zero = { ...DEFAULT_PRIORITY_CONFIG, weights: { urgency: 0, customerTier: 0, orderValue: 0 } };
    assert.throws(() => computePriority(order(), today, zero), RangeError);
  });
});

describe('manual overrides', () => {
  it('pins the score and keeps the computed one for reference', () => {
    const p = computePriority(order({ override: unwrap(makeOverride('pin', 99, '老板插单')) }), today);
    assert.equal(p.score, 99);
    assert.equal(p.overridden, true);
    assert.ok(p.computedScore < 99);
  });

  it('adds a bonus and clamps to the range', () => {
    const base = computePriority(order(), today).score;
    const p = computePriority(order({ override: unwrap(makeOverride('bonus', 10, '样品单')) }), today);
    assert.equal(p.score, Math.round((base + 10) * 100) / 100);
    const capped = computePriority(order({ override: unwrap(makeOverride('bonus', 100, '停线')) }), today);
    assert.equal(capped.score, 100);
  });

  it('needs a reason and a value in range', () => {
    const noReason = makeOverride('pin', 50, ' ');
    assert.equal(!noReason.ok && noReason.code, 'REASON_REQUIRED');
    const tooHigh = makeOverride('pin', 101, '急');
    assert.equal(!tooHigh.ok && tooHigh.code, 'OVERRIDE_OUT_OF_RANGE');
  });
});

describe('ordering by priority', () => {
  it('sorts by score, then due date, then id', () => {
    const rows = [
      { id: 'b', score: 50, dueDate: isoDate('2025-03-05') },
      { id: 'a', score: 50, dueDate: isoDate('2025-03-05') },
      { id: 'c', score: 50, dueDate: isoDate('2025-03-04') },
      { id: 'd', score: 70, dueDate: isoDate('2025-04-01') },
    ];
    assert.deepEqual(
      rows.toSorted(compareByPriority).map((r) => r.id),
      ['d', 'c', 'a', 'b'],
    );
  });

  it('is a total order that gives the same result whatever the input order', () => {
    const row = fc.record({
      id: fc.string({ maxLength: 3 }),
      score: fc.integer({ min: 0, max: 3 }).map((n) => n * 25),
      dueDate: fc.integer({ min: 0, max: 3 }).map((n) => addDays(today, n)),
    });
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.id }), (rows) => {
        const once = rows.toSorted(compareByPriority);
        assert.deepEqual(rows.toReversed().toSorted(compareByPriority), once);
        for (const a of rows) {
          assert.equal(compareByPriority(a, a), 0);
          for (const b of rows) {
            assert.equal(Math.sign(compareByPriority(a, b)) + Math.sign(compareByPriority(b, a)), 0);
            if (a !== b) assert.notEqual(compareByPriority(a, b), 0);
          }
        }
      }),
    );
  });
});
