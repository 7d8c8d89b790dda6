import { type Kysely, type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { StockMovesTable } from '../../platform/db/schema-inventory.ts';
import { AppError } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';

type Q = Kysely<Database> | Tx;

export async function findLot(db: Q, itemId: string, code: string) {
  return db
    .selectFrom('lots')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('code', '=', code)
    .executeTakeFirst();
}

/** The lot with this code for the item, created on first use (receipts and outputs name new lots). */
export async function lotFor(tx: Tx, itemId: string, code: string): Promise<string> {
  await tx
    .insertInto('lots')
    .values({ id: newId(), item_id: itemId, code, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['item_id', 'code']).doNothing())
    .execute();
  const lot = await findLot(tx, itemId, code);
  if (!lot) throw new Error(`lot ${code} vanished`);
  return lot.id;
}

export async function insertMove(
  tx: Tx,
  move: Omit<StockMovesTable, 'seq'>,
): Promise<Selectable<StockMovesTable>> {
  return tx.insertInto('stock_moves').values(move).returningAll().executeTakeFirstOrThrow();
}

/**
 * Takes `qty` out of a balance in one conditional statement, so concurrent postings can neither
 * lose an update nor drive the balance negative (no read-modify-write).
 */
export async function decrementBalance(
  tx: Tx,
  itemId: string,
  locationId: string,
  lotId: string,
  qty: number,
) {
  const res = await tx
    .updateTable('stock_balances')
    .set({ on_hand: sql`on_hand - ${qty}`, updated_at: nowIso() })
    .where('item_id', '=', itemId)
    .where('location_id', '=', locationId)
    .where('lot_id', '=', lotId)
    .where('on_hand', '>=', qty)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 1) return;
  const current = await tx
    .selectFrom('stock_balances')
    .select('on_hand')
    .where('item_id', '=', itemId)
    .where('location_id', '=', locationId)
    .where('lot_id', '=', lotId)
    .executeTakeFirst();
  throw new AppError('INSUFFICIENT_STOCK', 'Not enough stock at the source location', {
    fieldErrors: [{ field: '/qty', message: 'is more than the stock on hand at the source location' }],
    extra: { onHand: Number(current?.on_hand ?? 0), requested: qty, locationId, lotId: lotId || null },
  });
}

export async function incrementBalance(
  tx: Tx,
  itemId: string,
  locationId: string,
  lotId: string,
  qty: number,
) {
  const now = nowIso();
  await tx
    .insertInto('stock_balances')
    .values({ item_id: itemId, location_id: locationId, lot_id: lotId, on_hand: qty, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['item_id', 'location_id', 'lot_id']).doUpdateSet({
        on_hand: sql`stock_balances.on_hand + ${qty}`,
        updated_at: now,
      }),
    )
    .execute();
}

export async function onHandTotal(db: Q, itemId: string): Promise<number> {
  const r = await db
    .selectFrom('stock_balances')
    .select(sql<number>`coalesce(sum(on_hand), 0)`.as('n'))
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function reservedTotal(db: Q, itemId: string): Promise<number> {
  const r = await db
    .selectFrom('reservations')
    .select(sql<number>`coalesce(sum(qty), 0)`.as('n'))
    .where('item_id', '=', itemId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Balances that differ from the sum of their moves (archived ones too): the ledger invariant, checked in SQL. */
export async function ledgerMismatches(db: Q) {
  const sums = db
    .selectFrom(
      db
        .selectFrom('stock_moves_all')
        .select([
          'item_id',
          sql<string>`to_location_id`.as('location_id'),
          sql<string>`coalesce(lot_id, '')`.as('lot_id'),
          sql<number>`qty`.as('delta'),
        ])
        .where('to_location_id', 'is not', null)
        .unionAll(
          db
            .selectFrom('stock_moves_all')
            .select([
              'item_id',
              sql<string>`from_location_id`.as('location_id'),
              sql<string>`coalesce(lot_id, '')`.as('lot_id'),
              sql<number>`-qty`.as('delta'),
            ])
            .where('from_location_id', 'is not', null),
        )
        .as('d'),
    )
    .select(['d.item_id', 'd.location_id', 'd.lot_id', sql<number>`sum(d.delta)`.as('total')])
    .groupBy(['d.item_id', 'd.location_id', 'd.lot_id'])
    .as('m');
  const rows = await db
    .selectFrom(sums)
    .fullJoin('stock_balances as b', (j) =>
      j
        .onRef('b.item_id', '=', 'm.item_id')
        .onRef('b.location_id', '=', 'm.location_id')
        .onRef('b.lot_id', '=', 'm.lot_id'),
    )
    .select([
      sql<string>`coalesce(b.item_id, m.item_id)`.as('item_id'),
      sql<string>`coalesce(b.location_id, m.location_id)`.as('location_id'),
      sql<string>`coalesce(b.lot_id, m.lot_id)`.as('lot_id'),
      sql<number>`coalesce(b.on_hand, 0)`.as('balance'),
      sql<number>`coalesce(m.total, 0)`.as('moves'),
    ])
    .where(sql<boolean>`coalesce(b.on_hand, 0) <> coalesce(m.total, 0)`)
    .execute();
  return rows.map((r) => ({ ...r, balance: Number(r.balance), moves: Number(r.moves) }));
}
