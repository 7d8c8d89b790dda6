import type { IsoDate } from './calendar.ts';
import type { DemandId, ItemId, PlannedOrderId, ReceiptId } from './ids.ts';
import type { Qty } from './quantity.ts';
import type { BasisPoints, Days } from './units.ts';

export interface MrpItem {
  readonly id: ItemId;
  readonly source: 'make' | 'buy';
  /** Calendar days from release to receipt. */
  readonly leadTimeDays: Days;
  /** Zero for none. */
  readonly minOrderQty: Qty;
  /** Planned quantities are rounded up to a multiple of this; zero for none. Use 1 for whole pieces. */
  readonly orderMultiple: Qty;
  readonly safetyStock: Qty;
}

export interface MrpBomLine {
  readonly parent: ItemId;
  readonly component: ItemId;
  /** Component quantity per one unit of parent. */
  readonly qtyPer: Qty;
  /** Expected component scrap: requirement = parent qty × qtyPer × (1 + scrap). */
  readonly scrap: BasisPoints;
}

export interface MrpOnHand {
  readonly item: ItemId;
  readonly qty: Qty;
}

/**
 * An open purchase or work order. Component needs of open work orders are not derived from these;
 * pass their unissued allocations as demands of kind 'allocation'.
 */
export interface MrpReceipt {
  readonly id: ReceiptId;
  readonly item: ItemId;
  readonly qty: Qty;
  readonly due: IsoDate;
  readonly kind: 'purchase_order' | 'work_order';
}

export interface MrpDemand {
  readonly id: DemandId;
  readonly item: ItemId;
  readonly qty: Qty;
  readonly due: IsoDate;
  readonly kind: 'sales_order' | 'forecast' | 'allocation' | 'other';
}

export interface MrpInput {
  readonly items: readonly MrpItem[];
  readonly bom: readonly MrpBomLine[];
  readonly onHand: readonly MrpOnHand[];
  readonly receipts: readonly MrpReceipt[];
  readonly demands: readonly MrpDemand[];
  /** First planning day; anything due earlier is treated as due on it (the past-due bucket). */
  readonly start: IsoDate;
  /** A receipt earlier than needed by more than this many days gets a defer message. Default 0. */
  readonly deferToleranceDays?: number;
}

/** What a planned order covers: an independent demand, a parent's planned order, or safety stock. */
export type PegSource =
  | { readonly kind: 'demand'; readonly id: DemandId }
  | { readonly kind: 'planned_order'; readonly id: PlannedOrderId }
  | { readonly kind: 'safety_stock' };

export interface Peg {
  readonly source: PegSource;
  readonly qty: Qty;
}

export interface PlannedOrder {
  readonly id: PlannedOrderId;
  readonly item: ItemId;
  readonly kind: 'buy' | 'make';
  readonly qty: Qty;
  readonly releaseDate: IsoDate;
  readonly dueDate: IsoDate;
  /** Release falls before the planning start: the lead time can no longer be met. */
  readonly pastDue: boolean;
  /** Sums to at most qty; the rest is surplus from lot sizing. */
  readonly pegging: readonly Peg[];
}

/** One calendar day with activity. Identity: onHand(prev) + receipts + planned − gross = projectedOnHand. */
export interface TimePhasedRow {
  readonly date: IsoDate;
  readonly grossRequirements: Qty;
  /** Existing receipts on the date the plan assumes (after the action messages are followed). */
  readonly scheduledReceipts: Qty;
  readonly projectedOnHand: Qty;
  readonly netRequirements: Qty;
  readonly plannedOrderReceipts: Qty;
  /** Releases due before the start are shown on the start date (the past-due bucket). */
  readonly plannedOrderReleases: Qty;
}

export interface ItemPlan {
  readonly item: ItemId;
  readonly lowLevelCode: number;
  readonly onHand: Qty;
  readonly safetyStock: Qty;
  readonly rows: readonly TimePhasedRow[];
}

export interface Shortage {
  readonly item: ItemId;
  /** When the material is needed. */
  readonly date: IsoDate;
  readonly qty: Qty;
  readonly plannedOrderId: PlannedOrderId;
  /** When it should have been released; before the planning start. */
  readonly releaseDate: IsoDate;
}

export interface ActionMessage {
  readonly kind: 'expedite' | 'defer' | 'cancel';
  readonly receiptId: ReceiptId;
  readonly item: ItemId;
  readonly qty: Qty;
  readonly currentDue: IsoDate;
  /** Null for cancel. */
  readonly suggestedDue: IsoDate | null;
  /** The receipt was already overdue at the planning start. */
  readonly pastDue: boolean;
}

export interface MrpResult {
  /** In planning order: low-level code, then item id. */
  readonly plans: readonly ItemPlan[];
  readonly plannedOrders: readonly PlannedOrder[];
  readonly shortages: readonly Shortage[];
  readonly actions: readonly ActionMessage[];
}

export type MrpErrorCode =
  | 'UNKNOWN_ITEM'
  | 'DUPLICATE_ITEM'
  | 'INVALID_ITEM'
  | 'INVALID_BOM_LINE'
  | 'INVALID_QUANTITY'
  | 'BOM_CYCLE';
