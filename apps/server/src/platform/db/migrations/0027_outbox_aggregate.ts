import type { Kysely } from 'kysely';

/**
 * Drops `outbox_aggregate` (aggregate_type, aggregate_id, seq): no read looks events up by
 * aggregate (the dispatcher, the change feed, SSE catch-up and webhook replay all walk `seq`), and
 * every event written paid for it: a bulk import writes one event per row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_aggregate').ifExists().execute();
}
