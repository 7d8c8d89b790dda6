import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { diffRows } from '../../platform/audit.ts';
import { createdDiff } from './item-write.ts';
import { readXlsxFile } from './xlsx-reader.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-xlsx-test-'));

async function rows(file: string) {
  const out: { rowNo: number; cells: string[] }[] = [];
  for await (const r of readXlsxFile(file)) out.push(r);
  return out;
}

describe('xlsx reader', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads shared and inline strings, rich text, numbers, booleans and gaps as the cells show them', async () => {
    const file = path.join(dir, 'shared.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const ws = wb.addWorksheet('物料');
    ws.addRow(['编码 Code', '名称 Name', 'n', 'b']).commit();
    const row = ws.getRow(3);
    row.getCell(1).value = 'A&B <1>';
    row.getCell(2).value = { richText: [{ text: '冷轧' }, { text: '钢板\r\n' }] };
    row.getCell(3).value = 6.8;
    row.getCell(4).value = true;
    row.getCell(6).value = 0.1 + 0.2;
    row.commit();
    ws.commit();
    await wb.commit();
    assert.deepEqual(await rows(file), [
      { rowNo: 1, cells: ['编码 Code', '名称 Name', 'n', 'b'] },
      { rowNo: 3, cells: ['A&B <1>', '冷轧钢板\r\n', '6.8', 'true', '', '0.3'] },
    ]);
  });

  it('keeps multi-byte text whole across chunk boundaries of a large sheet', async () => {
    const file = path.join(dir, 'large.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
    const ws = wb.addWorksheet('x');
    for (let i = 0; i < 20_000; i++) ws.addRow([`行${i}`, '原材料外购件半成品成品辅料工装']).commit();
    ws.commit();
    await wb.commit();
    const all = await rows(file);
    assert.equal(all.length, 20_000);
    assert.ok(
      all.every((r, i) => r.cells[0] === `行${i}` && r.cells[1] === '原材料外购件半成品成品辅料工装'),
    );
  });

  it('audits an imported item exactly as a hand-made one', () => {
    const row = {
      id: 'x',
      code: 'A',
      name: 'n',
      default_warehouse_id: null,
      version: 1,
      updated_at: 't',
      conversions: [],
    };
    assert.equal(createdDiff(row), JSON.stringify(diffRows(null, row)));
  });
});
