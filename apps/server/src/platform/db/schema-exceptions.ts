export interface FloorExceptionsTable {
  id: string;
  code: string;
  kind: 'breakdown' | 'shortage' | 'quality' | 'tooling';
  state: 'open' | 'acknowledged' | 'resolved';
  machine_id: string | null;
  item_id: string | null;
  work_order_id: string | null;
  operation_id: string | null;
  note: string;
  photo: string | null;
  affected: string;
  raised_by: string | null;
  owner: string | null;
  raised_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  resolution: string | null;
  version: number;
}
