import type { Db } from '../../platform/db/database.ts';
import { invalidField } from '../../platform/errors.ts';

/**
 * Codes of the sending systems → ids here. An unknown or deactivated code is a 400 on the field that
 * carried it (e.g. `/lines/2/itemCode`), so the sender can fix that one value.
 */
export async function customerIdByCode(db: Db, field: string, code: string): Promise<string> {
  const row = await db.kysely
    .selectFrom('customers')
    .select(['id', 'active'])
    .where('code', '=', code.trim())
    .executeTakeFirst();
  if (!row) throw invalidField(field, `is not a known customer code (${code})`, 'UNKNOWN_CODE');
  if (row.active !== 1) throw invalidField(field, `customer ${code} is deactivated`, 'DEACTIVATED');
  return row.id;
}

/** Item ids by code for every line; the first unknown code is reported with its line. */
export async function itemIdsByCode(
  db: Db,
  codes: readonly (string | undefined)[],
  field: (i: number) => string,
): Promise<(string | null)[]> {
  const wanted = [...new Set(codes.filter((c): c is string => !!c).map((c) => c.trim()))];
  const rows = wanted.length
    ? await db.kysely
        .selectFrom('items')
        .select(['id', 'code', 'active'])
        .where('code', 'in', wanted)
        .execute()
    : [];
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return codes.map((c, i) => {
    if (!c) return null;
    const row = byCode.get(c.trim());
    if (!row) throw invalidField(field(i), `is not a known item code (${c})`, 'UNKNOWN_CODE');
    if (row.active !== 1) throw invalidField(field(i), `item ${c} is deactivated`, 'DEACTIVATED');
    return row.id;
  });
}

export async function locationIdByCode(db: Db, warehouseCode: string, locationCode: string): Promise<string> {
  const wh = await db.kysely
    .selectFrom('warehouses')
    .select(['id', 'active'])
    .where('code', '=', warehouseCode.trim())
    .executeTakeFirst();
  if (wh?.active !== 1) {
    throw invalidField(
      '/warehouseCode',
      `is not a known active warehouse code (${warehouseCode})`,
      'UNKNOWN_CODE',
    );
  }
  const loc = await db.kysely
    .selectFrom('locations')
    .select(['id', 'active'])
    .where('warehouse_id', '=', wh.id)
    .where('code', '=', locationCode.trim())
    .executeTakeFirst();
  if (loc?.active !== 1) {
    throw invalidField(
      '/locationCode',
      `is not a known active location of warehouse ${warehouseCode} (${locationCode})`,
      'UNKNOWN_CODE',
    );
  }
  return loc.id;
}

export async function purchaseOrderByNumber(
  db: Db,
  poNumber: string,
): Promise<{ id: string; lines: Map<number, string> }> {
  const po = await db.kysely
    .selectFrom('purchase_orders')
    .select('id')
    .where('code', '=', poNumber.trim())
    .executeTakeFirst();
  if (!po)
    throw invalidField('/poNumber', `is not a known purchase order number (${poNumber})`, 'UNKNOWN_CODE');
  const lines = await db.kysely
    .selectFrom('purchase_order_lines')
    .select(['id', 'line_no'])
    .where('po_id', '=', po.id)
    .execute();
  return { id: po.id, lines: new Map(lines.map((l) => [Number(l.line_no), l.id])) };
}

export async function salesOrderIdByCode(db: Db, code: string): Promise<string> {
  const so = await db.kysely
    .selectFrom('sales_orders')
    .select('id')
    .where('code', '=', code.trim())
    .executeTakeFirst();
  if (!so)
    throw invalidField('/salesOrderCode', `is not a known sales order number (${code})`, 'UNKNOWN_CODE');
  return so.id;
}
