export interface InspectionsTable {
  id: string;
  code: string;
  type: 'first_article';
  state: 'requested' | 'passed' | 'failed';
  operation_id: string;
  work_order_id: string;
  item_id: string;
  /** Pieces inspected (×1000), set with the result. */
  sample_qty: number | null;
  request_note: string;
  notes: string;
  requested_by: string | null;
  requested_at: string;
  inspector: string | null;
  inspected_at: string | null;
  version: number;
}

/** Measured values are kept as the decimal text the inspector entered. */
export interface InspectionCharacteristicsTable {
  inspection_id: string;
  line: number;
  name: string;
  nominal: string | null;
  lower_tol: string | null;
  upper_tol: string | null;
  measured: string;
  unit: string;
  conforming: number;
}

export interface OperationReportLotsTable {
  report_id: string;
  line: number;
  item_id: string;
  lot_id: string;
  location_id: string;
  qty: number;
  move_id: string;
}
