import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { newId, nowIso } from '../../platform/ids.ts';

/** Master data rows for purchasing and MRP tests, written directly (the tests are about what follows). */
type K = Kysely<Database>;

export async function addItem(
  db: K,
  code: string,
  o: Partial<{
    tracking: string;
    purchaseLead: number;
    productionLead: number;
    moq: number;
    multiple: number;
    safety: number;
  }> = {},
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('items')
    .values({
      id,
      code,
      name: code,
      spec: '',
      type: 'raw',
      uom: 'pcs',
      safety_stock: o.safety ?? 0,
      standard_cost: 0,
      tracking: o.tracking ?? 'none',
      default_warehouse_id: null,
      purchase_lead_days: o.purchaseLead ?? 0,
      production_lead_days: o.productionLead ?? 0,
      min_order_qty: o.moq ?? 0,
      order_multiple: o.multiple ?? 0,
      dup_key: `test:${code}`,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function addSupplier(db: K, code: string, prices: Record<string, number>): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('suppliers')
    .values({
      id,
      code,
      name: `${code} 供应商`,
      dup_key: `test:${code}`,
      contacts: '[]',
      address: '',
      lead_days: 0,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const [itemId, price] of Object.entries(prices)) {
    await db
      .insertInto('supplier_items')
      .values({
        id: newId(),
        supplier_id: id,
        item_id: itemId,
        supplier_part_no: '',
        price,
        currency: 'CNY',
        lead_days: null,
        moq: 0,
      })
      .execute();
  }
  return id;
}

export async function addLocation(db: K, code: string, kind = 'storage'): Promise<string> {
  const now = nowIso();
  const wh = newId();
  await db
    .insertInto('warehouses')
    .values({
      id: wh,
      code: `${code}-WH`,
      name: code,
      address: '',
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const id = newId();
  await db
    .insertInto('locations')
    .values({
      id,
      warehouse_id: wh,
      code,
      name: code,
      kind,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function addActiveBom(
  db: K,
  parent: { id: string; code: string },
  lines: readonly { id: string; code: string; qtyPer: number; scrapBp?: number }[],
): Promise<void> {
  const now = nowIso();
  const bomId = newId();
  await db
    .insertInto('boms')
    .values({
      id: bomId,
      item_id: parent.id,
      item_code: parent.code,
      version_label: 'A',
      effective_from: null,
      effective_to: null,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const [i, l] of lines.entries()) {
    await db
      .insertInto('bom_lines')
      .values({
        id: newId(),
        bom_id: bomId,
        position: (i + 1) * 10,
        component_item_id: l.id,
        component_code: l.code,
        qty_per: l.qtyPer,
        scrap_bp: l.scrapBp ?? 0,
        operation_seq: null,
      })
      .execute();
  }
}

export async function count(
  db: K,
  table: 'stock_moves' | 'purchase_receipts' | 'purchase_orders' | 'lots',
): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function onHand(db: K, itemId: string): Promise<number> {
  const r = await db
    .selectFrom('stock_balances')
    .select((eb) => eb.fn.sum<number>('on_hand').as('n'))
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
