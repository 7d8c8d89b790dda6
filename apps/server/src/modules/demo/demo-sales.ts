import type { SalesOrderCreate } from '@takt/contracts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { postMove } from '../inventory/inventory.service.ts';
import { confirmOrder } from '../sales/salesorder.actions.ts';
import { createOrder } from '../sales/salesorder.service.ts';
import { localDay } from '../../platform/sequences.ts';

/**
 * Open sales orders for 精工五金: the first can be served from finished stock, the second only in
 * part, the third not at all (planning shows the shortages), the fourth is still a draft.
 */
const OPENING_STOCK: ReadonlyArray<readonly [item: string, qty: string]> = [
  ['FG-100300', '120'],
  ['FG-100700', '60'],
];

const ORDERS: ReadonlyArray<{
  customer: string;
  ref: string;
  inDays: number;
  confirm: boolean;
  lines: ReadonlyArray<readonly [item: string, qty: string, price: string]>;
}> = [
  {
    customer: 'C-0001',
    ref: 'PO-HD-2611',
    inDays: 7,
    confirm: true,
    lines: [
      ['FG-100300', '80', '38.00'],
      ['FG-100700', '40', '68.00'],
    ],
  },
  {
    customer: 'C-0003',
    ref: 'CG-20261108',
    inDays: 12,
    confirm: true,
    lines: [
      ['FG-100500', '50', '118.00'],
      ['FG-100300', '30', '38.00'],
    ],
  },
  { customer: 'C-0002', ref: 'XS-7781', inDays: 18, confirm: true, lines: [['FG-100900', '200', '98.00']] },
  { customer: 'C-0006', ref: '', inDays: 30, confirm: false, lines: [['FG-100800', '5', '320.00']] },
];

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export async function loadDemoSales(db: Db, ctx: Ctx): Promise<void> {
  const id = async (table: 'items' | 'customers' | 'locations', code: string) =>
    (await db.kysely.selectFrom(table).select('id').where('code', '=', code).executeTakeFirst())?.id;
  const shelf = await id('locations', 'FG-A01');
  if (!shelf) return;
  for (const [code, qty] of OPENING_STOCK) {
    const itemId = await id('items', code);
    if (itemId)
      await postMove(db, ctx, { kind: 'receipt', itemId, qty, toLocationId: shelf, reason: '期初库存' });
  }
  const today = localDay();
  for (const o of ORDERS) {
    const customerId = await id('customers', o.customer);
    const lines: SalesOrderCreate['lines'] = [];
    for (const [code, qty, unitPrice] of o.lines) {
      const itemId = await id('items', code);
      if (itemId) lines.push({ itemId, qty, unitPrice });
    }
    if (!customerId || lines.length === 0) continue;
    const so = await createOrder(db, ctx, {
      customerId,
      ...(o.ref ? { externalRef: o.ref } : {}),
      dueDate: addDays(today, o.inDays),
      lines,
    });
    if (o.confirm) await confirmOrder(db, ctx, so.id, {});
  }
}
