import type { SalesOrderExportQuery, SalesOrderSummary } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { EXPORT_PAGE, type ExportColumn, exportPages } from '../imports/sheet-io.ts';
import { listOrders } from './salesorder.query.ts';

const COLUMNS: readonly ExportColumn<SalesOrderSummary>[] = [
  { header: '订单号 Code', width: 18, value: (o) => o.code },
  { header: '客户编码 Customer', width: 14, value: (o) => o.customerCode },
  { header: '客户名称 Customer name', width: 28, value: (o) => o.customerName },
  { header: '客户等级 Tier', width: 6, value: (o) => o.customerTier },
  { header: '客户单号 External ref', width: 16, value: (o) => o.externalRef },
  { header: '状态 Status', width: 16, value: (o) => o.status },
  { header: '交期 Due date', width: 12, value: (o) => o.dueDate },
  { header: '币种 Currency', width: 8, value: (o) => o.currency },
  { header: '订单金额 Order value', width: 14, value: (o) => o.orderValue },
  { header: '优先级 Priority', width: 8, value: (o) => o.priority.score.toFixed(1) },
  { header: '备注 Note', width: 24, value: (o) => o.note },
  { header: '确认时间 Confirmed', width: 22, value: (o) => o.confirmedAt },
  { header: '创建时间 Created', width: 22, value: (o) => o.createdAt },
  { header: '最后更新 Last updated', width: 22, value: (o) => o.updatedAt },
];

/**
 * Sales orders matching the list's filters, in the list's sort, as the list pages them, streamed as
 * a sheet (exportPages). A filter the list refuses is thrown here.
 */
export async function exportSalesOrders(db: Db, query: SalesOrderExportQuery, batch = EXPORT_PAGE) {
  const { format = 'xlsx', ...filters } = query;
  return exportPages({
    format,
    sheetName: 'Sales orders 销售订单',
    columns: COLUMNS,
    page: (cursor) => listOrders(db, { ...filters, limit: batch, ...(cursor ? { cursor } : {}) }),
  });
}
