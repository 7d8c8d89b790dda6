import type { ItemExportQuery, SheetFormat } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { customCells, customColumns, customExampleCells } from '../masterdata/custom-fields.sheet.ts';
import { containsText } from '../masterdata/list.ts';
import { ITEM_EXAMPLE, ITEM_HEADERS, itemCells } from './item-columns.ts';
import { sheetWriter } from './sheet-io.ts';

const WIDTHS = [16, 24, 20, 14, 8, 10, 12, 12, 14, 10, 10, 12, 12, 8];

async function warehouseCodes(db: Db): Promise<Map<string, string>> {
  const rows = await db.kysely.selectFrom('warehouses').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}

/**
 * Items matching the filters, in code order, read in keyset pages of `batch` rows (never all rows
 * at once) and written to the sheet as they arrive.
 */
export function exportItems(db: Db, query: ItemExportQuery, batch = 1000) {
  const writer = sheetWriter(query.format ?? 'xlsx', 'Items 物料', WIDTHS);
  const run = async () => {
    const codes = await warehouseCodes(db);
    const custom = await customColumns(db.kysely, 'items');
    await writer.row([...ITEM_HEADERS, ...custom.map((c) => c.header)]);
    let after: string | null = null;
    for (;;) {
      let q = db.kysely.selectFrom('items').selectAll().orderBy('code').limit(batch);
      if (after !== null) q = q.where('code', '>', after);
      if (query.q) q = q.where(containsText(db.dialect, query.q, ['code', 'name']));
      if (query.type) q = q.where('type', '=', query.type);
      if (query.tracking) q = q.where('tracking', '=', query.tracking);
      if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
      const rows = await q.execute();
      for (const row of rows) {
        await writer.row([...itemCells(row, codes), ...customCells(row.custom_fields, custom)]);
      }
      if (rows.length < batch) break;
      after = rows[rows.length - 1]!.code;
    }
    await writer.end();
  };
  run().catch((err: Error) => writer.fail(err));
  return writer.stream;
}

/** An empty sheet with the headers (custom fields too) and one example row. */
export function itemTemplate(db: Db, format: SheetFormat) {
  const writer = sheetWriter(format, 'Items 物料', WIDTHS);
  const run = async () => {
    const custom = await customColumns(db.kysely, 'items');
    await writer.row([...ITEM_HEADERS, ...custom.map((c) => c.header)]);
    await writer.row([...ITEM_EXAMPLE, ...customExampleCells(custom)]);
    await writer.end();
  };
  run().catch((err: Error) => writer.fail(err));
  return writer.stream;
}
