/**
 * Builders for small MRP inputs in readable units (plain numbers are whole units; days are offsets
 * from FIXTURE_START). Used by the tests; handy for examples and UI stories too.
 */
import { addDays, dayNumber, type IsoDate, isoDate } from './calendar.ts';
import { demandId, itemId, receiptId } from './ids.ts';
import {
  type MrpBomLine,
  type MrpDemand,
  type MrpInput,
  type MrpItem,
  type MrpReceipt,
  type MrpResult,
  runMrp,
  type TimePhasedRow,
} from './mrp.ts';
import { type Qty, qty } from './quantity.ts';
import { basisPoints, days } from './units.ts';

export const FIXTURE_START = isoDate('2025-03-03');
const START = FIXTURE_START;
export const d = (n: number): IsoDate => addDays(START, n);
export const u = (units: number): Qty => qty(Math.round(units * 1000));

export function item(id: string, over: Partial<Omit<MrpItem, 'id'>> & { lt?: number } = {}): MrpItem {
  const { lt = 0, ...rest } = over;
  return {
    id: itemId(id),
    source: 'buy',
    leadTimeDays: days(lt),
    minOrderQty: qty(0),
    orderMultiple: qty(0),
    safetyStock: qty(0),
    ...rest,
  };
}
export const demand = (id: string, item: string, units: number, day: number): MrpDemand => ({
  id: demandId(id),
  item: itemId(item),
  qty: u(units),
  due: d(day),
  kind: 'sales_order',
});
export const receipt = (id: string, item: string, units: number, day: number): MrpReceipt => ({
  id: receiptId(id),
  item: itemId(item),
  qty: u(units),
  due: d(day),
  kind: 'purchase_order',
});
export const line = (parent: string, component: string, per: number, scrapBp = 0): MrpBomLine => ({
  parent: itemId(parent),
  component: itemId(component),
  qtyPer: u(per),
  scrap: basisPoints(scrapBp),
});

export function plan(input: Partial<MrpInput> & Pick<MrpInput, 'items'>): MrpResult {
  const r = runMrp({ bom: [], onHand: [], receipts: [], demands: [], start: START, ...input });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}
export const onHand = (item: string, units: number) => ({ item: itemId(item), qty: u(units) });

/** Rows as [day offset, gross, scheduled, projected, net, planned receipts, releases] in units. */
export function rowsOf(result: MrpResult, item: string): number[][] {
  const p = result.plans.find((x) => x.item === item);
  if (p === undefined) throw new Error(`no plan for ${item}`);
  const days0 = (date: IsoDate) => dayNumber(date) - dayNumber(START);
  return p.rows.map((r: TimePhasedRow) => [
    days0(r.date),
    r.grossRequirements / 1000,
    r.scheduledReceipts / 1000,
    r.projectedOnHand / 1000,
    r.netRequirements / 1000,
    r.plannedOrderReceipts / 1000,
    r.plannedOrderReleases / 1000,
  ]);
}
export const ordersOf = (result: MrpResult, item: string) =>
  result.plannedOrders
    .filter((o) => o.item === item)
    .map((o) => [o.qty / 1000, o.releaseDate, o.dueDate, o.pastDue] as const);
