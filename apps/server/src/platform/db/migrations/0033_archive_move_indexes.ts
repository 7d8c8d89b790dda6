import type { Kysely } from 'kysely';

/**
 * The archived stock moves listed as the ledger is (`GET /inventory/moves?archived=true`): newest
 * first by sequence number, all of them or those at a location (moved from or to it). Migration 0026
 * gave the archive the item and reference indexes only, so these lists read and sorted the whole
 * archive — the table that holds years of a plant's moves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createIndex('stock_moves_archive_seq').on('stock_moves_archive').column('seq').execute();
  await s
    .createIndex('stock_moves_archive_from')
    .on('stock_moves_archive')
    .columns(['from_location_id', 'seq'])
    .execute();
  await s
    .createIndex('stock_moves_archive_to')
    .on('stock_moves_archive')
    .columns(['to_location_id', 'seq'])
    .execute();
}
