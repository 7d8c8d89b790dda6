import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addCents,
  allocateCents,
  type Cents,
  cents,
  formatMoney,
  lineAmount,
  mulCents,
  parseMoney,
  subCents,
  sumCents,
} from './money.ts';
import { parseQty, type Qty, qty } from './quantity.ts';

const m = (text: string): Cents => {
  const r = parseMoney(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const q = (text: string): Qty => {
  const r = parseQty(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('money parsing and formatting', () => {
  it('parses amounts into cents', () => {
    assert.deepEqual(parseMoney('12.3'), { ok: true, value: 1230 });
    assert.deepEqual(parseMoney('-0.01'), { ok: true, value: -1 });
    assert.deepEqual(parseMoney('100'), { ok: true, value: 10000 });
  });

  it('refuses sub-cent amounts, junk and overflow with distinct codes', () => {
    const code = (text: string) => {
      const r = parseMoney(text);
      return r.ok ? 'ok' : r.code;
    };
    assert.equal(code('1.005'), 'MONEY_TOO_PRECISE');
    assert.equal(code('¥12'), 'MONEY_INVALID');
    assert.equal(code('1,200.00'), 'MONEY_INVALID');
    assert.equal(code('99999999999999999'), 'MONEY_OUT_OF_RANGE');
  });

  it('always formats two decimals', () => {
    assert.equal(formatMoney(m('12.3')), '12.30');
    assert.equal(formatMoney(m('-0.05')), '-0.05');
    assert.equal(formatMoney(m('7')), '7.00');
  });

  it('round-trips every safe amount through format and parse', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        assert.deepEqual(parseMoney(formatMoney(cents(n))), { ok: true, value: n });
      }),
    );
  });

  it('adds, subtracts, multiplies and sums exactly', () => {
    assert.equal(addCents(m('0.1'), m('0.2')), m('0.3'));
    assert.equal(subCents(m('10'), m('0.01')), m('9.99'));
    assert.equal(mulCents(m('19.99'), 3), m('59.97'));
    assert.equal(sumCents([m('1.11'), m('2.22'), m('3.33')]), m('6.66'));
  });
});

describe('line amounts', () => {
  it('multiplies quantity by unit price and rounds half-up by default', () => {
    // 2.5 kg × 3.33 = 8.325 → 8.33
    assert.equal(lineAmount(q('2.5'), m('3.33')), m('8.33'));
    assert.equal(lineAmount(q('2.5'), m('3.33'), { rounding: 'half_even' }), m('8.32'));
    assert.equal(lineAmount(q('-2.5'), m('3.33')), m('-8.33'));
  });

  it('keeps sub-cent piece prices exact by pricing per thousand', () => {
    // Resistors at 3.50 per 1000 pcs; 2,345 pcs cost 8.2075 → 8.21
    assert.equal(lineAmount(q('2345'), m('3.50'), { per: q('1000') }), m('8.21'));
    assert.equal(lineAmount(q('2345'), m('3.50'), { per: q('1000'), rounding: 'floor' }), m('8.20'));
  });

  it('stays exact where the intermediate product exceeds 2^53', () => {
    // 1,000,000 units × 9,999,999.99: thousandths × cents is about 10^18, far beyond 2^53.
    assert.equal(lineAmount(q('1000000'), m('9999999.99')), m('9999999990000'));
  });

  it('refuses a zero price unit because that is a bug', () => {
    assert.throws(() => lineAmount(q('1'), m('1'), { per: qty(0) }), RangeError);
  });
});

describe('money allocation', () => {
  it('splits 100.00 over three lines to the cent', () => {
    assert.deepEqual(allocateCents(m('100'), [1, 1, 1]), [3334, 3333, 3333]);
  });

  it('splits freight by line value without losing a cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.nat({ max: 1e9 }), { minLength: 1, maxLength: 30 }).filter((ws) => ws.some((w) => w > 0)),
        (total, weights) => {
          const parts = allocateCents(cents(total), weights);
          assert.equal(
            parts.reduce((s, p) => s + p, 0),
            total,
          );
          assert.ok(parts.every((p) => p >= 0));
        },
      ),
    );
  });
});
