import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { systemCtx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { testTargets } from '../../testing/databases.ts';
import { type Harness, startHarness } from '../../testing/harness.ts';
import { ledgerFindings } from '../inventory/inventory.query.ts';
import { cancelOrder, confirmOrder } from './salesorder.actions.ts';
import { getOrder } from './salesorder.query.ts';
import { createOrder, updateOrder } from './salesorder.service.ts';
import { freshItem, type SalesFixture, salesFixture } from './sales.fixture.ts';
import { postShipment } from './shipment.service.ts';

type Command =
  | { kind: 'confirm' }
  | { kind: 'change'; line: 0 | 1; qty: number }
  | { kind: 'ship'; line: 0 | 1; qty: number }
  | { kind: 'cancel' };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant<Command>({ kind: 'confirm' }),
  fc.record({
    kind: fc.constant('change' as const),
    line: fc.constantFrom(0 as const, 1 as const),
    qty: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    kind: fc.constant('ship' as const),
    line: fc.constantFrom(0 as const, 1 as const),
    qty: fc.integer({ min: 1, max: 6 }),
  }),
  fc.constant<Command>({ kind: 'cancel' }),
);

for (const target of await testTargets()) {
  describe(`sales order invariants on ${target.name}`, () => {
    let h: Harness;
    let fx: SalesFixture;
    let n = 0;
    before(async () => {
      h = await startHarness(target, { demo: false });
      fx = await salesFixture(h.runtime.db, '9301');
    });
    after(async () => h.close());

    it('keeps shipped within ordered, reservations positive and covered by stock, and the ledger consistent', async () => {
      const db = h.runtime.db;
      const ctx = systemCtx();
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 12 }),
          fc.array(command, { minLength: 1, maxLength: 12 }),
          async (stock, commands) => {
            const itemId = await freshItem(db, `FG-93${String(++n).padStart(4, '0')}`);
            if (stock > 0) await fx.receive(itemId, stock * 1000);
            const so = await createOrder(db, ctx, {
              customerId: fx.customerId,
              lines: [
                { itemId, qty: '4', unitPrice: '0.07', requestedDate: '2030-01-10' },
                { itemId, qty: '3', unitPrice: '0.07', requestedDate: '2030-01-12' },
              ],
            });
            for (const c of commands) {
              const cur = await getOrder(db, so.id);
              try {
                if (c.kind === 'confirm') await confirmOrder(db, ctx, so.id, {});
                else if (c.kind === 'cancel') await cancelOrder(db, ctx, so.id, { reason: 'property' });
                else if (c.kind === 'change') {
                  await updateOrder(db, ctx, so.id, {
                    version: cur.version,
                    lines: cur.lines.map((l, i) => ({ id: l.id, qty: i === c.line ? String(c.qty) : l.qty })),
                  });
                } else {
                  await postShipment(db, ctx, so.id, {
                    lines: [{ lineId: cur.lines[c.line]!.id, qty: String(c.qty), fromLocationId: fx.locA }],
                  });
                }
              } catch (err) {
                if (!(err instanceof AppError)) throw err;
              }
              const after = await getOrder(db, so.id);
              const reservations = await db.kysely
                .selectFrom('reservations')
                .select(['qty', 'demand_id'])
                .where('item_id', '=', itemId)
                .where('status', '=', 'open')
                .execute();
              const onHand = Number(
                (
                  await db.kysely
                    .selectFrom('stock_balances')
                    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('on_hand'), eb.lit(0)).as('n'))
                    .where('item_id', '=', itemId)
                    .executeTakeFirstOrThrow()
                ).n,
              );
              let shippedTotal = 0;
              for (const l of after.lines) {
                const [qty, shipped, reserved] = [Number(l.qty), Number(l.shipped), Number(l.reserved)];
                assert.ok(shipped >= 0 && shipped <= qty, `shipped ${shipped} of ${qty}`);
                assert.ok(reserved >= 0 && reserved <= qty - shipped, `reserved ${reserved}`);
                shippedTotal += shipped * 1000;
              }
              assert.ok(reservations.every((r) => Number(r.qty) > 0));
              const reservedTotal = reservations.reduce((s, r) => s + Number(r.qty), 0);
              assert.ok(reservedTotal <= onHand, `reserved ${reservedTotal} > on hand ${onHand}`);
              assert.equal(onHand, stock * 1000 - shippedTotal);
              if (['cancelled', 'closed', 'draft'].includes(after.status)) assert.equal(reservedTotal, 0);
            }
            assert.deepEqual(await ledgerFindings(db), []);
          },
        ),
        { numRuns: target.name === 'sqlite' ? 40 : 12 },
      );
    });
  });
}
