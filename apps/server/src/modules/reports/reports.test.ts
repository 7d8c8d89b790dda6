import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { CompiledQuery, sql } from 'kysely';
import { createUser } from '../../platform/auth/sessions.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Database } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { testTargets } from '../../testing/databases.ts';
import { insertMachine, insertWarehouse, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { createCustomer } from '../customers/customer.service.ts';
import { postMove } from '../inventory/inventory.service.ts';
import type { RangeQuery } from './reports.rules.ts';
import { deliveryReport, productionReport } from './reports.service.ts';
import { utilisationReport } from './reports.utilisation.ts';

/**
 * A small plant with a known history in March 2026 (weeks of the 2nd and the 9th), and the figures
 * the reports must give for it, worked out by hand in the comments.
 */
const RANGE = 'from=2026-03-02&to=2026-03-15&groupBy=week';
const at = (day: string, time = '10:00') => `${day}T${time}:00.000Z`;

for (const target of await testTargets()) {
  describe(`management reports on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const ids: Record<string, string> = {};

    before(async () => {
      h = await startHarness(target, { demo: false, start: false, config: { readCacheTtlMs: 0 } });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      await buildHistory();
    });
    after(async () => h.close());

    const insert = (table: keyof Database, row: Record<string, unknown>) =>
      h.runtime.db.kysely
        .insertInto(table)
        .values(row as never)
        .execute();

    async function buildHistory() {
      const db = h.runtime.db;
      const ctx = systemCtx();
      const item = async (code: string, type: string, standardCost: string) => {
        const r = await call('POST', '/api/v1/items', { code, name: code, type, uom: 'pcs', standardCost });
        assert.equal(r.statusCode, 201, r.body);
        return r.json().id as string;
      };
      ids.rm = await item('RP-RM', 'raw', '1.50');
      ids.fg = await item('RP-FG', 'finished', '2.00');
      ids.fg2 = await item('RP-FG2', 'finished', '0');
      const a = await insertWarehouse(db.kysely, 'RP-A', ['A1']);
      const b = await insertWarehouse(db.kysely, 'RP-B', ['B1']);
      const receive = (itemId: string, qty: string, toLocationId: string) =>
        postMove(db, ctx, { kind: 'receipt', itemId, qty, toLocationId, ref: { type: 'test', id: newId() } });
      // Stock: RM 100 × 1.50 = 150.00 and FG 30 × 2.00 = 60.00 in A, FG 20 × 2.00 = 40.00 in B, FG2 5 × 0.
      await receive(ids.rm, '100', a.A1!);
      await receive(ids.fg, '30', a.A1!);
      await receive(ids.fg, '20', b.B1!);
      await receive(ids.fg2, '5', a.A1!);

      // Sales: one order per line, so each line's order status is its own.
      const customer = await createCustomer(db, ctx, { code: 'RP-C', name: 'RP customer', tier: 'A' });
      let n = 0;
      const line = async (
        status: string,
        qty: number,
        unitPrice: number,
        requested: string,
        shipments: readonly [day: string, qty: number][],
        currency = 'CNY',
      ) => {
        const so = newId();
        const lineId = newId();
        await insert('sales_orders', {
          id: so,
          code: `SO-RP-${++n}`,
          customer_id: customer.id,
          external_ref: '',
          currency,
          status,
          header_due_date: null,
          due_date: requested,
          order_value: qty * unitPrice,
          priority_score: 0,
          priority: '{}',
          note: '',
          version: 1,
          confirmed_at: at('2026-01-05'),
          created_at: at('2026-01-05'),
          updated_at: at('2026-01-05'),
        });
        await insert('sales_order_lines', {
          id: lineId,
          sales_order_id: so,
          line_no: 1,
          item_id: ids.fg,
          qty: qty * 1000,
          unit_price: unitPrice,
          price_per: 1000,
          amount: qty * unitPrice,
          requested_date: requested,
          promised_date: null,
          shortage: 0,
          shipped_qty: shipments.reduce((s, [, q]) => s + q * 1000, 0),
        });
        for (const [day, q] of shipments) {
          const sh = newId();
          await insert('shipments', {
            id: sh,
            code: `SH-RP-${++n}`,
            sales_order_id: so,
            note: '',
            actor_id: null,
            created_at: day.includes('T') ? day : at(day),
          });
          await insert('shipment_lines', {
            id: newId(),
            shipment_id: sh,
            sales_order_line_id: lineId,
            item_id: ids.fg,
            qty: q * 1000,
            from_location_id: a.A1!,
            lot: null,
            move_id: newId(),
          });
        }
      };
      // Delivered in the range: A on time (week 1); B late, its last part on the 10th (week 2);
      // C on its requested day, late in the evening (week 2). D was delivered before the range.
      await line('shipped', 10, 1000, '2026-03-05', [['2026-03-04', 10]]);
      await line('shipped', 10, 1000, '2026-03-05', [
        ['2026-03-03', 4],
        ['2026-03-10', 6],
      ]);
      await line('shipped', 5, 1000, '2026-03-12', [[at('2026-03-12', '23:00'), 5]]);
      await line('shipped', 5, 1000, '2026-03-01', [['2026-02-20', 5]]);
      // An order in US dollars, delivered on time in week 2 (4 × 20.00 = 80.00 USD): its money is
      // never added to the yuan.
      await line('shipped', 4, 2000, '2026-03-11', [['2026-03-09', 4]], 'USD');
      // Backlog: E has 5 of 8 open (8 × 10.00 = 80.00, open 50.00), overdue; F all 20 open
      // (20 × 2.50 = 50.00), due far ahead; G's order was cancelled.
      await line('partially_shipped', 8, 1000, '2020-01-10', [['2026-03-04', 3]]);
      await line('confirmed', 20, 250, '2099-01-01', []);
      // And 4 of 6 open in US dollars (6 × 5.00 = 30.00, open 20.00), overdue.
      await line('partially_shipped', 6, 500, '2020-02-01', [['2026-03-04', 2]], 'USD');
      await line('cancelled', 7, 1000, '2020-01-10', []);

      // Machines: a calendar of Mon–Fri 08:00–16:00 UTC (480 min a day, 10 days in the range).
      const cal = await call('POST', '/api/v1/calendars', {
        code: 'RP-CAL',
        name: 'day shift',
        timeZone: 'UTC',
        shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '16:00' })),
      });
      assert.equal(cal.statusCode, 201, cal.body);
      const wc1 = await insertWorkCenter(db.kysely, 'RP-WC1');
      const wc2 = await insertWorkCenter(db.kysely, 'RP-WC2');
      await db.kysely
        .updateTable('work_centers')
        .set({ calendar_id: cal.json().id })
        .where('id', '=', wc1)
        .execute();
      ids.m1 = await insertMachine(db.kysely, 'RP-M1', wc1);
      ids.m2 = await insertMachine(db.kysely, 'RP-M2', wc1);
      ids.m3 = await insertMachine(db.kysely, 'RP-M3', wc2);
      await db.kysely.updateTable('machines').set({ capacity: 2 }).where('id', '=', ids.m2).execute();
      // M1 is down two working hours on the 3rd: 4800 − 120 = 4680 min; M2 (2 units) 9600; M3 none.
      await insert('machine_downtimes', {
        id: newId(),
        machine_id: ids.m1,
        start_at: at('2026-03-03', '08:00'),
        end_at: at('2026-03-03', '10:00'),
        reason: 'service',
        created_at: at('2026-03-01'),
      });

      // Work orders.
      const wo = async (
        code: string,
        status: string,
        qty: number,
        good: number,
        scrap: number,
        completedAt: string | null,
        archived = false,
      ) => {
        const id = newId();
        const suffix = archived ? '_archive' : '';
        const extra = archived ? { archived_at: at('2026-04-01') } : {};
        const woExtra = archived ? { ...extra, custom_fields: '{}' } : {};
        await insert(`work_orders${suffix}` as keyof Database, {
          id,
          code,
          item_id: ids.fg,
          qty: qty * 1000,
          qty_good: good * 1000,
          qty_scrap: scrap * 1000,
          qty_received: 0,
          status,
          held_from: status === 'on_hold' ? 'released' : null,
          closed_short_reason: null,
          bom_id: null,
          routing_id: null,
          parent_id: null,
          root_id: id,
          sales_order_id: null,
          sales_order_line_id: null,
          due_date: '2026-03-20',
          priority: 50,
          source: 'manual',
          version: 1,
          created_at: at('2026-02-01'),
          updated_at: at('2026-02-01'),
          ...woExtra,
        });
        if (completedAt) {
          await insert(`work_order_history${suffix}` as keyof Database, {
            id: newId(),
            work_order_id: id,
            operation_id: null,
            action: 'complete',
            from_status: 'in_progress',
            to_status: 'completed',
            reason: null,
            actor_id: null,
            at: completedAt,
            ...extra,
          });
        }
        return id;
      };
      // Completed in the range: WO1 week 1 (95 good, 5 scrap), WO2 and the archived WO4 week 2
      // (50 + 8 good, 0 + 2 scrap). WO3 was completed before the range.
      ids.wo1 = await wo('WO-RP-1', 'closed', 100, 95, 5, at('2026-03-03'));
      ids.wo2 = await wo('WO-RP-2', 'completed', 50, 50, 0, at('2026-03-10'));
      await wo('WO-RP-3', 'closed', 40, 40, 0, at('2026-02-27'));
      await wo('WO-RP-4', 'closed', 10, 8, 2, at('2026-03-11'), true);
      // WIP now: released 10, in progress 20 (5 good) and 30, on hold 5; draft and closed are not.
      await wo('WO-RP-5', 'released', 10, 0, 0, null);
      await wo('WO-RP-6', 'in_progress', 20, 5, 0, null);
      await wo('WO-RP-7', 'in_progress', 30, 0, 0, null);
      await wo('WO-RP-8', 'on_hold', 5, 0, 0, null);
      await wo('WO-RP-9', 'draft', 99, 0, 0, null);

      // Operations: op1 on M1 at 6 min a piece, planned 600 min from the 2nd; op2 on M2 at 2.5 min,
      // planned 300 min on the 11th; op3 planned after the range.
      const op = async (woId: string, machineId: string, runMmin: number, planned: number, start: string) => {
        const id = newId();
        await insert('work_order_operations', {
          id,
          work_order_id: woId,
          seq: 10,
          name: 'op',
          work_center_id: wc1,
          machine_id: machineId,
          status: 'completed',
          setup_minutes: 0,
          run_mmin: runMmin,
          planned_minutes: planned,
          planned_start: start,
          planned_end: null,
          updated_at: start,
        });
        return id;
      };
      const op1 = await op(ids.wo1, ids.m1, 6000, 600, at('2026-03-02', '08:00'));
      const op2 = await op(ids.wo2, ids.m2, 2500, 300, at('2026-03-11', '08:00'));
      await op(await wo('WO-RP-10', 'released', 1, 0, 0, null), ids.m1, 1000, 999, at('2026-03-20'));
      const report = (
        operationId: string,
        machineId: string | null,
        day: string,
        good: number,
        scrap: number,
        reason: string | null,
      ) =>
        insert('operation_reports', {
          id: newId(),
          operation_id: operationId,
          idempotency_key: newId(),
          good: good * 1000,
          scrap: scrap * 1000,
          scrap_reason: reason,
          operator_id: null,
          machine_id: machineId,
          reported_at: at(day),
          received_at: at(day),
        });
      // M1: (40 + 3) × 6 = 258 min in week 1, (50 + 1) × 6 = 306 in week 2. M2 (the operation's
      // machine, the report names none): (100 + 2) × 2.5 = 255 in week 2. The 20th is outside.
      await report(op1, ids.m1, '2026-03-03', 40, 3, 'burr');
      await report(op1, ids.m1, '2026-03-10', 50, 1, 'burr');
      await report(op2, null, '2026-03-11', 100, 2, 'crack');
      await report(op2, ids.m2, '2026-03-20', 100, 9, 'crack');
    }

    it('gives on-time delivery per week and the open backlog', async () => {
      const res = await call('GET', `/api/v1/reports/delivery?${RANGE}`);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.deepEqual(r.totals, {
        delivered: 4,
        onTime: 3,
        late: 1,
        onTimePct: 75,
        qty: 29,
        values: [
          { currency: 'CNY', value: 250 },
          { currency: 'USD', value: 80 },
        ],
      });
      assert.deepEqual(
        r.periods.map((p: { period: string; onTime: number; late: number; onTimePct: number }) => [
          p.period,
          p.onTime,
          p.late,
          p.onTimePct,
        ]),
        [
          ['2026-03-02', 1, 0, 100],
          ['2026-03-09', 2, 1, 66.7],
        ],
      );
      assert.deepEqual(
        r.periods.map((p: { values: unknown }) => p.values),
        [
          [
            { currency: 'CNY', value: 100 },
            { currency: 'USD', value: 0 },
          ],
          [
            { currency: 'CNY', value: 150 },
            { currency: 'USD', value: 80 },
          ],
        ],
      );
      assert.deepEqual(r.backlog, {
        orders: 3,
        lines: 3,
        qty: 29,
        overdueLines: 2,
        overdueQty: 9,
        values: [
          { currency: 'CNY', value: 100, overdueValue: 50 },
          { currency: 'USD', value: 20, overdueValue: 20 },
        ],
      });
    });

    it('gives output, scrap rate, scrap reasons and work in progress', async () => {
      const res = await call('GET', `/api/v1/reports/production?${RANGE}`);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      // 7 scrapped of 160 made: 4.375 %.
      assert.deepEqual(r.totals, { orders: 3, planned: 160, good: 153, scrap: 7, scrapRatePct: 4.4 });
      assert.deepEqual(
        r.periods.map((p: { period: string; orders: number; scrapRatePct: number }) => [
          p.period,
          p.orders,
          p.scrapRatePct,
        ]),
        [
          ['2026-03-02', 1, 5],
          ['2026-03-09', 2, 3.3],
        ],
      );
      assert.deepEqual(r.scrapReasons, [
        { reason: 'burr', reports: 2, scrap: 4 },
        { reason: 'crack', reports: 1, scrap: 2 },
      ]);
      assert.equal(r.wip.orders, 5, 'released 2, in progress 2, on hold 1');
      assert.equal(r.wip.qty, 66);
      assert.equal(r.wip.value, 132, '66 × 2.00');
      const byStatus = Object.fromEntries(
        r.wip.byStatus.map((s: { status: string; orders: number; qty: number; good: number }) => [
          s.status,
          [s.orders, s.qty, s.good],
        ]),
      );
      assert.deepEqual(byStatus, {
        released: [2, 11, 0],
        dispatched: [0, 0, 0],
        in_progress: [2, 50, 5],
        paused: [0, 0, 0],
        on_hold: [1, 5, 0],
      });
    });

    it('values stock at standard cost by type, warehouse and item', async () => {
      const res = await call('GET', '/api/v1/reports/inventory');
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.deepEqual(r.totals, { items: 3, qty: 155, value: 250, uncostedItems: 1 });
      assert.deepEqual(r.byType, [
        { type: 'raw', items: 1, qty: 100, value: 150, sharePct: 60 },
        { type: 'finished', items: 2, qty: 55, value: 100, sharePct: 40 },
      ]);
      assert.deepEqual(
        r.byWarehouse.map(
          (w: { code: string; items: number; qty: number; value: number; sharePct: number }) => [
            w.code,
            w.items,
            w.qty,
            w.value,
            w.sharePct,
          ],
        ),
        [
          ['RP-A', 3, 135, 210, 84],
          ['RP-B', 1, 20, 40, 16],
        ],
      );
      assert.deepEqual(
        r.topItems.map((i: { code: string; value: number }) => [i.code, i.value]),
        [
          ['RP-RM', 150],
          ['RP-FG', 100],
          ['RP-FG2', 0],
        ],
      );
    });

    it('gives machine utilisation against calendar time less downtime', async () => {
      const res = await call('GET', `/api/v1/reports/utilisation?${RANGE}`);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      const m = Object.fromEntries(r.machines.map((x: { code: string }) => [x.code, x])) as Record<
        string,
        Record<string, unknown>
      >;
      assert.deepEqual(
        [m['RP-M1']!.availableMinutes, m['RP-M1']!.reportedMinutes, m['RP-M1']!.plannedMinutes],
        [4680, 564, 600],
      );
      assert.equal(m['RP-M1']!.utilisationPct, 12.1, '564 / 4680');
      assert.equal(m['RP-M1']!.plannedLoadPct, 12.8, '600 / 4680');
      assert.deepEqual([m['RP-M2']!.availableMinutes, m['RP-M2']!.reportedMinutes], [9600, 255]);
      assert.equal(m['RP-M2']!.utilisationPct, 2.7, '255 / 9600');
      assert.equal(m['RP-M3']!.availableMinutes, null, 'no calendar');
      assert.equal(m['RP-M3']!.utilisationPct, null);
      assert.deepEqual(r.totals, {
        machines: 3,
        machinesWithoutCalendar: 1,
        availableMinutes: 14280,
        reportedMinutes: 819,
        plannedMinutes: 900,
        utilisationPct: 5.7,
        plannedLoadPct: 6.3,
      });
      assert.deepEqual(
        r.periods.map(
          (p: {
            period: string;
            availableMinutes: number;
            reportedMinutes: number;
            utilisationPct: number;
          }) => [p.period, p.availableMinutes, p.reportedMinutes, p.utilisationPct],
        ),
        [
          ['2026-03-02', 7080, 258, 3.6],
          ['2026-03-09', 7200, 561, 7.8],
        ],
      );
      const wc1 = r.workCenters.find((c: { code: string }) => c.code === 'RP-WC1');
      assert.deepEqual([wc1.machines, wc1.availableMinutes, wc1.reportedMinutes], [2, 14280, 819]);
    });

    it('refuses bad ranges naming the field', async () => {
      const cases: [string, string][] = [
        ['from=2026-02-30&to=2026-03-15', '/querystring/from'],
        ['from=2026-03-15&to=2026-03-01', '/querystring/from'],
        ['from=2024-01-01&to=2026-03-15', '/querystring/to'],
        ['from=2026-03-01&to=tomorrow', '/querystring/to'],
        ['from=2026-03-01&groupBy=year', '/querystring/groupBy'],
      ];
      for (const [query, field] of cases) {
        for (const report of ['delivery', 'production', 'utilisation', 'delivery/export']) {
          const res = await call('GET', `/api/v1/reports/${report}?${query}`);
          assert.equal(res.statusCode, 400, `${report}?${query}: ${res.body}`);
          assert.equal(res.json().code, 'VALIDATION_FAILED');
          assert.ok(
            res.json().errors.some((e: { field: string }) => e.field === field),
            `${report}?${query}: ${res.body}`,
          );
        }
      }
      const twoYears = await call('GET', '/api/v1/reports/delivery?from=2024-03-15&to=2026-03-15');
      assert.equal(twoYears.statusCode, 200, '731 days is the longest range');
    });

    it('is open to roles with reports:read only', async () => {
      const ctx = systemCtx();
      for (const role of ['warehouse', 'planner']) {
        await createUser(h.runtime.db, ctx, {
          login: `rp-${role}`,
          displayName: role,
          password: 'report-pw-123456',
          roles: [role],
        });
      }
      const warehouse = api(h.runtime, await signIn(h.runtime, 'rp-warehouse', 'report-pw-123456'));
      const planner = api(h.runtime, await signIn(h.runtime, 'rp-planner', 'report-pw-123456'));
      for (const url of ['delivery', 'production', 'inventory', 'utilisation', 'inventory/export']) {
        const denied = await warehouse('GET', `/api/v1/reports/${url}`);
        assert.equal(denied.statusCode, 403, url);
        assert.equal(denied.json().code, 'PERMISSION_DENIED');
        assert.equal((await planner('GET', `/api/v1/reports/${url}`)).statusCode, 200, url);
      }
    });

    it('exports workbooks whose cells match the JSON', async () => {
      const sheetsOf = async (url: string) => {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /spreadsheetml/);
        assert.match(String(res.headers['content-disposition']), /attachment; filename=".+\.xlsx"/);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        return wb.worksheets.map((ws) => {
          const rows: unknown[][] = [];
          // Array.from: empty cells come back as holes.
          ws.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1))));
          return { name: ws.name, rows };
        });
      };
      const delivery = (await call('GET', `/api/v1/reports/delivery?${RANGE}`)).json();
      const [periods, backlog] = await sheetsOf(`/api/v1/reports/delivery/export?${RANGE}`);
      assert.deepEqual(periods!.rows.slice(1), [
        ...delivery.periods.map((p: Record<string, unknown>) => [
          p.period,
          p.delivered,
          p.onTime,
          p.late,
          p.onTimePct,
          p.qty,
          ...(p.values as { value: number }[]).map((v) => v.value),
        ]),
        ['合计 Total', 4, 3, 1, 75, 29, 250, 80],
      ]);
      assert.deepEqual(periods!.rows[0]!.slice(-2), ['金额 Value CNY', '金额 Value USD']);
      assert.deepEqual(backlog!.rows.slice(4, 6), [
        ['未交金额 Open value CNY', 100],
        ['未交金额 Open value USD', 20],
      ]);
      assert.deepEqual(backlog!.rows.slice(8), [
        ['逾期金额 Overdue value CNY', 50],
        ['逾期金额 Overdue value USD', 20],
      ]);

      const production = await sheetsOf(`/api/v1/reports/production/export?${RANGE}`);
      assert.deepEqual(production[0]!.rows.at(-1), ['合计 Total', 3, 160, 153, 7, 4.4]);
      assert.deepEqual(production[2]!.rows.slice(1), [
        ['burr', 2, 4],
        ['crack', 1, 2],
      ]);

      const inventory = await sheetsOf('/api/v1/reports/inventory/export');
      assert.deepEqual(inventory[0]!.rows.slice(1), [
        ['raw', 1, 100, 150, 60],
        ['finished', 2, 55, 100, 40],
        ['合计 Total', 3, 155, 250, 100],
      ]);

      const utilisation = await sheetsOf(`/api/v1/reports/utilisation/export?${RANGE}`);
      const m1 = utilisation[0]!.rows.find((row) => row[0] === 'RP-M1');
      assert.deepEqual(m1, ['RP-M1', 'RP-M1', 'RP-WC1', 4680, 564, 600, 12.1, 12.8]);
      const m3 = utilisation[0]!.rows.find((row) => row[0] === 'RP-M3');
      assert.deepEqual(m3!.slice(3, 5), [undefined, 0], 'no calendar: the available cell is empty');
    });

    it('reads each range through its date index', async () => {
      const db = h.runtime.db;
      const seen: CompiledQuery[] = [];
      const stop = db.observe((e) => {
        if (e.level === 'query') seen.push(e.query);
      });
      // On this thread (an SQLite file's routes ask a read thread, whose statements are not observed here).
      const range = Object.fromEntries(new URLSearchParams(RANGE)) as unknown as RangeQuery;
      try {
        await deliveryReport(db, range);
        await productionReport(db, range);
        await utilisationReport(db, range);
      } finally {
        stop();
      }
      const plans = await Promise.all(
        seen.map(async (q) => {
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
        }),
      );
      const all = plans.join('\n');
      for (const index of [
        'shipments_created',
        'wo_history_action_at',
        'wo_history_archive_action_at',
        'operation_reports_reported',
        'operation_reports_archive_reported',
        'wo_operations_planned_start',
        'wo_operations_archive_planned_start',
      ]) {
        assert.ok(all.includes(index), `${index} is used:\n${all}`);
      }
      for (const table of ['shipments', 'work_order_history', 'operation_reports', 'work_order_operations']) {
        assert.doesNotMatch(all, new RegExp(`(SCAN ${table}\\b|Seq Scan on ${table}\\b)`), all);
      }
    });
  });
}
