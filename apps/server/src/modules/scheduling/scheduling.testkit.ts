import assert from 'node:assert/strict';
import type { api, Harness } from '../../testing/harness.ts';
import { insertBom, insertMachine, insertRouting, insertWorkCenter } from '../../testing/fixtures/plant.ts';

/**
 * A small plant for scheduling tests: machining (M1, M2 at 80 % efficiency) and assembly (M3), one
 * calendar (00:00–11:00 and 12:00–23:59 UTC every day), planned downtime on M3 for the next three
 * hours, and released work orders: an assembly FG with a child SA, four parts P (machining,
 * assembly, machining), one of them urgent (priority 100, due yesterday).
 */
export interface Plant {
  readonly m1: string;
  readonly m2: string;
  readonly m3: string;
  readonly urgent: string;
  readonly fg: string;
  readonly sa: string;
  readonly orders: readonly string[];
  /** The part orders at normal priority. */
  readonly parts: readonly string[];
  readonly downtime: { start: string; end: string };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function buildPlant(h: Harness, call: ReturnType<typeof api>): Promise<Plant> {
  const db = h.runtime.db.kysely;
  const item = async (code: string, type: string) => {
    const r = await call('POST', '/api/v1/items', { code, name: code, type, uom: 'pcs' });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as string;
  };
  const rm = await item('SC-RM', 'raw');
  const sa = await item('SC-SA', 'semi_finished');
  const fg = await item('SC-FG', 'finished');
  const part = await item('SC-P', 'finished');
  const cal = await call('POST', '/api/v1/calendars', {
    code: 'SC-CAL',
    name: 'two shifts',
    timeZone: 'UTC',
    shifts: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
      { weekday, start: '00:00', end: '11:00' },
      { weekday, start: '12:00', end: '23:59' },
    ]),
  });
  assert.equal(cal.statusCode, 201, cal.body);
  const wcA = await insertWorkCenter(db, 'SC-MACH');
  const wcB = await insertWorkCenter(db, 'SC-ASSY');
  await db
    .updateTable('work_centers')
    .set({ calendar_id: cal.json().id })
    .where('id', 'in', [wcA, wcB])
    .execute();
  const m1 = await insertMachine(db, 'SC-M1', wcA);
  const m2 = await insertMachine(db, 'SC-M2', wcA);
  await db.updateTable('machines').set({ efficiency_bp: 8000 }).where('id', '=', m2).execute();
  const m3 = await insertMachine(db, 'SC-M3', wcB);
  const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  const downtime = {
    start: start.toISOString(),
    end: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
  };
  const dt = await call('POST', `/api/v1/machines/${m3}/downtimes`, { ...downtime, reason: 'service' });
  assert.equal(dt.statusCode, 201, dt.body);

  await insertBom(db, sa, 'SC-SA', [[rm, 'SC-RM', 1000, 0]]);
  await insertBom(db, fg, 'SC-FG', [[sa, 'SC-SA', 1000, 0]]);
  await insertBom(db, part, 'SC-P', [[rm, 'SC-RM', 500, 0]]);
  await insertRouting(db, sa, 'SC-SA', [[10, '车', wcA, false]]);
  await insertRouting(db, fg, 'SC-FG', [[10, '装配', wcB, false]]);
  await insertRouting(db, part, 'SC-P', [
    [10, '车', wcA, false],
    [20, '装配', wcB, false],
    [30, '铣', wcA, false],
  ]);

  const release = async (itemId: string, qty: string, dueDate: string, priority: number) => {
    const wo = (await call('POST', '/api/v1/work-orders', { itemId, qty, dueDate, priority })).json();
    const ids: string[] = [wo.id];
    const children = await db
      .selectFrom('work_orders')
      .select(['id', 'version'])
      .where('parent_id', '=', wo.id)
      .execute();
    for (const w of [{ id: wo.id, version: wo.version }, ...children]) {
      const r = await call('POST', `/api/v1/work-orders/${w.id}/actions`, {
        action: 'release',
        version: w.version,
      });
      assert.equal(r.statusCode, 200, r.body);
      if (w.id !== wo.id) ids.push(w.id);
    }
    return ids;
  };
  const orders: string[] = [];
  const [fgWo, saWo] = await release(fg, '10', day(10), 50);
  orders.push(fgWo!, saWo!);
  const parts: string[] = [];
  for (let i = 0; i < 3; i++) parts.push(...(await release(part, '20', day(12 + i), 40)));
  orders.push(...parts);
  const [urgent] = await release(part, '20', day(-1), 100);
  orders.push(urgent!);
  return { m1, m2, m3, urgent: urgent!, fg: fgWo!, sa: saWo!, orders, parts, downtime };
}

export interface Row {
  operationId: string;
  workOrderId: string;
  seq: number;
  machineId: string;
  start: string;
  end: string;
  locked: string | null;
}

export async function waitForRun(call: ReturnType<typeof api>, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = (await call('GET', `/api/v1/scheduling/runs/${id}`)).json();
    if (r.run.status === 'done' || r.run.status === 'failed') return r;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${r.run.status}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}
