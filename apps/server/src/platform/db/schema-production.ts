import type { ColumnType } from 'kysely';
export interface WorkOrdersTable {
  id: string;
  code: string;
  item_id: string;
  qty: number;
  qty_good: number;
  qty_scrap: number;
  qty_received: number;
  status: string;
  held_from: string | null;
  closed_short_reason: string | null;
  bom_id: string | null;
  routing_id: string | null;
  parent_id: string | null;
  root_id: string | null;
  sales_order_id: string | null;
  sales_order_line_id: string | null;
  due_date: string | null;
  priority: number;
  source: string;
  /** JSON object of custom field values by key (migration 0019). */
  custom_fields?: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkOrderMaterialsTable {
  id: string;
  work_order_id: string;
  position: number;
  item_id: string;
  qty_required: number;
  qty_issued: number;
  operation_seq: number | null;
  child_work_order_id: string | null;
}

export interface WorkOrderOperationsTable {
  id: string;
  work_order_id: string;
  seq: number;
  name: string;
  work_center_id: string;
  machine_id: string | null;
  status: string;
  setup_minutes: number;
  run_mmin: number;
  planned_minutes: number;
  skill_code: string | null;
  skill_level: number | null;
  tool_code: string | null;
  inspection: number;
  overlap: number;
  wait_minutes: number;
  predecessors: string;
  qty_good: number;
  qty_scrap: number;
  planned_start: string | null;
  planned_end: string | null;
  version: number;
  updated_at: string;
  held_from: string | null;
  dispatch_no: number;
  dispatched_at: string | null;
  dispatch_error: string | null;
  external_ack_at: string | null;
  started_at: string | null;
  status_since: string | null;
  operator_id: string | null;
  /** Link to the work instructions; optional on insert. */
  instructions_url: ColumnType<string | null, string | null | undefined, string | null>;
  drawing_url: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface WorkOrderHistoryTable {
  id: string;
  work_order_id: string;
  operation_id: string | null;
  action: string;
  from_status: string;
  to_status: string;
  reason: string | null;
  actor_id: string | null;
  at: string;
}
