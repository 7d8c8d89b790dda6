import { lowLevelCodes } from './bom-levels.ts';
import { dayNumber, fromDayNumber, type IsoDate } from './calendar.ts';
import { mulDivRound } from './decimal.ts';
import { type ItemId, type PlannedOrderId, plannedOrderId } from './ids.ts';
import { type NetReceipt, type NetRequirement, netItem, SAFETY_STOCK_SOURCE } from './mrp-netting.ts';
import type {
  ActionMessage,
  ItemPlan,
  MrpErrorCode,
  MrpInput,
  MrpItem,
  MrpReceipt,
  MrpResult,
  PegSource,
  PlannedOrder,
  Shortage,
  TimePhasedRow,
} from './mrp-types.ts';
import { type Qty, qty } from './quantity.ts';
import { ok, refuse, type Result } from './result.ts';
import { BASIS_POINTS_PER_UNIT } from './units.ts';

export type * from './mrp-types.ts';

interface Explosion {
  readonly component: number;
  /** qtyPer × (1 + scrap) in units of 1/(1000 × 10000). */
  readonly factor: number;
}
const EXPLOSION_SCALE = 1000 * BASIS_POINTS_PER_UNIT;

function validate(input: MrpInput): Result<Map<ItemId, number>, MrpErrorCode> {
  const index = new Map<ItemId, number>();
  for (const [i, item] of input.items.entries()) {
    if (index.has(item.id))
      return refuse('DUPLICATE_ITEM', `Item ${item.id} is listed twice`, { item: item.id });
    index.set(item.id, i);
    const bad =
      !Number.isSafeInteger(item.leadTimeDays) ||
      item.leadTimeDays < 0 ||
      item.minOrderQty < 0 ||
      item.orderMultiple < 0 ||
      item.safetyStock < 0;
    if (bad)
      return refuse('INVALID_ITEM', `Item ${item.id} has a negative lead time or lot size`, {
        item: item.id,
      });
  }
  for (const line of input.bom) {
    const factor = line.qtyPer * (BASIS_POINTS_PER_UNIT + line.scrap);
    if (
      line.qtyPer <= 0 ||
      line.scrap < 0 ||
      line.scrap > BASIS_POINTS_PER_UNIT ||
      !Number.isSafeInteger(factor)
    ) {
      return refuse(
        'INVALID_BOM_LINE',
        `BOM line ${line.parent} → ${line.component} has an invalid quantity`,
        {
          parent: line.parent,
          component: line.component,
        },
      );
    }
  }
  for (const row of [...input.onHand, ...input.receipts, ...input.demands]) {
    if (!index.has(row.item)) return refuse('UNKNOWN_ITEM', `Unknown item ${row.item}`, { item: row.item });
  }
  for (const row of [...input.receipts, ...input.demands]) {
    if (row.qty < 0) return refuse('INVALID_QUANTITY', `${row.id} has a negative quantity`, { id: row.id });
  }
  return ok(index);
}

