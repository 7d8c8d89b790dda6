import type { MrpResult, PegSource } from '@takt/domain';
import type {
  MrpActionsTable,
  MrpPlannedOrdersTable,
  MrpShortagesTable,
} from '../../platform/db/schema-purchasing.ts';
import { chooseSupplier, type SupplierOffer } from '../purchasing/purchaseorder.rules.ts';

/**
 * Turns a plan into stored rows, pure apart from the ids it is given. Besides the receipt messages
 * of the netting (expedite, defer, cancel) every planned order whose release date has come (on or
 * before the planning start) gets a *release* action: order it now. Demand ids carry their source
 * (`SO:` sales order line, `D:` independent demand) and stay as they are in the pegging.
 */
export interface PlanRows {
  readonly planned: MrpPlannedOrdersTable[];
  readonly shortages: MrpShortagesTable[];
  readonly actions: MrpActionsTable[];
  readonly summary: Record<string, number>;
}

export function planRows(
  runId: string,
  start: string,
  result: MrpResult,
  offers: readonly SupplierOffer[],
  newId: () => string,
  receiptKinds: ReadonlyMap<string, string> = new Map(),
): PlanRows {
  const byItem = new Map<string, SupplierOffer[]>();
  for (const o of offers) byItem.set(o.itemId, [...(byItem.get(o.itemId) ?? []), o]);
  const idOf = new Map<string, string>();
  for (const p of result.plannedOrders) idOf.set(p.id, newId());
  const pegSource = (s: PegSource) =>
    s.kind === 'demand'
      ? { kind: 'demand', id: s.id as string }
      : s.kind === 'planned_order'
        ? { kind: 'planned_order', id: idOf.get(s.id) ?? null }
        : { kind: 'safety_stock', id: null };
  const planned = result.plannedOrders.map(
    (p): MrpPlannedOrdersTable => ({
      id: idOf.get(p.id)!,
      run_id: runId,
      ref: p.id,
      kind: p.kind,
      item_id: p.item,
      qty: p.qty,
      release_date: p.releaseDate,
      due_date: p.dueDate,
      past_due: p.pastDue ? 1 : 0,
      supplier_id: p.kind === 'buy' ? (chooseSupplier(byItem.get(p.item) ?? [])?.supplierId ?? null) : null,
      pegging: JSON.stringify(p.pegging.map((g) => ({ source: pegSource(g.source), qty: g.qty }))),
    }),
  );
  const shortages = result.shortages.map(
    (s): MrpShortagesTable => ({
      id: newId(),
      run_id: runId,
      item_id: s.item,
      date: s.date,
      qty: s.qty,
      planned_order_id: idOf.get(s.plannedOrderId)!,
      release_date: s.releaseDate,
    }),
  );
  const actions: MrpActionsTable[] = result.actions.map((a) => ({
    id: newId(),
    run_id: runId,
    kind: a.kind,
    item_id: a.item,
    qty: a.qty,
    receipt_type: receiptKinds.get(a.receiptId) === 'work_order' ? 'work_order' : 'purchase_order_line',
    receipt_id: a.receiptId,
    planned_order_id: null,
    current_due: a.currentDue,
    suggested_due: a.suggestedDue,
    past_due: a.pastDue ? 1 : 0,
  }));
  for (const p of planned) {
    if (p.release_date > start) continue;
    actions.push({
      id: newId(),
      run_id: runId,
      kind: 'release',
      item_id: p.item_id,
      qty: p.qty,
      receipt_type: null,
      receipt_id: null,
      planned_order_id: p.id,
      current_due: null,
      suggested_due: p.due_date,
      past_due: p.past_due,
    });
  }
  const count = (kind: string) => actions.filter((a) => a.kind === kind).length;
  return {
    planned,
    shortages,
    actions,
    summary: {
      items: result.plans.length,
      plannedOrders: planned.length,
      buy: planned.filter((p) => p.kind === 'buy').length,
      make: planned.filter((p) => p.kind === 'make').length,
      pastDue: planned.filter((p) => p.past_due === 1).length,
      shortages: shortages.length,
      shortageItems: new Set(shortages.map((s) => s.item_id)).size,
      actions: actions.length,
      expedite: count('expedite'),
      defer: count('defer'),
      cancel: count('cancel'),
      release: count('release'),
    },
  };
}
