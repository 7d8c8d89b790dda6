import type {
  WorkOrderHistoryTable,
  WorkOrderMaterialsTable,
  WorkOrderOperationsTable,
  WorkOrdersTable,
} from './schema-production.ts';
import type { StockMovesTable } from './schema-inventory.ts';
import type * as Q from './schema-quality.ts';
import type { ScheduleAssignmentsTable } from './schema-scheduling.ts';
import type { OperationReportsTable } from './schema-shopfloor.ts';

/** An archived row: the hot table's columns plus when it moved. */
type Archived<T> = T & { archived_at: string | null };

/** Archive twins of the hot tables (migration 0026) and the view over hot and archived moves. */
export interface ArchiveTables {
  work_orders_archive: Archived<WorkOrdersTable>;
  work_order_materials_archive: Archived<WorkOrderMaterialsTable>;
  work_order_operations_archive: Archived<WorkOrderOperationsTable>;
  work_order_history_archive: Archived<WorkOrderHistoryTable>;
  operation_reports_archive: Archived<OperationReportsTable>;
  operation_report_lots_archive: Archived<Q.OperationReportLotsTable>;
  inspections_archive: Archived<Q.InspectionsTable>;
  inspection_characteristics_archive: Archived<Q.InspectionCharacteristicsTable>;
  schedule_assignments_archive: Archived<ScheduleAssignmentsTable>;
  stock_moves_archive: Archived<StockMovesTable>;
  stock_moves_all: StockMovesTable;
}
