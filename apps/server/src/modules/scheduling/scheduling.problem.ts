import type { Interval, Job, Lock, Machine, Mode, Operation, Problem } from '@takt/scheduler';
import type { Db } from '../../platform/db/database.ts';
import { expandCalendar, mergeSpans, type Span, subtractSpans } from '../calendars/calendar.rules.ts';
import { getCalendar } from '../calendars/calendar.service.ts';
import { runMinutesFor } from '../routings/routing.rules.ts';
import * as data from './scheduling.data.ts';

/**
 * The engine's problem from the factory, in whole minutes from the horizon origin (now rounded down
 * to the minute):
 * - operations: the open ones of released / dispatched / in-progress / paused work orders. Started
 *   ones (in progress or paused) are frozen on their machine from minute 0 for their remaining run
 *   time, counted in working minutes of the machine's calendar (across nights and weekends);
 *   operations a planner pinned keep their pinned machine and start.
 * - modes: the routing's alternative machines at their own times when it lists any, otherwise every
 *   active machine of the work center; run time for the remaining quantity divided by the machine
 *   efficiency, plus setup. Machines that are down or in maintenance are not eligible.
 * - precedence: the stored predecessor seq numbers; a work order whose operations name none follows
 *   its seq order. A child work order's last operations precede the parent's operation that consumes
 *   its output (its first operations when the material names no operation).
 * - release: now; a work order with unissued material not covered by stock is released at the
 *   earliest due date of an open purchase order line of that material (00:00 UTC). Stock counts all
 *   locations and ignores reservations; material with no open purchase order does not hold the order.
 * - due date: the end of the work order's due day (UTC); weight 1 + priority / 10.
 * - calendars: the machine's own calendar, else its work center's, minus planned downtime; a
 *   machine without any calendar is always available except downtime. No setup families (routings
 *   have none).
 */
