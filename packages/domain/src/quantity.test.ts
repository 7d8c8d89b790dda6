import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addQty,
  allocateQty,
  convertQty,
  formatQty,
  invertFactor,
  mulQty,
  parseQty,
  type Qty,
  qty,
  qtyFromUnits,
  roundQty,
  subQty,
  sumQty,
  unitFactor,
} from './quantity.ts';

const q = (text: string): Qty => {
  const r = parseQty(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('quantity parsing and formatting', () => {
  it('parses API decimal strings into thousandths', () => {
    assert.deepEqual(parseQty('12.5'), { ok: true, value: 12500 });
    assert.deepEqual(parseQty('0.001'), { ok: true, value: 1 });
    assert.deepEqual(parseQty('-3'), { ok: true, value: -3000 });
    assert.deepEqual(parseQty('007.250'), { ok: true, value: 7250 });
  });

  it('reads negative zero as plain zero', () => {
    const r = parseQty('-0.000');
    assert.ok(r.ok);
    assert.ok(Object.is(r.value, 0));
  });

  it('refuses more than three decimals even when they are zeros', () => {
    for (const text of ['1.2345', '1.0000']) {
      const r = parseQty(text);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.code, 'QTY_TOO_PRECISE');
    }
  });

  it('refuses text that is not a plain decimal number', () => {
    for (const text of ['', 'abc', '1e3', '1,000', ' 1', '1.', '.5', '--1', 'NaN', 'Infinity', '１２']) {
      const r = parseQty(text);
      assert.equal(!r.ok && r.code, 'QTY_INVALID', text);
    }
  });

  it('refuses quantities beyond the safe integer range', () => {
    assert.equal(parseQty('9007199254740.991').ok, true);
    for (const text of ['9007199254740.992', '99999999999999999', '123456789012345678901234567890']) {
      const r = parseQty(text);
      assert.equal(!r.ok && r.code, 'QTY_OUT_OF_RANGE', text);
    }
  });

  it('formats without floating point noise and trims trailing zeros', () => {
    assert.equal(formatQty(q('0.1')), '0.1');
    assert.equal(formatQty(addQty(q('0.1'), q('0.2'))), '0.3');
    assert.equal(formatQty(q('-0.005')), '-0.005');
    assert.equal(formatQty(q('12')), '12');
    assert.equal(formatQty(q('12'), 3), '12.000');
    assert.equal(formatQty(q('9007199254740.991')), '9007199254740.991');
  });

  it('round-trips every safe quantity through format and parse', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const value = qty(n);
        assert.deepEqual(parseQty(formatQty(value)), { ok: true, value });
      }),
    );
  });

  it('formats whole quantities as plain integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_007_199_254_740, max: 9_007_199_254_740 }), (whole) => {
        assert.equal(formatQty(q(String(whole))), String(whole));
        assert.equal(formatQty(q(String(whole)), 3), `${whole}.000`);
      }),
    );
    assert.equal(formatQty(q('-0')), '0');
  });

  it('round-trips every canonical decimal string through parse and format', () => {
    const canonical = fc
      .tuple(fc.boolean(), fc.nat({ max: 999_999_999_999 }), fc.nat({ max: 999 }))
      .map(([neg, whole, frac]) => {
        const f = String(frac).padStart(3, '0').replace(/0+$/, '');
        const text = f.length > 0 ? `${whole}.${f}` : `${whole}`;
        return neg && (whole > 0 || frac > 0) ? `-${text}` : text;
      });
    fc.assert(
      fc.property(canonical, (text) => {
        assert.equal(formatQty(q(text)), text);
      }),
    );
  });
});

describe('quantity arithmetic', () => {
  it('adds, subtracts and multiplies by whole numbers exactly', () => {
    assert.equal(addQty(q('0.1'), q('0.2')), q('0.3'));
    assert.equal(subQty(q('1'), q('0.999')), q('0.001'));
    assert.equal(mulQty(q('0.333'), 3), q('0.999'));
    assert.equal(sumQty([q('1.5'), q('2.25'), q('-0.75')]), q('3'));
    assert.equal(qtyFromUnits(12), 12000);
  });

  it('throws when a result leaves the safe integer range because that is a bug', () => {
    assert.throws(() => addQty(qty(Number.MAX_SAFE_INTEGER), qty(1)), RangeError);
    assert.throws(() => mulQty(q('1'), 1.5), RangeError);
    assert.throws(() => qty(0.5), RangeError);
  });

  it('rounds to whole units for units that only exist whole', () => {
    assert.equal(roundQty(q('2.5'), 0, 'half_even'), q('2'));
    assert.equal(roundQty(q('3.5'), 0, 'half_even'), q('4'));
    assert.equal(roundQty(q('2.5'), 0, 'half_up'), q('3'));
    assert.equal(roundQty(q('-2.5'), 0, 'half_up'), q('-3'));
    assert.equal(roundQty(q('2.001'), 0, 'ceil'), q('3'));
    assert.equal(roundQty(q('2.999'), 0, 'floor'), q('2'));
    assert.equal(roundQty(q('1.25'), 1, 'half_even'), q('1.2'));
  });
});

