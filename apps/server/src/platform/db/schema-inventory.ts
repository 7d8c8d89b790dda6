import type { Generated } from 'kysely';

export interface LotsTable {
  id: string;
  item_id: string;
  code: string;
  created_at: string;
}

export interface LotLinksTable {
  output_lot_id: string;
  input_lot_id: string;
  qty: number;
  ref_type: string | null;
  ref_id: string | null;
  created_at: string;
}

export interface StockMovesTable {
  seq: Generated<number>;
  id: string;
  kind: string;
  item_id: string;
  qty: number;
  from_location_id: string | null;
  to_location_id: string | null;
  lot_id: string | null;
  reason: string | null;
  ref_type: string | null;
  ref_id: string | null;
  reverses_id: string | null;
  actor_id: string | null;
  request_id: string | null;
  created_at: string;
}

export interface StockBalancesTable {
  item_id: string;
  location_id: string;
  lot_id: string;
  on_hand: number;
  updated_at: string;
}

export interface ReservationsTable {
  id: string;
  item_id: string;
  qty: number;
  demand_type: string;
  demand_id: string;
  status: 'open' | 'consumed' | 'released';
  created_at: string;
  updated_at: string;
}
