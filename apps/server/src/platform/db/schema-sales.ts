/** Sales orders, their lines, shipments and the per-day code counters. */
export interface SalesOrdersTable {
  id: string;
  code: string;
  customer_id: string;
  external_ref: string;
  currency: string;
  /** draft | confirmed | in_production | partially_shipped | shipped | closed | cancelled */
  status: string;
  /** Header due date as entered (null: the lines' requested dates decide). */
  header_due_date: string | null;
  /** Effective due date: the earliest requested date of the lines. */
  due_date: string;
  /** Cents. */
  order_value: number;
  /** Score × 100, for sorting. */
  priority_score: number;
  /** JSON: the priority score with its breakdown and the date it was computed on. */
  priority: string;
  note: string;
  version: number;
  confirmed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SalesOrderLinesTable {
  id: string;
  sales_order_id: string;
  line_no: number;
  item_id: string;
  /** Quantity × 1000. */
  qty: number;
  /** Cents per `price_per`. */
  unit_price: number;
  /** Quantity × 1000 the unit price is for. */
  price_per: number;
  /** Cents. */
  amount: number;
  requested_date: string;
  promised_date: string | null;
  /** Quantity × 1000 neither reserved nor covered by a scheduled receipt at the last promise. */
  shortage: number;
  /** Quantity × 1000 shipped so far. */
  shipped_qty: number;
}

export interface ShipmentsTable {
  id: string;
  code: string;
  sales_order_id: string;
  note: string;
  actor_id: string | null;
  created_at: string;
}

export interface ShipmentLinesTable {
  id: string;
  shipment_id: string;
  sales_order_line_id: string;
  item_id: string;
  qty: number;
  from_location_id: string;
  lot: string | null;
  move_id: string;
}

/** Human code counters: one row per series and period (e.g. SO / 261124). */
export interface SequencesTable {
  name: string;
  period: string;
  value: number;
}
