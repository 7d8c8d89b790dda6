import type { PurchaseOrder, PurchaseOrderExportQuery } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { EXPORT_PAGE, type ExportColumn, exportPages } from '../imports/sheet-io.ts';
import { listOrders } from './purchaseorder.service.ts';

const open = (o: PurchaseOrder) =>
  o.lines.filter((l) => l.status === 'open' || l.status === 'partially_received');

/** The earliest due date of the lines still to be received ('' when none is). */
function nextDue(o: PurchaseOrder): string {
  let first = '';
  for (const l of open(o)) if (first === '' || l.dueDate < first) first = l.dueDate;
  return first;
}

const COLUMNS: readonly ExportColumn<PurchaseOrder>[] = [
  { header: '采购单号 Code', width: 18, value: (o) => o.code },
  { header: '供应商编码 Supplier', width: 14, value: (o) => o.supplierCode },
  { header: '供应商名称 Supplier name', width: 28, value: (o) => o.supplierName },
  { header: '状态 Status', width: 18, value: (o) => o.status },
  { header: '币种 Currency', width: 8, value: (o) => o.currency },
  { header: '金额 Total', width: 14, value: (o) => o.total },
  { header: '行数 Lines', width: 6, value: (o) => String(o.lines.length) },
  { header: '未收行 Open lines', width: 8, value: (o) => String(open(o).length) },
  { header: '最早交期 Next due', width: 12, value: nextDue },
  { header: '备注 Notes', width: 24, value: (o) => o.notes },
  { header: '批准时间 Approved', width: 22, value: (o) => o.approvedAt },
  { header: '发出时间 Sent', width: 22, value: (o) => o.sentAt },
  { header: '关闭时间 Closed', width: 22, value: (o) => o.closedAt },
  { header: '取消时间 Cancelled', width: 22, value: (o) => o.cancelledAt },
  { header: '创建时间 Created', width: 22, value: (o) => o.createdAt },
  { header: '最后更新 Last updated', width: 22, value: (o) => o.updatedAt },
];

/**
 * Purchase orders matching the list's filters, newest first, as the list pages them, streamed as a
 * sheet (exportPages), one row per order.
 */
export async function exportPurchaseOrders(db: Db, query: PurchaseOrderExportQuery, batch = EXPORT_PAGE) {
  const { format = 'xlsx', ...filters } = query;
  return exportPages({
    format,
    sheetName: 'Purchase orders 采购订单',
    columns: COLUMNS,
    page: (cursor) => listOrders(db, { ...filters, limit: batch, ...(cursor ? { cursor } : {}) }),
  });
}
