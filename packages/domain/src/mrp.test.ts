import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  d,
  demand,
  item,
  line,
  onHand,
  ordersOf,
  plan,
  receipt,
  rowsOf,
  FIXTURE_START as START,
  u,
} from './mrp.fixtures.ts';
import { type MrpInput, runMrp } from './mrp.ts';
import { qtyFromUnits } from './quantity.ts';

describe('MRP netting of a single item', () => {
  it('nets lot-for-lot and offsets releases by the lead time', () => {
    const r = plan({
      items: [item('P', { lt: 2 })],
      onHand: [onHand('P', 10)],
      demands: [demand('SO-1', 'P', 5, 1), demand('SO-2', 'P', 10, 3), demand('SO-3', 'P', 8, 6)],
    });
    assert.deepEqual(rowsOf(r, 'P'), [
      [1, 5, 0, 5, 0, 0, 5],
      [3, 10, 0, 0, 5, 5, 0],
      [4, 0, 0, 0, 0, 0, 8],
      [6, 8, 0, 0, 8, 8, 0],
    ]);
    assert.deepEqual(ordersOf(r, 'P'), [
      [5, d(1), d(3), false],
      [8, d(4), d(6), false],
    ]);
    assert.deepEqual(r.plannedOrders[0]?.pegging, [{ source: { kind: 'demand', id: 'SO-2' }, qty: 5000 }]);
    assert.deepEqual(r.shortages, []);
  });

  it('sizes lots by minimum order quantity and multiple and uses the surplus first', () => {
    const r = plan({
      items: [item('P', { minOrderQty: u(20), orderMultiple: u(6) })],
      demands: [demand('A', 'P', 5, 2), demand('B', 'P', 10, 4), demand('C', 'P', 12, 5)],
    });
    // 5 → max(5, 20) = 20 → 24 (multiple of 6); 19 left covers B and 9 of C; C's other 3 → 24 again.
    assert.deepEqual(ordersOf(r, 'P'), [
      [24, d(2), d(2), false],
      [24, d(5), d(5), false],
    ]);
    assert.deepEqual(
      r.plannedOrders.map((o) =>
        o.pegging.map((p) => [p.source.kind === 'demand' ? p.source.id : '', p.qty / 1000]),
      ),
      [
        [
          ['A', 5],
          ['B', 10],
          ['C', 9],
        ],
        [['C', 3]],
      ],
    );
    assert.deepEqual(
      rowsOf(r, 'P').map((row) => row[3]),
      [19, 9, 21],
    );
  });

  it('keeps safety stock by planning when projected stock would fall below it', () => {
    const r = plan({
      items: [item('P', { safetyStock: u(20), lt: 1 })],
      onHand: [onHand('P', 30)],
      demands: [demand('A', 'P', 15, 2)],
    });
    assert.deepEqual(rowsOf(r, 'P'), [
      [1, 0, 0, 30, 0, 0, 5],
      [2, 15, 0, 20, 5, 5, 0],
    ]);
  });

  it('tops up stock below safety stock at the start and reports the shortage', () => {
    const r = plan({ items: [item('P', { safetyStock: u(20), lt: 1 })], onHand: [onHand('P', 5)] });
    assert.deepEqual(ordersOf(r, 'P'), [[15, d(-1), d(0), true]]);
    assert.deepEqual(r.plannedOrders[0]?.pegging, [{ source: { kind: 'safety_stock' }, qty: 15000 }]);
    assert.deepEqual(rowsOf(r, 'P'), [[0, 0, 0, 20, 15, 15, 15]]);
  });

  it('lists a shortage when the release would fall before the start', () => {
    const r = plan({ items: [item('P', { lt: 5 })], demands: [demand('A', 'P', 10, 2)] });
    assert.deepEqual(
      r.shortages.map((s) => [s.item, s.date, s.qty / 1000, s.releaseDate]),
      [['P', d(2), 10, d(-3)]],
    );
    // The release is shown in the past-due bucket, the start date.
    assert.deepEqual(rowsOf(r, 'P'), [
      [0, 0, 0, 0, 0, 0, 10],
      [2, 10, 0, 0, 10, 10, 0],
    ]);
  });

  it('treats past-due demand as due at the start', () => {
    const r = plan({ items: [item('P')], demands: [demand('OLD', 'P', 4, -7)] });
    assert.deepEqual(ordersOf(r, 'P'), [[4, d(0), d(0), false]]);
  });
});

describe('MRP action messages for existing receipts', () => {
  const r = plan({
    items: [item('X', { lt: 10 })],
    receipts: [
      receipt('R1', 'X', 10, 5),
      receipt('R2', 'X', 10, 8),
      receipt('R3', 'X', 10, 30),
      receipt('R4', 'X', 5, -2),
    ],
    demands: [demand('A', 'X', 12, 3), demand('B', 'X', 10, 20), demand('C', 'X', 2, 25)],
    deferToleranceDays: 3,
  });

  it('expedites late receipts, defers early ones, cancels unneeded ones', () => {
    const messages = r.actions
      .map((a) => [a.receiptId, a.kind, a.currentDue, a.suggestedDue, a.pastDue])
      .toSorted((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(messages, [
      ['R1', 'expedite', d(5), d(3), false],
      ['R2', 'defer', d(8), d(20), false],
      ['R3', 'cancel', d(30), null, false],
      ['R4', 'expedite', d(-2), d(0), true],
    ]);
  });

  it('uses existing receipts instead of planning new orders', () => {
    assert.deepEqual(r.plannedOrders, []);
    assert.deepEqual(rowsOf(r, 'X'), [
      [0, 0, 5, 5, 0, 0, 0],
      [3, 12, 10, 3, 0, 0, 0],
      [20, 10, 10, 3, 0, 0, 0],
      [25, 2, 0, 1, 0, 0, 0],
    ]);
  });
});

describe('MRP input errors', () => {
  const code = (input: Partial<MrpInput> & Pick<MrpInput, 'items'>) => {
    const r = runMrp({ bom: [], onHand: [], receipts: [], demands: [], start: START, ...input });
    return r.ok ? 'OK' : r.code;
  };

  it('refuses a BOM cycle with a typed error', () => {
    assert.equal(
      code({ items: [item('A'), item('B')], bom: [line('A', 'B', 1), line('B', 'A', 1)] }),
      'BOM_CYCLE',
    );
  });

  it('refuses unknown, duplicate and invalid items and lines', () => {
    assert.equal(code({ items: [item('A')], demands: [demand('X', 'NOPE', 1, 1)] }), 'UNKNOWN_ITEM');
    assert.equal(code({ items: [item('A')], bom: [line('A', 'NOPE', 1)] }), 'UNKNOWN_ITEM');
    assert.equal(code({ items: [item('A'), item('A')] }), 'DUPLICATE_ITEM');
    assert.equal(code({ items: [item('A', { lt: -1 })] }), 'INVALID_ITEM');
    assert.equal(code({ items: [item('A'), item('B')], bom: [line('A', 'B', 0)] }), 'INVALID_BOM_LINE');
    assert.equal(
      code({ items: [item('A'), item('B')], bom: [line('A', 'B', 1, 10_001)] }),
      'INVALID_BOM_LINE',
    );
    assert.equal(code({ items: [item('A')], demands: [demand('X', 'A', -1, 1)] }), 'INVALID_QUANTITY');
    assert.equal(
      code({ items: [item('A')], demands: [{ ...demand('X', 'A', 1, 1), qty: qtyFromUnits(0) }] }),
      'OK',
    );
  });
});
