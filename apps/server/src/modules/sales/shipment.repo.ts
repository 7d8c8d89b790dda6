import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ShipmentLinesTable, ShipmentsTable } from '../../platform/db/schema-sales.ts';

type Q = Kysely<Database> | Tx;

export async function insertShipment(
  tx: Tx,
  row: ShipmentsTable,
  lines: readonly ShipmentLinesTable[],
): Promise<void> {
  await tx.insertInto('shipments').values(row).execute();
  if (lines.length > 0)
    await tx
      .insertInto('shipment_lines')
      .values([...lines])
      .execute();
}

/** Shipments of an order (oldest first), or one of them, with their lines. */
export async function shipmentsOf(db: Q, orderId: string, shipmentId?: string) {
  let q = db.selectFrom('shipments').selectAll().where('sales_order_id', '=', orderId);
  if (shipmentId) q = q.where('id', '=', shipmentId);
  const heads = await q.orderBy('created_at').orderBy('id').execute();
  if (heads.length === 0) return [];
  const lines = await db
    .selectFrom('shipment_lines')
    .selectAll()
    .where(
      'shipment_id',
      'in',
      heads.map((h) => h.id),
    )
    .orderBy('id')
    .execute();
  return heads.map((h) => ({ ...h, lines: lines.filter((l) => l.shipment_id === h.id) }));
}

/** What a delivery note prints: items, locations, and the order's customer. */
export async function deliveryNoteData(db: Q, itemIds: readonly string[], locationIds: readonly string[]) {
  const items = itemIds.length
    ? await db
        .selectFrom('items')
        .select(['id', 'code', 'name', 'spec', 'uom'])
        .where('id', 'in', [...new Set(itemIds)])
        .execute()
    : [];
  const locations = locationIds.length
    ? await db
        .selectFrom('locations')
        .select(['id', 'code'])
        .where('id', 'in', [...new Set(locationIds)])
        .execute()
    : [];
  return {
    items: new Map(items.map((i) => [i.id, i])),
    locations: new Map(locations.map((l) => [l.id, l.code])),
  };
}
