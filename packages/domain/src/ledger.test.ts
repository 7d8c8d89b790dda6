import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyMove,
  balanceKey,
  MOVE_KINDS,
  MOVE_SIDES,
  type MoveInput,
  reversalOf,
  validateMove,
} from './ledger.ts';
import { qty } from './quantity.ts';

const base: MoveInput = {
  kind: 'receipt',
  itemId: 'I',
  qty: qty(5000),
  fromLocationId: null,
  toLocationId: 'L1',
  lot: '',
  reason: null,
};

describe('inventory ledger rules', () => {
  it('requires exactly the sides each kind of move has', () => {
    for (const kind of MOVE_KINDS) {
      const sides = MOVE_SIDES[kind];
      const move: MoveInput = {
        ...base,
        kind,
        fromLocationId: sides.from ? 'L1' : null,
        toLocationId: sides.to ? 'L2' : null,
        reason: 'count',
      };
      assert.equal(validateMove(move, { lotTracked: false }).ok, true, kind);
      const missing = { ...move, fromLocationId: sides.from ? null : 'L9' };
      assert.equal(validateMove(missing, { lotTracked: false }).ok, false, kind);
    }
  });

  it('refuses zero quantities, same-location transfers, reasonless scrap and missing lots', () => {
    const code = (m: MoveInput, lotTracked = false) => {
      const r = validateMove(m, { lotTracked });
      return r.ok ? 'ok' : r.code;
    };
    assert.equal(code({ ...base, qty: qty(0) }), 'MOVE_QTY_NOT_POSITIVE');
    assert.equal(
      code({ ...base, kind: 'transfer', fromLocationId: 'L1', toLocationId: 'L1' }),
      'MOVE_SAME_LOCATION',
    );
    assert.equal(
      code({ ...base, kind: 'scrap', fromLocationId: 'L1', toLocationId: null }),
      'MOVE_REASON_REQUIRED',
    );
    assert.equal(code(base, true), 'LOT_REQUIRED');
  });

  it('never lets a balance go negative and changes nothing when it refuses', () => {
    const start = new Map([[balanceKey('I', 'L1', ''), 3000]]);
    const r = applyMove(start, { ...base, kind: 'issue', fromLocationId: 'L1', toLocationId: null });
    assert.equal(r.ok, false);
    assert.equal(start.get(balanceKey('I', 'L1', '')), 3000);
  });

  it('undoes any move with its reversal', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MOVE_KINDS), fc.integer({ min: 1, max: 1_000_000 }), (kind, n) => {
        const sides = MOVE_SIDES[kind];
        const move: MoveInput = {
          ...base,
          kind,
          qty: qty(n),
          fromLocationId: sides.from ? 'A' : null,
          toLocationId: sides.to ? 'B' : null,
          reason: 'x',
        };
        const start = new Map([
          [balanceKey('I', 'A', ''), 2_000_000],
          [balanceKey('I', 'B', ''), 2_000_000],
        ]);
        const after = applyMove(start, move);
        assert.ok(after.ok);
        const back = applyMove(after.value, reversalOf(move, 'undo'));
        assert.ok(back.ok);
        assert.deepEqual([...back.value].sort(), [...start].sort());
      }),
    );
  });
});
