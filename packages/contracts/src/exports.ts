import { type Static, Type } from 'typebox';
import { SheetFormat } from './imports.ts';
import { BalanceListQuery, MoveListQuery } from './inventory.ts';
import { WorkOrderListQuery } from './production.ts';
import { PurchaseOrderListQuery } from './purchasing.ts';
import { SalesOrderListQuery } from './sales.ts';

/**
 * Streamed sheet exports of the main lists take the list's own filters (its query without `limit`
 * and `cursor`: every matching row is exported, page by page) plus the sheet format, xlsx by default.
 * Unknown fields are refused, as on the list.
 */
const PAGING = ['limit', 'cursor'] as const;
const Format = { format: Type.Optional(SheetFormat) };
const closed = { additionalProperties: false } as const;

export const WorkOrderExportQuery = Type.Object(
  { ...Type.Omit(WorkOrderListQuery, PAGING).properties, ...Format },
  closed,
);
export type WorkOrderExportQuery = Static<typeof WorkOrderExportQuery>;

export const SalesOrderExportQuery = Type.Object(
  { ...Type.Omit(SalesOrderListQuery, PAGING).properties, ...Format },
  closed,
);
export type SalesOrderExportQuery = Static<typeof SalesOrderExportQuery>;

export const PurchaseOrderExportQuery = Type.Object(
  { ...Type.Omit(PurchaseOrderListQuery, PAGING).properties, ...Format },
  closed,
);
export type PurchaseOrderExportQuery = Static<typeof PurchaseOrderExportQuery>;

export const MoveExportQuery = Type.Object(
  { ...Type.Omit(MoveListQuery, PAGING).properties, ...Format },
  closed,
);
export type MoveExportQuery = Static<typeof MoveExportQuery>;

export const BalanceExportQuery = Type.Object(
  { ...Type.Omit(BalanceListQuery, PAGING).properties, ...Format },
  closed,
);
export type BalanceExportQuery = Static<typeof BalanceExportQuery>;
