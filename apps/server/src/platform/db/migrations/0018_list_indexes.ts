import type { Kysely } from 'kysely';

/** Lists of work orders filter by status and page newest first (by id): keep that one index walk. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('work_orders_status_id').on('work_orders').columns(['status', 'id']).execute();
}
