import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IsoDate } from '@takt/domain';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { systemCtx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { testTargets } from '../../testing/databases.ts';
import { insertMachine, insertWarehouse, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { type Harness, startHarness } from '../../testing/harness.ts';
import { archiveOld } from '../archive/archive.service.ts';
import { createCustomer } from '../customers/customer.service.ts';
import { createItem } from '../items/item.service.ts';
import * as agg from './reports.aggregates.ts';
import * as repo from './reports.repo.ts';
import { periodOf, periodsOf, startOfDayIso } from './reports.rules.ts';
import { deliveryReport, productionReport } from './reports.service.ts';
import { utilisationReport } from './reports.utilisation.ts';

/**
 * The daily read model against the direct queries it replaces (the oracle): random history is
 * written (floor reports, completions, later changes to completed orders and reported operations,
 * shipments, archiving), folded not at all, partly, fully, twice or by two folds at once, and every
 * report input read through the aggregates must equal the direct computation over the raw rows.
 */
const FIRST = 0;
const DAYS = 40;
const dayAt = (i: number) =>
  new Date(Date.UTC(2026, 2, 1) + i * 86_400_000).toISOString().slice(0, 10) as IsoDate;
const REASONS = [
  null,
  'burr',
  'crack',
  'dent',
  'dim',
  'paint',
  'rust',
  'warp',
  'chip',
  'bend',
  'weld',
  'hole',
  'misc',
];

/** Rows as canonical text (keys in order), sorted: the same rows in any order compare equal. */
const byJson = <T extends object>(rows: readonly T[]) =>
  rows
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))))
    .sort();

