export interface PieceRatesTable {
  id: string;
  item_id: string;
  seq: number;
  /** Cents per good unit (one whole unit of the item). */
  rate: number;
  /** Cents deducted per scrapped unit. */
  scrap_deduction: number;
  updated_at: string;
}

export interface PointsRulesTable {
  id: number;
  rules: string;
  updated_at: string;
}
