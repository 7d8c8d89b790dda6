import type { WorkOrderExportQuery, WorkOrderSummary } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { EXPORT_PAGE, type ExportColumn, exportPages } from '../imports/sheet-io.ts';
import { customColumns } from '../masterdata/custom-fields.sheet.ts';
import { listWorkOrders } from './workorder.service.ts';

type Row = WorkOrderSummary & { readonly salesOrderCode: string };

/**
 * The columns of the archive's export as they were (clients read them by position), then the
 * received quantity and the sales order; the work orders' custom fields follow.
 */
const COLUMNS: readonly ExportColumn<Row>[] = [
  { header: '工单号 Code', width: 18, value: (w) => w.code },
  { header: '物料编码 Item', width: 16, value: (w) => w.itemCode },
  { header: '物料名称 Item name', width: 24, value: (w) => w.itemName },
  { header: '状态 Status', width: 12, value: (w) => w.status },
  { header: '数量 Qty', width: 10, value: (w) => w.qty },
  { header: '合格 Good', width: 10, value: (w) => w.qtyGood },
  { header: '报废 Scrap', width: 10, value: (w) => w.qtyScrap },
  { header: '交期 Due date', width: 12, value: (w) => w.dueDate },
  { header: '优先级 Priority', width: 8, value: (w) => String(w.priority) },
  { header: '创建时间 Created', width: 22, value: (w) => w.createdAt },
  { header: '最后更新 Last updated', width: 22, value: (w) => w.updatedAt },
  { header: '已入库 Received', width: 10, value: (w) => w.qtyReceived },
  { header: '销售订单 Sales order', width: 18, value: (w) => w.salesOrderCode },
];

async function salesOrderCodes(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('sales_orders')
    .select(['id', 'code'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}

/**
 * Work orders matching the list's filters (`archived: true`: the archive's), newest first, as the
 * list pages them, streamed as a sheet (exportPages). A filter the list refuses is thrown here.
 */
export async function exportWorkOrders(db: Db, query: WorkOrderExportQuery, batch = EXPORT_PAGE) {
  const { format = 'xlsx', ...filters } = query;
  const custom = await customColumns(db.kysely, 'work_orders');
  return exportPages<Row>({
    format,
    sheetName: filters.archived ? 'Archived work orders 归档工单' : 'Work orders 工单',
    columns: [
      ...COLUMNS,
      ...custom.map((c) => ({ header: c.header, value: (w: Row) => w.customFields[c.key] })),
    ],
    async page(cursor) {
      const page = await listWorkOrders(db, { ...filters, limit: batch, ...(cursor ? { cursor } : {}) });
      const codes = await salesOrderCodes(
        db,
        page.items.map((w) => w.salesOrderId),
      );
      return {
        items: page.items.map((w) => ({
          ...w,
          salesOrderCode: w.salesOrderId ? (codes.get(w.salesOrderId) ?? '') : '',
        })),
        nextCursor: page.nextCursor,
      };
    },
  });
}
