import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, dayNumber, isoDate } from './calendar.ts';
import { demandId, itemId, receiptId } from './ids.ts';
import { type MrpInput, runMrp } from './mrp.ts';
import { qty } from './quantity.ts';
import { basisPoints, days } from './units.ts';

const START = isoDate('2025-03-03');

/** Random plans over up to 6 items; components always have a higher index, so BOMs are acyclic. */
const inputArb: fc.Arbitrary<MrpInput> = fc.integer({ min: 1, max: 6 }).chain((n) => {
  const idx = fc.nat({ max: n - 1 });
  const id = (i: number) => itemId(`I${i}`);
  return fc.record({
    items: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          id: fc.constant(id(i)),
          source: fc.constantFrom('make', 'buy') as fc.Arbitrary<'make' | 'buy'>,
          leadTimeDays: fc.nat({ max: 6 }).map(days),
          minOrderQty: fc.constantFrom(0, 1000, 7500, 20000).map(qty),
          orderMultiple: fc.constantFrom(0, 1000, 6000, 250).map(qty),
          safetyStock: fc.constantFrom(0, 0, 3000, 12500).map(qty),
        }),
      ),
    ),
    bom: fc
      .array(
        fc.record({
          a: idx,
          b: idx,
          per: fc.integer({ min: 1, max: 5000 }),
          scrap: fc.constantFrom(0, 0, 150, 1000),
        }),
        { maxLength: 8 },
      )
      .map((lines) =>
        lines
          .filter((l) => l.a !== l.b)
          .map((l) => ({
            parent: id(Math.min(l.a, l.b)),
            component: id(Math.max(l.a, l.b)),
            qtyPer: qty(l.per),
            scrap: basisPoints(l.scrap),
          })),
      ),
    onHand: fc.array(fc.record({ item: idx.map(id), qty: fc.integer({ min: -5000, max: 40000 }).map(qty) }), {
      maxLength: 4,
    }),
    receipts: fc
      .array(
        fc.record({ i: idx, q: fc.integer({ min: 1, max: 30000 }), day: fc.integer({ min: -5, max: 40 }) }),
        {
          maxLength: 5,
        },
      )
      .map((rs) =>
        rs.map((r, k) => ({
          id: receiptId(`R${k}`),
          item: id(r.i),
          qty: qty(r.q),
          due: addDays(START, r.day),
          kind: 'purchase_order' as const,
        })),
      ),
    demands: fc
      .array(
        fc.record({ i: idx, q: fc.integer({ min: 0, max: 30000 }), day: fc.integer({ min: -3, max: 40 }) }),
        {
          maxLength: 10,
        },
      )
      .map((ds) =>
        ds.map((x, k) => ({
          id: demandId(`D${k}`),
          item: id(x.i),
          qty: qty(x.q),
          due: addDays(START, x.day),
          kind: 'sales_order' as const,
        })),
      ),
    start: fc.constant(START),
    deferToleranceDays: fc.nat({ max: 3 }),
  });
});

describe('MRP properties', () => {
  it('plans supply that covers net demand and safety stock in every bucket', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = runMrp(input);
        assert.ok(r.ok, r.ok ? '' : r.message);
        const items = new Map(input.items.map((i) => [i.id, i]));
        for (const p of r.value.plans) {
          const item = items.get(p.item);
          assert.ok(item);
          let projected: number = p.onHand;
          let prevDay = -Infinity;
          for (const row of p.rows) {
            const day = dayNumber(row.date);
            assert.ok(day > prevDay && day >= dayNumber(START), 'rows ascend from the start');
            prevDay = day;
            projected += row.scheduledReceipts + row.plannedOrderReceipts - row.grossRequirements;
            assert.equal(row.projectedOnHand, projected, 'projected on hand balances');
            assert.ok(row.projectedOnHand >= item.safetyStock, `${p.item} ${row.date} below safety stock`);
            assert.ok(
              row.plannedOrderReceipts >= row.netRequirements,
              'planned receipts cover net requirements',
            );
            assert.ok(row.grossRequirements >= 0 && row.netRequirements >= 0);
          }
        }
        for (const o of r.value.plannedOrders) {
          const item = items.get(o.item);
          assert.ok(item);
          assert.ok(o.qty > 0 && o.qty >= item.minOrderQty);
          if (item.orderMultiple > 0) assert.equal(o.qty % item.orderMultiple, 0);
          assert.equal(dayNumber(o.dueDate) - dayNumber(o.releaseDate), item.leadTimeDays);
          assert.equal(o.pastDue, dayNumber(o.releaseDate) < dayNumber(START));
          assert.ok(o.pegging.reduce((s, p) => s + p.qty, 0) <= o.qty);
          assert.equal(o.kind, item.source);
        }
        assert.equal(r.value.shortages.length, r.value.plannedOrders.filter((o) => o.pastDue).length);
      }),
      { numRuns: 400 },
    );
  });

  it('passes every unit of dependent demand down to components', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = runMrp(input);
        assert.ok(r.ok);
        const gross = new Map(
          r.value.plans.map((p) => [p.item, p.rows.reduce((s, x) => s + x.grossRequirements, 0)]),
        );
        const expected = new Map<string, number>();
        for (const dmd of input.demands) expected.set(dmd.item, (expected.get(dmd.item) ?? 0) + dmd.qty);
        const make = new Set(input.items.filter((i) => i.source === 'make').map((i) => i.id));
        for (const o of r.value.plannedOrders) {
          if (!make.has(o.item)) continue;
          for (const l of input.bom.filter((b) => b.parent === o.item)) {
            const num = BigInt(o.qty) * BigInt(l.qtyPer) * BigInt(10_000 + l.scrap);
            const need = Number((num + 9_999_999n) / 10_000_000n); // ceiling division
            expected.set(l.component, (expected.get(l.component) ?? 0) + need);
          }
        }
        for (const i of input.items) assert.equal(gross.get(i.id) ?? 0, expected.get(i.id) ?? 0, i.id);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same plan whatever order the input rows come in', () => {
    const perm = <T>(rows: readonly T[]) => fc.shuffledSubarray([...rows], { minLength: rows.length });
    const pair = inputArb.chain((input) =>
      fc
        .record({
          items: perm(input.items),
          bom: perm(input.bom),
          onHand: perm(input.onHand),
          receipts: perm(input.receipts),
          demands: perm(input.demands),
        })
        .map((shuffled) => [input, { ...input, ...shuffled }] as const),
    );
    fc.assert(
      fc.property(pair, ([input, shuffled]) => {
        assert.deepEqual(runMrp(shuffled), runMrp(input));
      }),
      { numRuns: 200 },
    );
  });
});
