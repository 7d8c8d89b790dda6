import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { act, createOrder } from '../purchasing/purchaseorder.service.ts';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * Open purchase orders of the demo plant: one sent and due next week, one approved and already late,
 * one still a draft — so the late list, MRP's scheduled receipts and receiving have something to show.
 */
export async function loadDemoPurchasing(db: Db, ctx: Ctx): Promise<void> {
  const supplier = async (code: string) =>
    (await db.kysely.selectFrom('suppliers').select('id').where('code', '=', code).executeTakeFirstOrThrow())
      .id;
  const item = async (code: string) =>
    (await db.kysely.selectFrom('items').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const orders = [
    {
      supplier: 'S-0001',
      lines: [
        ['RM-300100', '1200', 7],
        ['RM-300200', '1000', 9],
      ],
      steps: ['approve', 'send'],
    },
    { supplier: 'S-0002', lines: [['RM-300300', '2000', -3]], steps: ['approve'] },
    { supplier: 'S-0003', lines: [['RM-300500', '500', 14]], steps: [] },
  ] as const;
  for (const o of orders) {
    let po = await createOrder(db, ctx, {
      supplierId: await supplier(o.supplier),
      lines: await Promise.all(
        o.lines.map(async ([code, qty, due]) => ({ itemId: await item(code), qty, dueDate: day(due) })),
      ),
    });
    for (const step of o.steps) po = await act(db, ctx, po.id, step, { version: po.version });
  }
}