export interface BuiltProblem {
  readonly problem: Problem;
  readonly originMs: number;
  readonly horizonMinutes: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const MIN_HORIZON_DAYS = 60;
const MAX_HORIZON_DAYS = 400;

export const toMinute = (originMs: number, iso: string): number =>
  Math.floor((Date.parse(iso) - originMs) / MINUTE);
export const toIso = (originMs: number, minute: number): string =>
  new Date(originMs + minute * MINUTE).toISOString();
const dayStart = (date: string): number => Date.parse(`${date.slice(0, 10)}T00:00:00Z`);

function toIntervals(spans: readonly Span[], originMs: number, horizon: number): Interval[] {
  const out: Interval[] = [];
  for (const s of spans) {
    const start = Math.max(0, Math.ceil((s.start - originMs) / MINUTE));
    const end = Math.min(horizon, Math.floor((s.end - originMs) / MINUTE));
    if (end > start) out.push({ start, end });
  }
  return out;
}

async function machinesOf(db: Db, rows: data.MachineRow[], originMs: number, horizon: number) {
  const endMs = originMs + horizon * MINUTE;
  const downtime = await data.downtimes(db, new Date(originMs).toISOString(), new Date(endMs).toISOString());
  const calendars = new Map<string, Awaited<ReturnType<typeof getCalendar>>>();
  const machines: Machine[] = [];
  for (const m of rows) {
    const cuts = mergeSpans(
      downtime
        .filter((d) => d.machine_id === m.id)
        .map((d) => ({ start: Date.parse(d.start_at), end: Date.parse(d.end_at) })),
    );
    const calendarId = m.calendar_id ?? m.center_calendar_id;
    let spans: Span[];
    if (calendarId) {
      let calendar = calendars.get(calendarId);
      if (!calendar) {
        calendar = await getCalendar(db, calendarId);
        calendars.set(calendarId, calendar);
      }
      spans = expandCalendar(calendar, originMs, endMs, cuts);
    } else {
      spans = subtractSpans([{ start: originMs, end: endMs }], cuts);
    }
    machines.push({
      id: m.id,
      capacity: Math.max(1, m.capacity),
      calendar: toIntervals(spans, originMs, horizon),
    });
  }
  return machines;
}

/** Links inside one work order: explicit predecessors, or seq order when none names any. */
function internalLinks(ops: readonly data.OpRow[]): Map<string, string[]> {
  const bySeq = new Map(ops.map((o) => [o.seq, o.id]));
  const parsed = ops.map((o) => {
    try {
      const p = JSON.parse(o.predecessors) as unknown;
      return Array.isArray(p) ? p.filter((x): x is number => typeof x === 'number') : [];
    } catch {
      return [];
    }
  });
  const explicit = parsed.some((p) => p.length > 0);
  const sorted = [...ops].sort((a, b) => a.seq - b.seq);
  const links = new Map<string, string[]>();
  sorted.forEach((o, i) => {
    if (explicit) {
      const preds = parsed[ops.indexOf(o)]!;
      links.set(
        o.id,
        preds.map((s) => bySeq.get(s)).filter((x): x is string => x !== undefined),
      );
    } else {
      links.set(o.id, i > 0 ? [sorted[i - 1]!.id] : []);
    }
  });
  return links;
}

/** Release per work order from materials short of stock and open purchase order lines. */
function materialRelease(
  materials: readonly data.MaterialRow[],
  stock: ReadonlyMap<string, number>,
  receipts: ReadonlyMap<string, string>,
  originMs: number,
): Map<string, number> {
  const need = new Map<string, number>();
  for (const m of materials) need.set(m.item_id, (need.get(m.item_id) ?? 0) + m.open_qty);
  const release = new Map<string, number>();
  for (const m of materials) {
    if ((need.get(m.item_id) ?? 0) <= (stock.get(m.item_id) ?? 0)) continue;
    const due = receipts.get(m.item_id);
    if (!due) continue;
    const at = Math.max(0, Math.ceil((dayStart(due) - originMs) / MINUTE));
    release.set(m.work_order_id, Math.max(release.get(m.work_order_id) ?? 0, at));
  }
  return release;
}

export async function buildProblem(db: Db, originMs: number): Promise<BuiltProblem> {
  const orders = await data.openWorkOrders(db);
  const ops = await data.openOperations(
    db,
    orders.map((o) => o.id),
  );
  const latestDue = Math.max(originMs, ...orders.filter((o) => o.due_date).map((o) => dayStart(o.due_date!)));
  const days = Math.min(
    MAX_HORIZON_DAYS,
    Math.max(MIN_HORIZON_DAYS, Math.ceil((latestDue - originMs) / DAY) + 30),
  );
  const horizon = days * 1440;
  const machineRows = await data.activeMachines(db);
  const machines = await machinesOf(db, machineRows, originMs, horizon);
  const usable = machineRows.filter((m) => m.status === 'up');
  const alternatives = await data.alternatives(db, orders);
  const pins = new Map((await data.pins(db)).map((p) => [p.operation_id, p]));
  const materials = await data.openMaterials(
    db,
    orders.map((o) => o.id),
  );
  const release = materialRelease(
    materials,
    await data.stockOf(db, [...new Set(materials.map((m) => m.item_id))]),
    await data.earliestReceipts(db, [...new Set(materials.map((m) => m.item_id))]),
    originMs,
  );

  const orderById = new Map(orders.map((o) => [o.id, o]));
  const jobs: Job[] = orders.map((o) => ({
    id: o.id,
    routing: 'dag',
    release: release.get(o.id) ?? 0,
    ...(o.due_date ? { due: Math.max(0, Math.ceil((dayStart(o.due_date) + DAY - originMs) / MINUTE)) } : {}),
    weight: 1 + Math.max(0, o.priority) / 10,
  }));
  const opsByOrder = new Map<string, data.OpRow[]>();
  for (const op of ops) opsByOrder.set(op.work_order_id, [...(opsByOrder.get(op.work_order_id) ?? []), op]);
  const links = new Map<string, string[]>();
  for (const list of opsByOrder.values()) for (const [k, v] of internalLinks(list)) links.set(k, v);
  // Child → parent: the child's operations without successors precede the consuming operation.
  for (const o of orders) {
    if (!o.parent_id || !orderById.has(o.parent_id)) continue;
    const childOps = opsByOrder.get(o.id) ?? [];
    const hasSucc = new Set(childOps.flatMap((c) => links.get(c.id) ?? []));
    const lasts = childOps.filter((c) => !hasSucc.has(c.id)).map((c) => c.id);
    const parentOps = opsByOrder.get(o.parent_id) ?? [];
    const seq = materials.find((m) => m.child_work_order_id === o.id)?.operation_seq ?? null;
    const targets =
      seq !== null && parentOps.some((p) => p.seq === seq)
        ? parentOps.filter((p) => p.seq === seq)
        : parentOps.filter((p) => (links.get(p.id) ?? []).length === 0);
    for (const t of targets) links.set(t.id, [...(links.get(t.id) ?? []), ...lasts]);
  }

  const operations: Operation[] = ops.map((op) => {
    const order = orderById.get(op.work_order_id)!;
    const qty = Math.max(0, order.qty - op.qty_good - op.qty_scrap);
    const alts = alternatives.get(`${order.routing_id}:${op.seq}`) ?? [];
    const started = op.status === 'in_progress' || op.status === 'paused';
    const modes: Mode[] = (
      alts.length > 0
        ? alts.flatMap((a) => {
            const m = usable.find((x) => x.id === a.machine_id);
            if (!m) return [];
            const setup = a.setup_minutes ?? op.setup_minutes;
            return [{ machine: m.id, minutes: setup + runMinutesFor(qty, a.run_mmin, m.efficiency_bp) }];
          })
        : usable
            .filter((m) => m.work_center_id === op.work_center_id)
            .map((m) => ({
              machine: m.id,
              minutes: op.setup_minutes + runMinutesFor(qty, op.run_mmin, m.efficiency_bp),
            }))
    ).map((m) => ({ ...m, minutes: Math.max(1, m.minutes) }));
    let lock: Lock | undefined;
    if (started && op.machine_id) {
      const remaining = Math.max(1, runMinutesFor(qty, op.run_mmin, 10_000));
      lock = { kind: 'frozen', machine: op.machine_id, start: 0, workMinutes: remaining };
    } else {
      const pin = pins.get(op.id);
      if (pin)
        lock = {
          kind: 'pinned',
          machine: pin.machine_id,
          start: Math.max(0, toMinute(originMs, pin.start_at)),
        };
    }
    const preds = links.get(op.id) ?? [];
    return {
      id: op.id,
      job: op.work_order_id,
      modes,
      ...(preds.length > 0 ? { predecessors: preds.map((p) => ({ op: p })) } : {}),
      ...(lock ? { lock } : {}),
    };
  });
  return { problem: { machines, jobs, operations }, originMs, horizonMinutes: horizon };
}