describe('unit conversion', () => {
  const box = unitFactor(12, 1); // 1 box = 12 pcs

  it('converts boxes to pieces exactly', () => {
    assert.equal(convertQty(q('2.5'), box, 'half_up'), q('30'));
  });

  it('rounds pieces to boxes explicitly as the caller asks', () => {
    const pcsToBox = invertFactor(box);
    assert.equal(convertQty(q('1'), pcsToBox, 'half_up'), q('0.083'));
    assert.equal(convertQty(q('1'), pcsToBox, 'ceil'), q('0.084'));
    assert.equal(convertQty(q('13'), pcsToBox, 'floor'), q('1.083'));
  });

  it('converts a wire between kilograms and metres with a rational factor', () => {
    const kgToM = unitFactor(714, 10); // 1 kg = 71.4 m, reduced to 357/5
    assert.deepEqual(kgToM, { num: 357, den: 5 });
    assert.equal(convertQty(q('2.5'), kgToM, 'half_even'), q('178.5'));
    assert.equal(convertQty(q('100'), invertFactor(kgToM), 'half_even'), q('1.401'));
  });

  it('refuses factors that are not positive integers', () => {
    assert.throws(() => unitFactor(0, 1), RangeError);
    assert.throws(() => unitFactor(1.5, 1), RangeError);
    assert.throws(() => unitFactor(1, -2), RangeError);
  });

  it('comes back within one unit of rounding after converting there and back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e10, max: 1e10 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom('half_up', 'half_even') as fc.Arbitrary<'half_up' | 'half_even'>,
        (n, num, den, rounding) => {
          const f = unitFactor(num, den);
          const back = convertQty(convertQty(qty(n), f, rounding), invertFactor(f), rounding);
          // One rounding step in the target unit is worth den/num source thousandths.
          const step = Math.max(1, Math.ceil(f.den / f.num));
          assert.ok(Math.abs(back - n) <= step, `${n} → ${back} with ${num}/${den}`);
        },
      ),
    );
  });
});

describe('quantity allocation', () => {
  it('splits 10 pieces over three equal parts without losing one', () => {
    assert.deepEqual(allocateQty(q('0.01'), [1, 1, 1]), [4, 3, 3]);
  });

  it('gives leftover units to the largest remainders', () => {
    // 100 by 1:2:3 → 16.67, 33.33, 50 → 17, 33, 50
    assert.deepEqual(allocateQty(qty(100), [1, 2, 3]), [17, 33, 50]);
  });

  it('gives nothing to parts with zero weight', () => {
    assert.deepEqual(allocateQty(qty(5), [0, 3, 0, 3]), [0, 3, 0, 2]);
  });

  it('splits negative totals like positive ones', () => {
    assert.deepEqual(allocateQty(qty(-10), [1, 1, 1]), [-4, -3, -3]);
  });

  it('throws when there is nothing to allocate by', () => {
    assert.throws(() => allocateQty(qty(5), []), RangeError);
    assert.throws(() => allocateQty(qty(5), [0, 0]), RangeError);
    assert.throws(() => allocateQty(qty(5), [1, -1]), RangeError);
  });

  it('always sums exactly to the total and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.array(fc.nat({ max: 1e9 }), { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => w > 0)),
        (total, weights) => {
          const parts = allocateQty(qty(total), weights);
          assert.equal(
            parts.reduce((s, p) => s + p, 0),
            total,
          );
          const sum = weights.reduce((s, w) => s + w, 0);
          parts.forEach((p, i) => {
            const exact = (total * (weights[i] ?? 0)) / sum;
            assert.ok(Math.abs(p - exact) < 1 + 1e-6 * Math.abs(exact));
          });
        },
      ),
    );
  });
});
