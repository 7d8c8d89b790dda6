/**
 * The item sheet the import benchmarks post: `rows` items in the bilingual template's columns, with a
 * mix of Chinese and English type and tracking values, as a real upload has.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ITEM_HEADERS } from '../apps/server/src/modules/imports/item-columns.ts';
import { xlsxWriter } from '../apps/server/src/modules/imports/sheet-io.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Writes the sheet to `file`; codes are `<prefix>0000000`, `<prefix>0000001`, …, names carry the prefix too. */
export async function writeItemSheet(file: string, rows: number, prefix = 'BM-'): Promise<void> {
  const writer = xlsxWriter('Items 物料');
  const done = pipeline(writer.stream, fs.createWriteStream(file));
  await writer.row(ITEM_HEADERS);
  const types = ['raw', '原材料', 'purchased', '成品', 'semi_finished', '辅料'];
  for (let i = 0; i < rows; i++) {
    await writer.row([
      `${prefix}${String(i).padStart(7, '0')}`,
      `零件 ${prefix}${i}`,
      `M${i % 30}×${i % 200}`,
      types[i % types.length]!,
      i % 3 ? 'pcs' : 'kg',
      i % 5 ? 'none' : '批次',
      String(i % 1000),
      `${i % 500}.${String(i % 100).padStart(2, '0')}`,
      '',
      String(i % 30),
      String(i % 10),
      '0',
      '0',
      'true',
    ]);
  }
  await writer.end();
  await done;
}
