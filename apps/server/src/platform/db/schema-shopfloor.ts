export interface DispatchTargetsTable {
  work_center_id: string;
  url: string;
  active: number;
  updated_at: string;
}

export interface OperationReportsTable {
  id: string;
  operation_id: string;
  idempotency_key: string;
  good: number;
  scrap: number;
  scrap_reason: string | null;
  operator_id: string | null;
  machine_id: string | null;
  reported_at: string;
  received_at: string;
}

export interface AlertsTable {
  id: string;
  severity: 'info' | 'warning' | 'critical';
  kind: string;
  title: string;
  detail: string;
  entity_type: string | null;
  entity_id: string | null;
  dedupe_key: string | null;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}
