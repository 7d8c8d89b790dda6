import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../database.ts';

/**
 * Days being folded (reports.aggregates.ts): a fold moves its days from `report_dirty_days` here in
 * a short transaction, computes their aggregates outside any write transaction, and writes them in
 * another short one. Readers treat these days as marked. `claim` names the fold that took the day; a
 * later fold that takes the same day again (it was marked meanwhile, or the claim is older than the
 * claim lease and its fold presumed dead) replaces the row, and the first fold then leaves the day alone.
 *
 * Delivered money per currency: the delivery aggregate gets the sales order's currency in its key
 * (amounts of different currencies are never added up) and is filled again by a rebuild; a change of
 * an order's currency marks the days of its shipments.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('report_folding_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('claim', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('report_folding_days_day').on('report_folding_days').columns(['day']).execute();
  await s.createIndex('report_folding_days_claim').on('report_folding_days').columns(['claim']).execute();

  await s.dropTable('report_delivery_days').execute();
  await s
    .createTable('report_delivery_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('lines', 'bigint', (c) => c.notNull())
    .addColumn('qty', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_delivery_days_pk', ['day', 'on_time', 'currency'])
    .execute();
  await sql`update report_fold_state set rebuild = 1 where id = 1`.execute(db);

  const body = `insert into report_dirty_days (day)
    select distinct x.day from (select substr(s.created_at, 1, 10) as day from shipments s
      where s.sales_order_id = new.id) x
    where x.day is not null and not exists (select 1 from report_dirty_days d where d.day = x.day)`;
  if (dialect === 'postgres') {
    await sql
      .raw(`create function rd_sales_order_currency_upd() returns trigger language plpgsql as $fn$
        begin ${body}; return null; end $fn$`)
      .execute(db);
    await sql
      .raw(`create trigger rd_sales_order_currency_upd after update of currency on sales_orders for each row
        when (old.currency is distinct from new.currency) execute function rd_sales_order_currency_upd()`)
      .execute(db);
  } else {
    await sql
      .raw(`create trigger rd_sales_order_currency_upd after update of currency on sales_orders for each row
        when old.currency is not new.currency begin ${body}; end`)
      .execute(db);
  }
}
