import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IsoDate } from '@takt/domain';
import pg from 'pg';
import { pino } from 'pino';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { systemCtx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import type { JobHandler, JobWorker } from '../../platform/jobs/worker.ts';
import { testTargets } from '../../testing/databases.ts';
import { insertMachine, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { type Harness, startHarness } from '../../testing/harness.ts';
import { createItem } from '../items/item.service.ts';
import * as agg from './reports.aggregates.ts';
import { FOLD_JOB, setupReportFold } from './reports.fold.job.ts';

/**
 * A fold against a writer still open on another connection, whose change to an already marked day
 * inserted no marker (the day had one): the claim must not take that marker before the writer
 * commits, or the day would end up unmarked with aggregates lacking the writer's change.
 */
for (const target of await testTargets()) {
  const skip =
    target.name === 'sqlite'
      ? 'SQLite has one writer at a time: no claim can start while another transaction writes'
      : false;
  describe(`report fold against writers in flight on ${target.name}`, { skip }, () => {
    let h: Harness;
    let op = '';
    let machine = '';
    const writers: pg.Client[] = [];

    const insert = (table: keyof Database, row: Record<string, unknown>) =>
      h.runtime.db.kysely
        .insertInto(table)
        .values(row as never)
        .execute();
    const count = async (table: string, day: string) =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where day = ${day}`.execute(
            h.runtime.db.kysely,
          )
        ).rows[0]!.n,
      );

    /** A floor report on `day`, which marks that day; returns the report's id. */
    async function reportOn(day: IsoDate): Promise<string> {
      const id = newId();
      await insert('operation_reports', {
        id,
        operation_id: op,
        idempotency_key: newId(),
        good: 10_000,
        scrap: 1000,
        scrap_reason: 'burr',
        operator_id: null,
        machine_id: machine,
        reported_at: `${day}T09:00:00.000Z`,
        received_at: new Date().toISOString(),
      });
      return id;
    }

    /**
     * Opens a transaction on a connection of its own that raises a report's good quantity, and leaves
     * it open. The report's day is marked already, so the writer's trigger inserts nothing.
     */
    async function openWriter(report: string, day: IsoDate): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: h.database.url! });
      await client.connect();
      writers.push(client);
      await client.query('begin');
      await client.query('update operation_reports set good = good + 5000 where id = $1', [report]);
      const seen = await client.query('select count(*) as n from report_dirty_days where day = $1', [day]);
      assert.equal(Number(seen.rows[0].n), 1, "the writer's trigger added no marker");
      return client;
    }

    before(async () => {
      h = await startHarness(target, { demo: false, start: false, config: { readCacheTtlMs: 0 } });
      const k = h.runtime.db.kysely;
      const item = await createItem(h.runtime.db, systemCtx(), {
        code: 'RF-FG',
        name: 'RF-FG',
        type: 'finished',
        uom: 'pcs',
      } as never);
      const wc = await insertWorkCenter(k, 'RF-WC');
      machine = await insertMachine(k, 'RF-M1', wc);
      const wo = newId();
      await insert('work_orders', {
        id: wo,
        code: 'WO-RF-1',
        item_id: item.id,
        qty: 100_000,
        qty_good: 0,
        qty_scrap: 0,
        qty_received: 0,
        status: 'in_progress',
        held_from: null,
        closed_short_reason: null,
        bom_id: null,
        routing_id: null,
        parent_id: null,
        root_id: wo,
        sales_order_id: null,
        sales_order_line_id: null,
        due_date: '2026-04-30',
        priority: 50,
        source: 'manual',
        version: 1,
        created_at: '2026-02-01T00:00:00.000Z',
        updated_at: '2026-02-01T00:00:00.000Z',
      });
      op = newId();
      await insert('work_order_operations', {
        id: op,
        work_order_id: wo,
        seq: 10,
        name: 'op',
        work_center_id: wc,
        machine_id: machine,
        status: 'in_progress',
        setup_minutes: 0,
        run_mmin: 1500,
        planned_minutes: 60,
        planned_start: '2026-03-01T08:00:00.000Z',
        planned_end: null,
        updated_at: '2026-02-01T00:00:00.000Z',
      });
      await agg.rebuildReportAggregates(h.runtime.db);
    });
    after(async () => {
      for (const w of writers) await w.end().catch(() => undefined);
      await h.close();
    });

    it('waits for a writer in flight on a marked day and folds its change', async () => {
      const db = h.runtime.db;
      const day = '2026-03-05' as IsoDate;
      const report = await reportOn(day);
      const writer = await openWriter(report, day);
      let foldedAt = 0;
      const folding = agg.runFold(db).then((r) => {
        foldedAt = Date.now();
        return r;
      });
      await sleep(200);
      const committedAt = Date.now();
      await writer.query('commit');
      const result = await folding;
      assert.equal(result.busy, false);
      assert.ok(result.days >= 1, 'the day was folded');
      assert.equal(await count('report_dirty_days', day), 0, 'nothing left marked');
      assert.equal(await count('report_folding_days', day), 0);
      // Unmarked, so compared: the aggregates hold the writer's change.
      assert.deepEqual(await agg.checkReportDay(db, day), []);
      assert.ok(foldedAt >= committedAt, 'the fold waited for the writer');
    });

    it('gives up after the lock timeout while a writer stays open, leaving the days marked', async () => {
      const db = h.runtime.db;
      const day = '2026-03-06' as IsoDate;
      const report = await reportOn(day);
      const writer = await openWriter(report, day);
      const started = Date.now();
      const result = await agg.runFold(db, { lockTimeoutMs: 150 });
      const waited = Date.now() - started;
      assert.deepEqual(
        { busy: result.busy, days: result.days, more: result.more },
        { busy: true, days: 0, more: false },
      );
      assert.ok(waited >= 100 && waited < 5000, `the claim gave up after the timeout (${waited} ms)`);
      assert.equal(await count('report_dirty_days', day), 1, 'the day stays marked');
      assert.equal(await count('report_folding_days', day), 0, 'and is not claimed');
      await writer.query('commit');
      const next = await agg.runFold(db, { lockTimeoutMs: 150 });
      assert.equal(next.busy, false);
      assert.ok(next.days >= 1);
      assert.equal(await count('report_dirty_days', day), 0);
      assert.deepEqual(await agg.checkReportDay(db, day), []);
    });

    it('ends the fold job as done, with an info line, when a writer outlasts the wait', async () => {
      const db = h.runtime.db;
      const day = '2026-03-07' as IsoDate;
      const report = await reportOn(day);
      const writer = await openWriter(report, day);
      const lines: { level: number; msg: string }[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      });
      const handlers = new Map<string, JobHandler>();
      const worker = { register: (name: string, fn: JobHandler) => handlers.set(name, fn) };
      await setupReportFold(db, worker as unknown as JobWorker, pino({ level: 'debug' }, sink));
      const outcome = await handlers.get(FOLD_JOB)!({}, {} as never);
      await writer.query('commit');
      assert.deepEqual(outcome, { status: 'done' });
      assert.deepEqual(
        lines.map((l) => [l.level, l.msg]),
        [[30, 'report fold deferred: a writer in flight held the day markers']],
      );
      assert.equal(await count('report_dirty_days', day), 1, 'the day stays marked for the next run');
    });
  });
}
