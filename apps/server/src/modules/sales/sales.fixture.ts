import type { Qty } from '@takt/domain';
import { systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { createCustomer } from '../customers/customer.service.ts';
import { postMove } from '../inventory/inventory.service.ts';
import { createLocation, createWarehouse } from '../warehouses/warehouse.service.ts';

/** Test data for the sales tests: a customer, two stock locations, stock receipts. */
export interface SalesFixture {
  readonly customerId: string;
  readonly locA: string;
  readonly locB: string;
  item(code: string): Promise<string>;
  receive(itemId: string, qty: number, locationId?: string, lot?: string): Promise<void>;
}

export async function salesFixture(db: Db, tag: string): Promise<SalesFixture> {
  const ctx = systemCtx();
  const customer = await createCustomer(db, ctx, { code: `C-${tag}`, name: `客户 ${tag}`, tier: 'A' });
  const wh = await createWarehouse(db, ctx, { code: `WH-${tag}`, name: `成品库 ${tag}` });
  const a = await createLocation(db, ctx, wh.id, { code: `A-${tag}`, name: 'A', kind: 'storage' });
  const b = await createLocation(db, ctx, wh.id, { code: `B-${tag}`, name: 'B', kind: 'storage' });
  return {
    customerId: customer.id,
    locA: a.id,
    locB: b.id,
    async item(code) {
      const row = await db.kysely
        .selectFrom('items')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async receive(itemId, qty, locationId = a.id, lot) {
      await postMove(db, ctx, {
        kind: 'receipt',
        itemId,
        qty: String(qty / 1000),
        toLocationId: locationId,
        ...(lot ? { lot } : {}),
        ref: { type: 'test', id: newId() },
      });
    },
  };
}

/** A fresh finished item (so stock and reservations start at zero for each test). */
export async function freshItem(db: Db, code: string, tracking: 'none' | 'lot' = 'none'): Promise<string> {
  const { createItem } = await import('../items/item.service.ts');
  const item = await createItem(db, systemCtx(), {
    code,
    name: `测试件 ${code}`,
    type: 'finished',
    uom: 'pcs',
  });
  if (tracking !== 'none')
    await db.kysely.updateTable('items').set({ tracking }).where('id', '=', item.id).execute();
  return item.id;
}

export const q = (n: number) => (n * 1000) as Qty;