/** Material requirements planning over calendar-day buckets. Pure: same input, same plan. */
export function runMrp(input: MrpInput): Result<MrpResult, MrpErrorCode> {
  const validated = validate(input);
  if (!validated.ok) return validated;
  const index = validated.value;
  const items = input.items;
  const levels = lowLevelCodes(
    items.map((i) => i.id),
    input.bom,
  );
  if (!levels.ok) return levels;
  const llc = levels.value;
  const startDay = dayNumber(input.start);
  const tolerance = input.deferToleranceDays ?? 0;
  const dates = new Map<number, IsoDate>();
  const date = (day: number): IsoDate => {
    let d = dates.get(day);
    if (d === undefined) {
      d = fromDayNumber(day);
      dates.set(day, d);
    }
    return d;
  };

  const n = items.length;
  const onHand = new Float64Array(n);
  for (const row of input.onHand) {
    const i = index.get(row.item) as number;
    onHand[i] = (onHand[i] ?? 0) + row.qty;
  }
  const requirements: NetRequirement[][] = Array.from({ length: n }, () => []);
  const receipts: MrpReceipt[][] = Array.from({ length: n }, () => []);
  const explosions: Explosion[][] = Array.from({ length: n }, () => []);
  const sources: PegSource[] = [];
  // Sources are numbered in id order: within a day, requirements are served in that order.
  const demands = input.demands.toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const d of demands) {
    if (d.qty === 0) continue;
    sources.push({ kind: 'demand', id: d.id });
    const day = Math.max(dayNumber(d.due), startDay);
    requirements[index.get(d.item) as number]?.push({ day, qty: d.qty, source: sources.length - 1 });
  }
  // Ordered by due date then id, so messages and plans do not depend on the order rows arrived in.
  const byDue = input.receipts.toSorted((a, b) =>
    a.due !== b.due ? (a.due < b.due ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  for (const r of byDue) if (r.qty > 0) receipts[index.get(r.item) as number]?.push(r);
  for (const line of input.bom) {
    explosions[index.get(line.parent) as number]?.push({
      component: index.get(line.component) as number,
      factor: line.qtyPer * (BASIS_POINTS_PER_UNIT + line.scrap),
    });
  }

  // A parent may list the same component on several lines; a fixed order keeps pegging stable.
  for (const list of explosions) list.sort((a, b) => a.component - b.component || a.factor - b.factor);

  const order = items.map((_, i) => i);
  order.sort((a, b) => {
    const ia = items[a] as MrpItem;
    const ib = items[b] as MrpItem;
    const la = llc.get(ia.id) ?? 0;
    const lb = llc.get(ib.id) ?? 0;
    return la - lb || (ia.id < ib.id ? -1 : ia.id > ib.id ? 1 : 0);
  });

  const plans: ItemPlan[] = [];
  const plannedOrders: PlannedOrder[] = [];
  const shortages: Shortage[] = [];
  const actions: ActionMessage[] = [];
  const peg = (s: number): PegSource =>
    s === SAFETY_STOCK_SOURCE ? { kind: 'safety_stock' } : (sources[s] as PegSource);

  for (const i of order) {
    const item = items[i] as MrpItem;
    const itemReceipts = receipts[i] ?? [];
    const netReceipts: NetReceipt[] = itemReceipts.map((r) => ({
      day: dayNumber(r.due),
      qty: r.qty,
      key: r.id,
    }));
    const reqs = requirements[i] ?? [];
    const result = netItem(
      {
        onHand: onHand[i] ?? 0,
        safetyStock: item.safetyStock,
        minOrderQty: item.minOrderQty,
        orderMultiple: item.orderMultiple,
        leadTimeDays: item.leadTimeDays,
        startDay,
      },
      reqs,
      netReceipts,
    );
    // Day → [gross, scheduled receipts, net, planned receipts, planned releases]
    const rows = new Map<number, number[]>();
    const row = (day: number): number[] => {
      let r = rows.get(day);
      if (r === undefined) {
        r = [0, 0, 0, 0, 0];
        rows.set(day, r);
      }
      return r;
    };
    for (const req of reqs) (row(req.day) as [number])[0] += req.qty;
    for (const [day, net] of result.netByDay) (row(day) as [number, number, number])[2] += net;

    itemReceipts.forEach((r, k) => {
      const due = (netReceipts[k] as NetReceipt).day;
      const need = result.needDays[k] ?? null;
      const message = (kind: ActionMessage['kind'], to: number | null): void => {
        actions.push({
          kind,
          receiptId: r.id,
          item: item.id,
          qty: r.qty,
          currentDue: r.due,
          suggestedDue: to === null ? null : date(to),
          pastDue: due < startDay,
        });
      };
      if (need === null) {
        message('cancel', null);
        return;
      }
      let placed = Math.max(due, startDay);
      if (due > need) {
        message('expedite', need);
        placed = need;
      } else if (placed < need - tolerance) {
        message('defer', need);
        placed = need;
      } else if (due < startDay) {
        message('expedite', startDay);
      }
      (row(placed) as [number, number])[1] += r.qty;
    });

    for (const po of result.plannedOrders) {
      const id: PlannedOrderId = plannedOrderId(`PLN-${plannedOrders.length + 1}`);
      const pastDue = po.releaseDay < startDay;
      const releaseShown = Math.max(po.releaseDay, startDay);
      const r = row(po.dueDay) as [number, number, number, number];
      r[3] += po.qty;
      (row(releaseShown) as [number, number, number, number, number])[4] += po.qty;
      plannedOrders.push({
        id,
        item: item.id,
        kind: item.source,
        qty: qty(po.qty),
        releaseDate: date(po.releaseDay),
        dueDate: date(po.dueDay),
        pastDue,
        pegging: po.pegs.map(([s, q]) => ({ source: peg(s), qty: qty(q) })),
      });
      if (pastDue) {
        shortages.push({
          item: item.id,
          date: date(po.dueDay),
          qty: qty(po.net),
          plannedOrderId: id,
          releaseDate: date(po.releaseDay),
        });
      }
      if (item.source !== 'make') continue;
      sources.push({ kind: 'planned_order', id });
      for (const x of explosions[i] ?? []) {
        requirements[x.component]?.push({
          day: releaseShown,
          qty: mulDivRound(po.qty, x.factor, EXPLOSION_SCALE, 'ceil'),
          source: sources.length - 1,
        });
      }
    }

    const days = [...rows.keys()].sort((a, b) => a - b);
    let projected = onHand[i] ?? 0;
    const timePhased: TimePhasedRow[] = days.map((day) => {
      const [gross = 0, sched = 0, net = 0, planned = 0, released = 0] = rows.get(day) ?? [];
      projected += sched + planned - gross;
      return {
        date: date(day),
        grossRequirements: qty(gross),
        scheduledReceipts: qty(sched),
        projectedOnHand: qty(projected),
        netRequirements: qty(net),
        plannedOrderReceipts: qty(planned),
        plannedOrderReleases: qty(released),
      };
    });
    plans.push({
      item: item.id,
      lowLevelCode: llc.get(item.id) ?? 0,
      onHand: qty(onHand[i] ?? 0),
      safetyStock: item.safetyStock as Qty,
      rows: timePhased,
    });
  }
  return ok({ plans, plannedOrders, shortages, actions });
}
