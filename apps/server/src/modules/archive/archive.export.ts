import type { WorkOrderListQuery } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { sheetWriter } from '../imports/sheet-io.ts';
import { listWorkOrders } from '../production/workorder.service.ts';

const HEADERS = [
  '工单号 Code',
  '物料编码 Item',
  '物料名称 Item name',
  '状态 Status',
  '数量 Qty',
  '合格 Good',
  '报废 Scrap',
  '交期 Due date',
  '优先级 Priority',
  '创建时间 Created',
  '最后更新 Last updated',
];
const WIDTHS = [18, 16, 24, 12, 10, 10, 10, 12, 8, 22, 22];

export type ArchiveExportQuery = Omit<WorkOrderListQuery, 'archived' | 'limit' | 'cursor'> & {
  readonly format?: 'csv' | 'xlsx';
};

/**
 * Archived work orders matching the list filters, newest first, read page by page with the list's
 * own cursor (never all rows at once) and written to the sheet as they arrive. The first page is read
 * before the stream is returned, so a bad filter is refused before any byte is sent.
 */
export async function exportArchivedWorkOrders(db: Db, query: ArchiveExportQuery, batch = 500) {
  const { format = 'xlsx', ...filters } = query;
  const page = (cursor: string | null) =>
    listWorkOrders(db, { ...filters, archived: true, limit: batch, ...(cursor ? { cursor } : {}) });
  const first = await page(null);
  const writer = sheetWriter(format, 'Archived work orders 归档工单', WIDTHS);
  const run = async () => {
    await writer.row(HEADERS);
    for (let current = first; ; current = await page(current.nextCursor)) {
      for (const w of current.items) {
        await writer.row([
          w.code,
          w.itemCode,
          w.itemName,
          w.status,
          w.qty,
          w.qtyGood,
          w.qtyScrap,
          w.dueDate ?? '',
          String(w.priority),
          w.createdAt,
          w.updatedAt,
        ]);
      }
      if (!current.nextCursor) break;
    }
    await writer.end();
  };
  run().catch((err: Error) => writer.fail(err));
  return writer.stream;
}
