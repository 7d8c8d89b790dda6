import { parseCsv } from './csv.ts';

/**
 * Reading sheets, apart from writing them (sheet-io.ts loads the workbook writer): what the worker
 * thread that checks large imports needs, and no more.
 */
export async function* readCsv(
  input: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  let rowNo = 0;
  for await (const cells of parseCsv(input)) yield { rowNo: ++rowNo, cells };
}

/** xlsx files are zip archives: they start with "PK\x03\x04". */
export function looksLikeXlsx(contentType: string | undefined, head: Uint8Array): boolean {
  if (contentType?.includes('spreadsheetml')) return true;
  if (contentType?.includes('csv')) return false;
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}
