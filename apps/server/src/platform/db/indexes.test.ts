import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { testTargets } from '../../testing/databases.ts';
import { leaderboard, wageStatement } from '../../modules/pay/pay.service.ts';
import { floorBoard } from '../../modules/shopfloor/floor.routes.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import type { Db } from './database.ts';

/**
 * The reads that run all day must stay index walks as history grows. Each case calls the real route,
 * captures the SQL it runs against the big table and asks the database for the plan:
 * - SQLite (`EXPLAIN QUERY PLAN`): the table is searched through the named index, never scanned;
 * - PostgreSQL (`EXPLAIN`, sequential scans priced out so tiny test tables do not hide a missing
 *   index): the named index is used and there is no `Seq Scan` on the table.
 */
interface Case {
  readonly name: string;
  readonly url: () => string;
  /** The table whose access path matters, as it appears after FROM/JOIN. */
  readonly table: string;
  /** Any of these indexes serves the query (the planner may prefer one or the other). */
  readonly indexes: readonly string[];
  /**
   * For a route answered on a read thread (read-threads.ts), whose statements are not observed here:
   * what the route calls, run on this thread instead.
   */
  readonly run?: (db: Db) => Promise<unknown>;
}

for (const target of await testTargets()) {
  describe(`list queries use indexes on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const ids: Record<string, string> = {};

    before(async () => {
      // Every route must run its queries here, never answer from the read cache.
      h = await startHarness(target, { demo: true, start: false, config: { readCacheTtlMs: 0 } });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const k = h.runtime.db.kysely;
      const machine = await k
        .selectFrom('machines')
        .select(['id', 'work_center_id'])
        .executeTakeFirstOrThrow();
      const item = await k
        .selectFrom('items')
        .select('id')
        .where('type', '=', 'finished')
        .executeTakeFirstOrThrow();
      const so = await k.selectFrom('sales_orders').select('id').executeTakeFirstOrThrow();
      const employee = await k.selectFrom('employees').select('id').executeTakeFirstOrThrow();
      const location = await k.selectFrom('locations').select('id').executeTakeFirstOrThrow();
      Object.assign(ids, {
        location: location.id,
        machine: machine.id,
        workCenter: machine.work_center_id,
        item: item.id,
        salesOrder: so.id,
        employee: employee.id,
      });
    });
    after(async () => h.close());

    /** The statements a GET runs (or the function it calls, `run`), with their parameters. */
    async function queriesOf(url: string, run?: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
      const seen: CompiledQuery[] = [];
      const stop = h.runtime.db.observe((e) => {
        if (e.level === 'query') seen.push(e.query);
      });
      try {
        if (run) await run(h.runtime.db);
        else {
          const res = await call('GET', url);
          assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        }
      } finally {
        stop();
      }
      return seen;
    }

    async function planOf(q: CompiledQuery): Promise<string> {
      const db = h.runtime.db;
      if (db.dialect === 'sqlite') {
        const r = await db.kysely.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]),
        );
        return r.rows.map((row) => row.detail).join('\n');
      }
      return db.kysely.transaction().execute(async (tx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(tx);
        const r = await tx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]),
        );
        return r.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    }

    const cases: Case[] = [
      {
        name: 'work-order list by status',
        url: () => '/api/v1/work-orders?status=released&limit=50',
        table: 'work_orders',
        indexes: ['work_orders_status_id'],
      },
      {
        name: 'work-order list by item',
        url: () => `/api/v1/work-orders?itemId=${ids.item}&limit=50`,
        table: 'work_orders',
        indexes: ['work_orders_item_id'],
      },
      {
        name: 'work-order tree (by root)',
        url: () => `/api/v1/work-orders?rootId=${ids.item}&limit=50`,
        table: 'work_orders',
        indexes: ['work_orders_root'],
      },
      {
        name: 'work-order list by sales order',
        url: () => `/api/v1/work-orders?salesOrderId=${ids.salesOrder}`,
        table: 'work_orders',
        indexes: ['work_orders_so'],
      },
      {
        name: 'dispatch list per machine',
        url: () => `/api/v1/shopfloor/dispatch-list?machineId=${ids.machine}`,
        table: 'work_order_operations',
        indexes: ['wo_operations_machine'],
      },
      {
        name: 'dispatch list per work center',
        url: () => `/api/v1/shopfloor/dispatch-list?workCenterId=${ids.workCenter}`,
        table: 'work_order_operations',
        indexes: ['wo_operations_wc'],
      },
      {
        name: 'stock moves of an item',
        url: () => `/api/v1/inventory/moves?itemId=${ids.item}&limit=50`,
        table: 'stock_moves',
        indexes: ['stock_moves_item'],
      },
      {
        name: 'stock moves at a location',
        url: () => `/api/v1/inventory/moves?locationId=${ids.location}&limit=50`,
        table: 'stock_moves',
        indexes: ['stock_moves_from', 'stock_moves_to'],
      },
      {
        name: 'archived stock moves, newest first',
        url: () => '/api/v1/inventory/moves?archived=true&limit=50',
        table: 'stock_moves_archive',
        indexes: ['stock_moves_archive_seq'],
      },
      {
        name: 'archived stock moves of an item',
        url: () => `/api/v1/inventory/moves?archived=true&itemId=${ids.item}&limit=50`,
        table: 'stock_moves_archive',
        indexes: ['stock_moves_archive_item'],
      },
      {
        name: 'archived stock moves of a reference',
        url: () => `/api/v1/inventory/moves?archived=true&refType=work_order&refId=WO-NONE&limit=50`,
        table: 'stock_moves_archive',
        indexes: ['stock_moves_archive_ref'],
      },
      {
        name: 'archived stock moves at a location',
        url: () => `/api/v1/inventory/moves?archived=true&locationId=${ids.location}&limit=50`,
        table: 'stock_moves_archive',
        indexes: ['stock_moves_archive_from', 'stock_moves_archive_to'],
      },
      {
        name: 'stock lookup',
        url: () => `/api/v1/inventory/items/${ids.item}/availability`,
        table: 'stock_balances',
        indexes: ['stock_balances_pk', 'sqlite_autoindex_stock_balances_1'],
      },
      {
        name: 'sales-order progress: lines',
        url: () => `/api/v1/sales-orders/${ids.salesOrder}/progress`,
        table: 'sales_order_lines',
        indexes: ['sales_order_lines_no', 'sqlite_autoindex_sales_order_lines_2'],
      },
      {
        name: 'sales-order progress: work orders of the lines',
        url: () => `/api/v1/sales-orders/${ids.salesOrder}/progress`,
        table: 'work_orders',
        indexes: ['work_orders_so_line'],
      },
      {
        name: 'sales-order progress: shipments',
        url: () => `/api/v1/sales-orders/${ids.salesOrder}/progress`,
        table: 'shipments',
        indexes: ['shipments_order'],
      },
      {
        name: 'latest report per machine (floor board)',
        url: () => `/api/v1/shopfloor/floor?workCenterId=${ids.workCenter}`,
        table: 'operation_reports',
        indexes: ['operation_reports_machine'],
        run: (db) => floorBoard(db, ids.workCenter),
      },
      {
        name: 'pay period of one operator',
        url: () => `/api/v1/shopfloor/wages?from=2026-01-01&to=2026-01-31&operatorId=${ids.employee}`,
        table: 'operation_reports',
        indexes: ['operation_reports_operator', 'operation_reports_reported'],
        run: (db) => wageStatement(db, { from: '2026-01-01', to: '2026-01-31', operatorId: ids.employee }),
      },
      {
        name: 'pay period of everyone',
        url: () => '/api/v1/shopfloor/leaderboard?from=2026-01-01&to=2026-01-31',
        table: 'operation_reports',
        indexes: ['operation_reports_reported'],
        run: (db) => leaderboard(db, { from: '2026-01-01', to: '2026-01-31' }),
      },
      {
        name: 'history of an item',
        url: () => `/api/v1/items/${ids.item}/history`,
        table: 'audit_log',
        indexes: ['audit_entity'],
      },
      {
        name: 'change feed (events after a sequence number)',
        url: () => '/api/v1/changes?after=1&limit=50',
        table: 'outbox',
        indexes: ['outbox_pkey', 'INTEGER PRIMARY KEY'],
      },
    ];

    for (const c of cases) {
      it(`${c.name} uses ${c.indexes.join(' or ')}`, async () => {
        const from = new RegExp(`\\b(?:from|join) "${c.table}"(?: as "(\\w+)")?`, 'i');
        const queries = (await queriesOf(c.url(), c.run)).filter((q) => from.test(q.sql));
        assert.ok(queries.length > 0, `the route ran no query on ${c.table}`);
        for (const q of queries) {
          const plan = await planOf(q);
          const why = `${q.sql}\n--- plan ---\n${plan}`;
          assert.ok(
            c.indexes.some((i) => new RegExp(`\\b${i}\\b`).test(plan)),
            `expected ${c.indexes.join(' or ')}:\n${why}`,
          );
          if (h.runtime.db.dialect === 'sqlite') {
            // "SCAN <table or alias>" without an index is a full table scan.
            const alias = from.exec(q.sql)?.[1] ?? c.table;
            assert.doesNotMatch(plan, new RegExp(`^\\s*SCAN (?:${c.table}|${alias})\\s*$`, 'm'), why);
          } else {
            assert.doesNotMatch(plan, new RegExp(`Seq Scan on ${c.table}\\b`), why);
          }
        }
      });
    }
  });
}
