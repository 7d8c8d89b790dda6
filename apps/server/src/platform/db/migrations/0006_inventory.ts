import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Inventory ledger: immutable stock moves, balances per item × location × lot kept in the same
 * transaction (balance = Σ moves, never negative), lots with genealogy, and reservations.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('lots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('lots_item_code', ['item_id', 'code'])
    .execute();

  await s
    .createTable('lot_links')
    .addColumn('output_lot_id', 'text', (c) => c.notNull().references('lots.id'))
    .addColumn('input_lot_id', 'text', (c) => c.notNull().references('lots.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('ref_type', 'text')
    .addColumn('ref_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lot_links_pk', ['output_lot_id', 'input_lot_id'])
    .execute();
  await s.createIndex('lot_links_input').on('lot_links').columns(['input_lot_id']).execute();

  let moves = s.createTable('stock_moves');
  moves =
    dialect === 'postgres'
      ? moves.addColumn('seq', 'bigserial', (c) => c.primaryKey())
      : moves.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
  await moves
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('from_location_id', 'text', (c) => c.references('locations.id'))
    .addColumn('to_location_id', 'text', (c) => c.references('locations.id'))
    .addColumn('lot_id', 'text', (c) => c.references('lots.id'))
    .addColumn('reason', 'text')
    .addColumn('ref_type', 'text')
    .addColumn('ref_id', 'text')
    .addColumn('reverses_id', 'text', (c) => c.unique())
    .addColumn('actor_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('stock_moves_item').on('stock_moves').columns(['item_id', 'seq']).execute();
  await s.createIndex('stock_moves_ref').on('stock_moves').columns(['ref_type', 'ref_id']).execute();
  await s.createIndex('stock_moves_from').on('stock_moves').columns(['from_location_id', 'seq']).execute();
  await s.createIndex('stock_moves_to').on('stock_moves').columns(['to_location_id', 'seq']).execute();

  await s
    .createTable('stock_balances')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
    // '' for stock without a lot, so the key stays a plain primary key on both databases.
    .addColumn('lot_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('on_hand', 'bigint', (c) => c.notNull().check(sql`on_hand >= 0`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_balances_pk', ['item_id', 'location_id', 'lot_id'])
    .execute();
  await s
    .createIndex('stock_balances_location')
    .on('stock_balances')
    .columns(['location_id', 'item_id'])
    .execute();

  await s
    .createTable('reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('qty', 'bigint', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('demand_type', 'text', (c) => c.notNull())
    .addColumn('demand_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('reservations_item').on('reservations').columns(['item_id', 'status']).execute();
  await s
    .createIndex('reservations_demand')
    .on('reservations')
    .columns(['demand_type', 'demand_id'])
    .execute();
}
