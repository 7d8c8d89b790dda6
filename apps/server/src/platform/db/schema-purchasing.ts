/** Purchasing and MRP tables (migration 0008). Quantities × 1000, money in cents, dates YYYY-MM-DD. */

export interface PurchasingSettingsTable {
  key: string;
  /** JSON. */
  value: string;
  version: number;
  updated_at: string;
}

export type PurchaseOrderStatus =
  | 'draft'
  | 'approved'
  | 'sent'
  | 'partially_received'
  | 'received'
  | 'closed'
  | 'cancelled';

export interface PurchaseOrdersTable {
  id: string;
  code: string;
  supplier_id: string;
  status: PurchaseOrderStatus;
  currency: string;
  /** Over-receipt tolerance per line, basis points of the ordered quantity. */
  tolerance_bp: number;
  notes: string;
  created_by: string | null;
  approved_by: string | null;
  approved_at: string | null;
  sent_at: string | null;
  closed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PurchaseOrderLinesTable {
  id: string;
  po_id: string;
  line_no: number;
  item_id: string;
  qty: number;
  /** Net of returns to the supplier. */
  received_qty: number;
  returned_qty: number;
  unit_price: number;
  due_date: string;
  /** open | partially_received | received | cancelled */
  status: string;
  planned_order_id: string | null;
}

export interface PurchaseReceiptsTable {
  id: string;
  po_id: string;
  po_line_id: string;
  /** receipt | return */
  kind: string;
  item_id: string;
  qty: number;
  location_id: string;
  lot: string | null;
  move_id: string;
  reason: string | null;
  actor_id: string | null;
  created_at: string;
}

export interface MrpRunsTable {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  active_slot: number | null;
  /** manual | schedule */
  trigger: string;
  plan_start: string;
  progress: number;
  requested_by: string | null;
  /** JSON: items, plannedOrders, shortages, actions, … */
  counts: string;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface MrpPlannedOrdersTable {
  id: string;
  run_id: string;
  /** The plan's own reference (PLN-1 …), used in pegging. */
  ref: string;
  kind: 'buy' | 'make';
  item_id: string;
  qty: number;
  release_date: string;
  due_date: string;
  past_due: number;
  supplier_id: string | null;
  /** JSON array of { source: { kind, id? }, qty } with qty × 1000. */
  pegging: string;
}

export interface MrpShortagesTable {
  id: string;
  run_id: string;
  item_id: string;
  date: string;
  qty: number;
  planned_order_id: string;
  release_date: string;
}

export interface MrpActionsTable {
  id: string;
  run_id: string;
  /** expedite | defer | cancel | release */
  kind: string;
  item_id: string;
  qty: number;
  receipt_type: string | null;
  receipt_id: string | null;
  planned_order_id: string | null;
  current_due: string | null;
  suggested_due: string | null;
  past_due: number;
}

export interface MrpDemandsTable {
  id: string;
  item_id: string;
  qty: number;
  due_date: string;
  /** forecast | other */
  kind: string;
  note: string;
  created_at: string;
}
