import type { Kysely } from 'kysely';

/**
 * Indexes for the management reports, which read a date range of history: shipments by date
 * (delivery), work-order completions by date (production), shop-floor reports and planned operation
 * starts by date (machine utilisation). The archive twins get the same, so a range reaching back past
 * the archive horizon stays an index walk too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createIndex('shipments_created').on('shipments').columns(['created_at']).execute();
  for (const suffix of ['', '_archive']) {
    await s
      .createIndex(`wo_history${suffix}_action_at`)
      .on(`work_order_history${suffix}`)
      .columns(['action', 'at'])
      .execute();
    await s
      .createIndex(`wo_operations${suffix}_planned_start`)
      .on(`work_order_operations${suffix}`)
      .columns(['planned_start'])
      .execute();
  }
  // Archived reports find their operation by id (the hot table has it as its primary key).
  await s
    .createIndex('wo_operations_archive_id')
    .on('work_order_operations_archive')
    .columns(['id'])
    .execute();
  await s
    .createIndex('operation_reports_archive_reported')
    .on('operation_reports_archive')
    .columns(['reported_at'])
    .execute();
}
