import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { d, demand, item, line, onHand, ordersOf, plan, receipt, rowsOf, u } from './mrp.fixtures.ts';

describe('MRP across BOM levels', () => {
  const r = plan({
    items: [
      item('BIKE', { source: 'make', lt: 2 }),
      item('FRAME', { source: 'make', lt: 3 }),
      item('WHEEL', { source: 'make', lt: 1 }),
      item('SPOKE', { lt: 5, orderMultiple: u(100) }),
      item('TUBE', { lt: 4 }),
    ],
    bom: [
      line('BIKE', 'FRAME', 1),
      line('BIKE', 'WHEEL', 2),
      line('BIKE', 'SPOKE', 4), // spares packed with the bike
      line('WHEEL', 'SPOKE', 36, 200), // 2 % scrap
      line('FRAME', 'TUBE', 2.5),
    ],
    onHand: [onHand('BIKE', 2), onHand('WHEEL', 4), onHand('SPOKE', 50)],
    demands: [demand('SO-9', 'BIKE', 10, 20)],
  });

  it('plans items in low-level-code order', () => {
    assert.deepEqual(
      r.plans.map((p) => [p.item, p.lowLevelCode]),
      [
        ['BIKE', 0],
        ['FRAME', 1],
        ['WHEEL', 1],
        ['SPOKE', 2],
        ['TUBE', 2],
      ],
    );
  });

  it('explodes planned releases into component requirements with scrap', () => {
    assert.deepEqual(ordersOf(r, 'BIKE'), [[8, d(18), d(20), false]]);
    assert.deepEqual(ordersOf(r, 'FRAME'), [[8, d(15), d(18), false]]);
    assert.deepEqual(ordersOf(r, 'WHEEL'), [[12, d(17), d(18), false]]);
    assert.deepEqual(ordersOf(r, 'TUBE'), [[20, d(11), d(15), false]]);
  });

  it('nets a component used at two levels once, with all its demand', () => {
    // 12 wheels × 36 × 1.02 = 440.64 on day 17, 8 bikes × 4 = 32 on day 18; 50 on hand.
    assert.deepEqual(rowsOf(r, 'SPOKE'), [
      [12, 0, 0, 50, 0, 0, 400],
      [13, 0, 0, 50, 0, 0, 100],
      [17, 440.64, 0, 9.36, 390.64, 400, 0],
      [18, 32, 0, 77.36, 22.64, 100, 0],
    ]);
  });

  it('pegs component orders to the parent orders they serve', () => {
    const ids = Object.fromEntries(r.plannedOrders.map((o) => [o.id, o.item]));
    const spokes = r.plannedOrders.filter((o) => o.item === 'SPOKE');
    assert.deepEqual(
      spokes.map((o) =>
        o.pegging.map((p) => [
          p.source.kind === 'planned_order' ? ids[p.source.id] : p.source.kind,
          p.qty / 1000,
        ]),
      ),
      [
        [
          ['WHEEL', 390.64],
          ['BIKE', 9.36],
        ],
        [['BIKE', 22.64]],
      ],
    );
  });

  it('gives the same plan whatever order the input rows come in', () => {
    const input = {
      items: [item('BIKE', { source: 'make', lt: 2 }), item('WHEEL', { source: 'make', lt: 1 }), item('RIM')],
      bom: [line('BIKE', 'WHEEL', 2), line('WHEEL', 'RIM', 1), line('BIKE', 'RIM', 1)],
      onHand: [onHand('RIM', 3), onHand('WHEEL', 1)],
      receipts: [receipt('PO-2', 'RIM', 5, 9), receipt('PO-1', 'RIM', 5, 9)],
      demands: [demand('SO-2', 'BIKE', 4, 20), demand('SO-1', 'BIKE', 3, 20), demand('SO-3', 'WHEEL', 2, 20)],
    };
    const reversed = {
      items: input.items.toReversed(),
      bom: input.bom.toReversed(),
      onHand: input.onHand.toReversed(),
      receipts: input.receipts.toReversed(),
      demands: input.demands.toReversed(),
    };
    assert.deepEqual(plan(reversed), plan(input));
  });

  it('does not explode bought items even if they have a BOM', () => {
    const r2 = plan({
      items: [item('KIT', { source: 'buy' }), item('PART')],
      bom: [line('KIT', 'PART', 3)],
      demands: [demand('A', 'KIT', 1, 5)],
    });
    assert.deepEqual(ordersOf(r2, 'PART'), []);
  });

  it('needs components at the start when the parent release is already late', () => {
    const r2 = plan({
      items: [item('TOP', { source: 'make', lt: 10 }), item('SUB', { lt: 0 })],
      bom: [line('TOP', 'SUB', 1)],
      demands: [demand('A', 'TOP', 1, 3)],
    });
    assert.deepEqual(ordersOf(r2, 'SUB'), [[1, d(0), d(0), false]]);
    assert.deepEqual(
      r2.shortages.map((s) => s.item),
      ['TOP'],
    );
  });
});