for (const target of await testTargets()) {
  describe(`report aggregates on ${target.name}`, () => {
    let h: Harness;
    const ids = { fg: '', loc: '', customer: '', wc: '', machines: [] as string[] };
    const ops: { id: string; wo: string }[] = [];
    const lines: { id: string; qty: number; shipped: number; so: string }[] = [];
    const completedOrders: string[] = [];
    let seq = 0;

    const insert = (table: keyof Database, row: Record<string, unknown>) =>
      h.runtime.db.kysely
        .insertInto(table)
        .values(row as never)
        .execute();

    before(async () => {
      h = await startHarness(target, { demo: false, start: false, config: { readCacheTtlMs: 0 } });
      const k = h.runtime.db.kysely;
      const ctx = systemCtx();
      ids.fg = (
        await createItem(h.runtime.db, ctx, {
          code: 'RA-FG',
          name: 'RA-FG',
          type: 'finished',
          uom: 'pcs',
        } as never)
      ).id;
      ids.loc = (await insertWarehouse(k, 'RA-W', ['RA1'])).RA1!;
      ids.customer = (
        await createCustomer(h.runtime.db, ctx, { code: 'RA-C', name: 'RA customer', tier: 'A' })
      ).id;
      ids.wc = await insertWorkCenter(k, 'RA-WC');
      for (const code of ['RA-M1', 'RA-M2', 'RA-M3']) ids.machines.push(await insertMachine(k, code, ids.wc));
      // The rows this test writes start from a clean read model.
      await agg.rebuildReportAggregates(h.runtime.db);
    });
    after(async () => h.close());

    async function workOrder(status: string): Promise<string> {
      const id = newId();
      await insert('work_orders', {
        id,
        code: `WO-RA-${++seq}`,
        item_id: ids.fg,
        qty: 100_000,
        qty_good: 0,
        qty_scrap: 0,
        qty_received: 0,
        status,
        held_from: null,
        closed_short_reason: null,
        bom_id: null,
        routing_id: null,
        parent_id: null,
        root_id: id,
        sales_order_id: null,
        sales_order_line_id: null,
        due_date: '2026-04-30',
        priority: 50,
        source: 'manual',
        version: 1,
        created_at: '2026-02-01T00:00:00.000Z',
        updated_at: '2026-02-01T00:00:00.000Z',
      });
      const op = newId();
      await insert('work_order_operations', {
        id: op,
        work_order_id: id,
        seq: 10,
        name: 'op',
        work_center_id: ids.wc,
        machine_id: ids.machines[seq % 3]!,
        status: 'completed',
        setup_minutes: 0,
        run_mmin: 1000 + (seq % 7) * 500,
        planned_minutes: 60,
        planned_start: `${dayAt(seq % DAYS)}T08:00:00.000Z`,
        planned_end: null,
        updated_at: '2026-02-01T00:00:00.000Z',
      });
      ops.push({ id: op, wo: id });
      return id;
    }

    async function salesLine(qty: number, requested: IsoDate, currency: string) {
      const so = newId();
      const id = newId();
      await insert('sales_orders', {
        id: so,
        code: `SO-RA-${++seq}`,
        customer_id: ids.customer,
        external_ref: '',
        currency,
        status: 'confirmed',
        header_due_date: null,
        due_date: requested,
        order_value: qty * 500,
        priority_score: 0,
        priority: '{}',
        note: '',
        version: 1,
        confirmed_at: '2026-02-01T00:00:00.000Z',
        created_at: '2026-02-01T00:00:00.000Z',
        updated_at: '2026-02-01T00:00:00.000Z',
      });
      await insert('sales_order_lines', {
        id,
        sales_order_id: so,
        line_no: 1,
        item_id: ids.fg,
        qty: qty * 1000,
        unit_price: 500,
        price_per: 1000,
        amount: qty * 500,
        requested_date: requested,
        promised_date: null,
        shortage: 0,
        shipped_qty: 0,
      });
      lines.push({ id, qty, shipped: 0, so });
    }

    /** Ships `qty` of a line on a day, the way shipping does: the line's shipped quantity goes up. */
    async function ship(line: (typeof lines)[number], qty: number, when: string) {
      const sh = newId();
      await h.runtime.db.transaction(async (tx) => {
        await tx
          .updateTable('sales_order_lines')
          .set({ shipped_qty: sql`shipped_qty + ${qty * 1000}` })
          .where('id', '=', line.id)
          .execute();
        await tx
          .insertInto('shipments')
          .values({
            id: sh,
            code: `SH-RA-${++seq}`,
            sales_order_id: line.so,
            note: '',
            actor_id: null,
            created_at: when,
          } as never)
          .execute();
        await tx
          .insertInto('shipment_lines')
          .values({
            id: newId(),
            shipment_id: sh,
            sales_order_line_id: line.id,
            item_id: ids.fg,
            qty: qty * 1000,
            from_location_id: ids.loc,
            lot: null,
            move_id: newId(),
          } as never)
          .execute();
      });
      line.shipped += qty;
    }

    type Event =
      | {
          kind: 'report';
          op: number;
          day: number;
          hour: number;
          good: number;
          scrap: number;
          reason: number;
          machine: number;
        }
      | { kind: 'order' }
      | { kind: 'complete'; op: number; day: number; good: number; scrap: number }
      | { kind: 'recount'; order: number; good: number }
      | { kind: 'reroute'; op: number; machine: number; run: number }
      | { kind: 'replan'; op: number; day: number; minutes: number }
      | { kind: 'line'; qty: number; requested: number; currency: string }
      | { kind: 'recurrency'; line: number; currency: string }
      | { kind: 'ship'; line: number; qty: number; day: number; hour: number }
      | { kind: 'redate'; line: number; requested: number }
      | { kind: 'archive' };

    const day = fc.integer({ min: FIRST, max: DAYS - 1 });
    const event: fc.Arbitrary<Event> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('report' as const),
          op: fc.nat(),
          day,
          hour: fc.integer({ min: 0, max: 23 }),
          good: fc.integer({ min: 0, max: 50 }),
          scrap: fc.integer({ min: 0, max: 3 }),
          reason: fc.nat(REASONS.length - 1),
          machine: fc.integer({ min: -1, max: 2 }),
        }),
      },
      { weight: 2, arbitrary: fc.constant({ kind: 'order' as const }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('complete' as const),
          op: fc.nat(),
          day,
          good: fc.integer({ min: 0, max: 100 }),
          scrap: fc.integer({ min: 0, max: 5 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('recount' as const),
          order: fc.nat(),
          good: fc.integer({ min: 0, max: 100 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('reroute' as const),
          op: fc.nat(),
          machine: fc.nat(2),
          run: fc.integer({ min: 500, max: 4000 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('replan' as const),
          op: fc.nat(),
          day,
          minutes: fc.integer({ min: 1, max: 600 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('line' as const),
          qty: fc.integer({ min: 1, max: 10 }),
          requested: day,
          currency: fc.constantFrom('CNY', 'USD'),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('recurrency' as const),
          line: fc.nat(),
          currency: fc.constantFrom('CNY', 'USD', 'EUR'),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('ship' as const),
          line: fc.nat(),
          qty: fc.integer({ min: 1, max: 10 }),
          day,
          hour: fc.integer({ min: 0, max: 23 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant('redate' as const), line: fc.nat(), requested: day }),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'archive' as const }) },
    );

    async function apply(e: Event) {
      const k = h.runtime.db.kysely;
      const stamp = (d: number, hour = 10) => `${dayAt(d)}T${String(hour).padStart(2, '0')}:30:00.000Z`;
      switch (e.kind) {
        case 'order':
          await workOrder('in_progress');
          return;
        case 'report': {
          const op = ops[e.op % Math.max(1, ops.length)];
          if (!op) return workOrder('in_progress').then(() => undefined);
          await insert('operation_reports', {
            id: newId(),
            operation_id: op.id,
            idempotency_key: newId(),
            good: e.good * 1000,
            scrap: e.scrap * 1000,
            scrap_reason: e.scrap > 0 ? REASONS[e.reason]! : null,
            operator_id: null,
            machine_id: e.machine < 0 ? null : ids.machines[e.machine]!,
            reported_at: stamp(e.day, e.hour),
            received_at: new Date().toISOString(),
          }).catch(() => undefined); // the operation was archived meanwhile
          return;
        }
        case 'complete': {
          const op = ops[e.op % Math.max(1, ops.length)];
          if (!op) return;
          const moved = await k
            .updateTable('work_orders')
            .set({ status: 'completed', qty_good: e.good * 1000, qty_scrap: e.scrap * 1000 })
            .where('id', '=', op.wo)
            .where('status', '=', 'in_progress')
            .executeTakeFirst();
          if (Number(moved.numUpdatedRows) !== 1) return;
          await insert('work_order_history', {
            id: newId(),
            work_order_id: op.wo,
            operation_id: null,
            action: 'complete',
            from_status: 'in_progress',
            to_status: 'completed',
            reason: null,
            actor_id: null,
            at: stamp(e.day),
          });
          completedOrders.push(op.wo);
          return;
        }
        case 'recount': {
          const wo = completedOrders[e.order % Math.max(1, completedOrders.length)];
          if (wo)
            await k
              .updateTable('work_orders')
              .set({ qty_good: e.good * 1000 })
              .where('id', '=', wo)
              .execute();
          return;
        }
        case 'reroute': {
          const op = ops[e.op % Math.max(1, ops.length)];
          if (op) {
            await k
              .updateTable('work_order_operations')
              .set({ machine_id: ids.machines[e.machine]!, run_mmin: e.run })
              .where('id', '=', op.id)
              .execute();
          }
          return;
        }
        case 'replan': {
          const op = ops[e.op % Math.max(1, ops.length)];
          if (op) {
            await k
              .updateTable('work_order_operations')
              .set({ planned_start: stamp(e.day, 7), planned_minutes: e.minutes })
              .where('id', '=', op.id)
              .execute();
          }
          return;
        }
        case 'line':
          await salesLine(e.qty, dayAt(e.requested), e.currency);
          return;
        case 'recurrency': {
          // An order's currency corrected after it shipped: its delivered money moves currency.
          const line = lines[e.line % Math.max(1, lines.length)];
          if (line) {
            await k
              .updateTable('sales_orders')
              .set({ currency: e.currency })
              .where('id', '=', line.so)
              .execute();
          }
          return;
        }
        case 'ship': {
          const line = lines[e.line % Math.max(1, lines.length)];
          if (!line || line.shipped >= line.qty) return;
          await ship(line, Math.min(e.qty, line.qty - line.shipped), stamp(e.day, e.hour));
          return;
        }
        case 'redate': {
          const line = lines[e.line % Math.max(1, lines.length)];
          if (line) {
            await k
              .updateTable('sales_order_lines')
              .set({ requested_date: dayAt(e.requested) })
              .where('id', '=', line.id)
              .execute();
          }
          return;
        }
        case 'archive': {
          // One completed order is closed; closed orders move to the archive.
          const wo = completedOrders.shift();
          if (wo) await k.updateTable('work_orders').set({ status: 'closed' }).where('id', '=', wo).execute();
          await archiveOld(h.runtime.db, { afterDays: 0, now: new Date('2030-01-01T00:00:00.000Z') });
          const left = new Set(
            (await k.selectFrom('work_order_operations').select('id').execute()).map((r) => r.id),
          );
          for (let i = ops.length - 1; i >= 0; i--) if (!left.has(ops[i]!.id)) ops.splice(i, 1);
          return;
        }
      }
    }

    /** Every report input, read through the aggregates, equals the direct query over the raw rows. */
    async function assertSameAsDirect(from: number, to: number, endHour: number) {
      const k = h.runtime.db.kysely;
      const f = dayAt(from);
      const t = dayAt(to);
      const fromIso = startOfDayIso(f);
      const toIso = startOfDayIso(dayAt(to + 1));
      const endIso = endHour >= 24 ? toIso : `${t}T${String(endHour).padStart(2, '0')}:15:00.000Z`;
      const where = `${f}..${t}`;
      assert.deepEqual(
        byJson(await agg.deliveredDays(k, f, t)),
        byJson(await repo.deliveredLines(k, fromIso, toIso)),
        `delivery ${where}`,
      );
      assert.deepEqual(
        byJson(await agg.completedDays(k, f, t)),
        byJson(await repo.completedOrders(k, fromIso, toIso)),
        `production ${where}`,
      );
      assert.deepEqual(
        await agg.scrapReasonDays(k, f, t, 10),
        await repo.scrapReasons(k, fromIso, toIso, 10),
        `scrap ${where}`,
      );
      assert.deepEqual(
        byJson(await agg.reportedRunDays(k, f, endIso)),
        byJson(await repo.reportedRunByMachineDay(k, fromIso, endIso)),
        `utilisation ${where} to ${endIso}`,
      );
      assert.deepEqual(
        byJson(await agg.plannedRunDays(k, f, endIso)),
        byJson(await repo.plannedRunByMachineDay(k, fromIso, endIso)),
        `planned ${where} to ${endIso}`,
      );
      // Read by period (weeks, or months from the monthly sums), the sums per machine and period agree.
      for (const groupBy of ['week', 'month'] as const) {
        const periods = periodsOf({ from: f, to: t, groupBy });
        const rolled = (rows: readonly repo.RunByMachineDay[]) => {
          const sums = new Map<string, number[]>();
          for (const r of rows) {
            const key = `${r.machineId} ${periodOf(r.day as IsoDate, groupBy)}`;
            const v = sums.get(key) ?? [0, 0];
            sums.set(key, [v[0]! + r.run, v[1]! + r.count]);
          }
          return [...sums].sort(([a], [b]) => (a < b ? -1 : 1));
        };
        assert.deepEqual(
          rolled(await agg.reportedRunDays(k, f, endIso, periods)),
          rolled(await repo.reportedRunByMachineDay(k, fromIso, endIso)),
          `utilisation by ${groupBy} ${where} to ${endIso}`,
        );
        assert.deepEqual(
          rolled(await agg.plannedRunDays(k, f, endIso, periods)),
          rolled(await repo.plannedRunByMachineDay(k, fromIso, endIso)),
          `planned by ${groupBy} ${where} to ${endIso}`,
        );
      }
    }

    const fold = fc.constantFrom('none', 'partial', 'full', 'twice', 'concurrent', 'rebuild');
    async function runFold(how: string) {
      const db = h.runtime.db;
      if (how === 'partial') await agg.foldBatch(db, 3);
      if (how === 'full') await agg.runFold(db);
      if (how === 'twice') {
        await agg.runFold(db);
        await agg.runFold(db);
      }
      if (how === 'concurrent')
        await Promise.all([agg.runFold(db, { batchDays: 2 }), agg.runFold(db, { batchDays: 2 })]);
      if (how === 'rebuild') await agg.rebuildReportAggregates(db);
    }

    it('answers exactly as the direct queries, whatever has been folded', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(event, { minLength: 5, maxLength: 40 }),
          fold,
          fc.array(fc.tuple(day, day, fc.integer({ min: 0, max: 24 })), { minLength: 2, maxLength: 4 }),
          async (events, how, ranges) => {
            for (const e of events) await apply(e);
            await runFold(how);
            for (const [a, b, hour] of ranges) await assertSameAsDirect(Math.min(a, b), Math.max(a, b), hour);
          },
        ),
        { numRuns: 20, seed: 20261124 },
      );
    });

    /** A claim with no writer in flight, which has nobody to wait for: never `'busy'`. */
    const claimDays = async (...args: Parameters<typeof agg.claimDays>) => {
      const claim = await agg.claimDays(...args);
      assert.notEqual(claim, 'busy', 'no writer in flight');
      return claim === 'busy' ? null : claim;
    };
    const count = async (table: string, day?: string) => {
      const q = day
        ? sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where day = ${day}`
        : sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`;
      return Number((await q.execute(h.runtime.db.kysely)).rows[0]!.n);
    };
    /** A floor report of 7 good on a day: a change to that day's figures (and that day's alone). */
    async function reportOn(d: number) {
      if (ops.length === 0) await apply({ kind: 'order' });
      await apply({
        kind: 'report',
        op: ops.length - 1,
        day: d,
        hour: 11,
        good: 7,
        scrap: 1,
        reason: 2,
        machine: 1,
      });
    }

    it('answers exactly at every step of a fold, with changes between its claim and its write', async () => {
      const db = h.runtime.db;
      await fc.assert(
        fc.asyncProperty(
          fc.array(event, { minLength: 3, maxLength: 20 }),
          fc.integer({ min: 1, max: DAYS }),
          fc.array(event, { maxLength: 10 }),
          fc.array(event, { maxLength: 10 }),
          fc.tuple(day, day),
          async (before, batch, claimed, computed, [a, b]) => {
            const [from, to] = [Math.min(a, b), Math.max(a, b)];
            for (const e of before) await apply(e);
            const claim = await claimDays(db, batch);
            for (const e of claimed) await apply(e);
            await assertSameAsDirect(from, to, 24);
            const computer = await agg.startComputer(db);
            const rows = await computer.compute(claim?.days ?? []).finally(() => computer.stop());
            for (const e of computed) await apply(e);
            await assertSameAsDirect(from, to, 24);
            if (claim) assert.equal(await agg.writeClaim(db, claim, rows), claim.days.length);
            assert.equal(await count('report_folding_days'), 0, 'the write ends the claim');
            await assertSameAsDirect(from, to, 24);
            await agg.runFold(db);
            await assertSameAsDirect(0, DAYS - 1, 24);
            assert.deepEqual(await agg.checkReportDay(db, dayAt(from)), []);
          },
        ),
        { numRuns: 12, seed: 20261125 },
      );
    });

    it('marks a day again that changes between the claim and the write', async () => {
      const db = h.runtime.db;
      await agg.runFold(db);
      await reportOn(11);
      const claim = await claimDays(db, DAYS);
      assert.ok(claim, 'a claim');
      assert.ok(claim.days.includes(dayAt(11)));
      const rows = await agg.computeDays(db.kysely, claim.days);
      await reportOn(11);
      assert.equal(await count('report_dirty_days', dayAt(11)), 1, 'the change marked the day');
      await agg.writeClaim(db, claim, rows);
      assert.equal(await count('report_dirty_days', dayAt(11)), 1, 'the day stays marked');
      await assertSameAsDirect(0, DAYS - 1, 24);
      await agg.runFold(db);
      assert.equal(await count('report_dirty_days'), 0);
      assert.deepEqual(await agg.checkReportDay(db, dayAt(11)), []);
    });

    it('lets a later claim take a day over, and the earlier write leaves that day alone', async () => {
      const db = h.runtime.db;
      await agg.runFold(db);
      await reportOn(12);
      const first = await claimDays(db, DAYS);
      assert.ok(first, 'a claim');
      assert.ok(first.days.includes(dayAt(12)));
      const stale = await agg.computeDays(db.kysely, first.days);
      await reportOn(12);
      const second = await claimDays(db, DAYS);
      assert.ok(second, 'a second claim');
      assert.deepEqual(second.days, [dayAt(12)]);
      await agg.writeClaim(db, second, await agg.computeDays(db.kysely, second.days));
      const written = await agg.writeClaim(db, first, stale);
      assert.deepEqual(await agg.checkReportDay(db, dayAt(12)), []);
      await assertSameAsDirect(0, DAYS - 1, 24);
      assert.equal(written, first.days.length - 1);
      assert.equal((await count('report_dirty_days')) + (await count('report_folding_days')), 0);
    });

    it('folds again the days of a fold that stopped between claim and write', async () => {
      const db = h.runtime.db;
      await agg.runFold(db);
      await reportOn(13);
      const now = new Date();
      const claim = await claimDays(db, DAYS, now);
      assert.ok(claim, 'a claim');
      assert.ok(claim.days.includes(dayAt(13)));
      // The fold's process stops here: its claim is left behind.
      await assertSameAsDirect(0, DAYS - 1, 24);
      await agg.runFold(db, { now: () => now });
      assert.equal(await count('report_folding_days', dayAt(13)), 1, 'a live claim is left to its fold');
      await assertSameAsDirect(0, DAYS - 1, 24);
      const later = new Date(now.getTime() + agg.CLAIM_LEASE_MS + 1000);
      const result = await agg.runFold(db, { now: () => later });
      assert.ok(result.days >= 1);
      assert.equal(await count('report_folding_days'), 0);
      assert.equal(await count('report_dirty_days'), 0);
      assert.deepEqual(await agg.checkReportDay(db, dayAt(13)), []);
      await assertSameAsDirect(0, DAYS - 1, 24);
    });

    it('gives the days back to the markers when their computation fails', async () => {
      const db = h.runtime.db;
      await agg.runFold(db);
      await reportOn(14);
      const failing: agg.DayComputer = {
        compute: async () => {
          throw new Error('worker gone');
        },
        stop: async () => {},
      };
      await assert.rejects(agg.runFold(db, { computer: failing }), /worker gone/);
      assert.equal(await count('report_folding_days'), 0);
      assert.equal(await count('report_dirty_days', dayAt(14)), 1);
      await assertSameAsDirect(0, DAYS - 1, 24);
      await agg.runFold(db);
      assert.equal(await count('report_dirty_days'), 0);
      assert.deepEqual(await agg.checkReportDay(db, dayAt(14)), []);
    });

    it('reads the history of the days it folds off the server connection on SQLite', async () => {
      const db = h.runtime.db;
      await agg.runFold(db);
      await reportOn(15);
      const seen: string[] = [];
      const stop = db.observe((e) => seen.push(e.query.sql));
      try {
        assert.ok((await agg.runFold(db)).days >= 1);
      } finally {
        stop();
      }
      const history = seen.filter((q) => /from "operation_reports/.test(q));
      if (target.name === 'sqlite') assert.deepEqual(history, []);
      else assert.ok(history.length > 0);
      assert.deepEqual(await agg.checkReportDay(db, dayAt(15)), []);
    });

    it('follows changes to days already folded, before and after the next fold', async () => {
      const db = h.runtime.db;
      await apply({ kind: 'order' });
      const op = ops.length - 1;
      await apply({ kind: 'report', op, day: 5, hour: 9, good: 10, scrap: 1, reason: 1, machine: -1 });
      await apply({ kind: 'complete', op, day: 6, good: 10, scrap: 1 });
      await apply({ kind: 'line', qty: 4, requested: 8, currency: 'CNY' });
      const line = lines.length - 1;
      await apply({ kind: 'ship', line, qty: 4, day: 7, hour: 12 });
      const changes: Event[] = [
        { kind: 'recount', order: completedOrders.length - 1, good: 3 },
        { kind: 'reroute', op, machine: 2, run: 3333 },
        { kind: 'redate', line, requested: 2 },
        { kind: 'recurrency', line, currency: 'USD' },
        { kind: 'replan', op, day: 9, minutes: 77 },
      ];
      for (const change of changes) {
        await agg.runFold(db);
        await apply(change);
        await assertSameAsDirect(0, DAYS - 1, 24);
        await agg.runFold(db);
        await assertSameAsDirect(0, DAYS - 1, 24);
      }
      // An ordered quantity raised after delivery: the line is no longer delivered.
      await db.kysely
        .updateTable('sales_order_lines')
        .set({ qty: 9000 })
        .where('id', '=', lines[line]!.id)
        .execute();
      await assertSameAsDirect(0, DAYS - 1, 24);
    });

    it('leaves nothing marked after a full fold, and folding again changes nothing', async () => {
      const db = h.runtime.db;
      await agg.runFold(db);
      const tables = [
        'report_machine_days',
        'report_planned_days',
        'report_scrap_days',
        'report_production_days',
        'report_delivery_days',
      ];
      const snapshot = async () =>
        Promise.all(
          tables.map(async (t) =>
            byJson((await sql`select * from ${sql.table(t)}`.execute(db.kysely)).rows as object[]),
          ),
        );
      const first = await snapshot();
      assert.ok(first[0]!.length > 0, 'the fold wrote machine days');
      const marked = await sql<{ n: number }>`select count(*) as n from report_dirty_days`.execute(db.kysely);
      assert.equal(Number(marked.rows[0]!.n), 0);
      assert.equal(await count('report_folding_days'), 0);
      await Promise.all([agg.rebuildReportAggregates(db), agg.runFold(db)]);
      assert.deepEqual(await snapshot(), first);
      await assertSameAsDirect(0, DAYS - 1, 24);
    });

    it('leaves a held day marked and still answers it exactly', async () => {
      const db = h.runtime.db;
      await agg.requestRebuild(db);
      const held = dayAt(7);
      await agg.runFold(db, { holdDay: held });
      const left = await sql<{ day: string }>`select distinct day from report_dirty_days`.execute(db.kysely);
      assert.deepEqual(
        left.rows.map((r) => r.day),
        [held],
      );
      await assertSameAsDirect(0, DAYS - 1, 24);
      await agg.runFold(db);
      const none = await sql<{ n: number }>`select count(*) as n from report_dirty_days`.execute(db.kysely);
      assert.equal(Number(none.rows[0]!.n), 0);
      await assertSameAsDirect(0, DAYS - 1, 24);
    });

    it('finds a day whose aggregates differ from the history', async () => {
      const db = h.runtime.db;
      await agg.runFold(db);
      const row = await db.kysely
        .withTables<{ report_machine_days: { day: string; machine_id: string; run: number } }>()
        .selectFrom('report_machine_days')
        .select(['day', 'machine_id'])
        .executeTakeFirstOrThrow();
      assert.deepEqual(await agg.checkReportDay(db, row.day as IsoDate), []);
      await db.kysely
        .withTables<{ report_machine_days: { day: string; machine_id: string; run: number } }>()
        .updateTable('report_machine_days')
        .set({ run: 1 })
        .where('day', '=', row.day)
        .where('machine_id', '=', row.machine_id)
        .execute();
      assert.deepEqual(await agg.checkReportDay(db, row.day as IsoDate), ['reported']);
      await agg.rebuildReportAggregates(db);
      assert.deepEqual(await agg.checkReportDay(db, row.day as IsoDate), []);
    });

    it('gives the same reports from the aggregates as straight from the history', async () => {
      const db = h.runtime.db;
      const now = new Date(`${dayAt(30)}T13:00:00.000Z`);
      const query = { from: dayAt(0), to: dayAt(DAYS - 1), groupBy: 'week' };
      await agg.runFold(db);
      const folded = [
        await deliveryReport(db, query, now),
        await productionReport(db, query, now),
        await utilisationReport(db, query, now),
      ];
      // Every day marked: the reports compute it all from the raw rows, as before the read model.
      await sql`insert into report_dirty_days (day) select distinct day from report_machine_days`.execute(
        db.kysely,
      );
      await sql`insert into report_dirty_days (day) select distinct day from report_delivery_days`.execute(
        db.kysely,
      );
      await sql`insert into report_dirty_days (day) select distinct day from report_production_days`.execute(
        db.kysely,
      );
      const direct = [
        await deliveryReport(db, query, now),
        await productionReport(db, query, now),
        await utilisationReport(db, query, now),
      ];
      assert.deepEqual(folded, direct);
    });
  });
}
