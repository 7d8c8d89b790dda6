import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvLine } from './csv.ts';

/**
 * Sheets in and out without holding them: rows are written to (and read from) the byte stream as
 * they come. Both writers wait for the reader of the stream, so memory stays flat however many rows.
 */
export interface SheetWriter {
  readonly stream: Readable;
  row(values: readonly string[]): Promise<void>;
  end(): Promise<void>;
  fail(err: Error): void;
}

type Sink = Writable & { _writableState?: { length: number; needDrain: boolean } };

/** Waits for 'drain' when the stream holds more than it wants (also on exceljs's older stream copies). */
async function drained(out: Sink): Promise<void> {
  const state = out._writableState;
  const full = out.writableNeedDrain ?? (state ? state.needDrain && state.length > 256 * 1024 : false);
  if (!full || out.destroyed) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', done);
      out.off('close', done);
      if (err instanceof Error) reject(err);
      else resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

export function csvWriter(): SheetWriter {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  out.write('\uFEFF');
  return {
    stream: out,
    async row(values) {
      out.write(csvLine(values));
      await drained(out);
    },
    async end() {
      out.end();
    },
    fail: (err) => out.destroy(err),
  };
}

export function xlsxWriter(sheetName: string, widths: readonly number[] = []): SheetWriter {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = widths.map((width) => ({ width }));
  // exceljs hands the sheet XML to its zip deflater without waiting for it; wait here instead, so
  // rows are not produced faster than they are compressed and sent (memory stays flat).
  const sheetStream = (sheet as unknown as { stream?: { pipes?: Sink[] } }).stream;
  let n = 0;
  return {
    stream: out,
    async row(values) {
      sheet.addRow([...values]).commit();
      if (++n % 200 !== 0) return;
      const deflater = sheetStream?.pipes?.[0];
      if (deflater) await drained(deflater);
      else await new Promise((resolve) => setImmediate(resolve));
      await drained(out);
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
    fail: (err) => out.destroy(err),
  };
}

export function sheetWriter(format: 'csv' | 'xlsx', sheetName: string, widths?: readonly number[]) {
  return format === 'csv' ? csvWriter() : xlsxWriter(sheetName, widths);
}

export { looksLikeXlsx, readCsv } from './sheet-read.ts';
