import type { Kysely } from 'kysely';

/**
 * Floor exceptions by the work order and the operation they are about: the archive asks, for each
 * order tree it would move, whether an exception still refers to one of its orders or operations.
 * Without these, each such question read the whole table of exceptions, which grows for as long as
 * the plant runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('floor_exceptions_work_order')
    .on('floor_exceptions')
    .column('work_order_id')
    .execute();
  await db.schema
    .createIndex('floor_exceptions_operation')
    .on('floor_exceptions')
    .column('operation_id')
    .execute();
}
