/**
 * RFC 4180 CSV, streaming both ways. The parser takes bytes in any chunking (a quoted field may span
 * chunks and lines), drops a leading UTF-8 BOM and accepts CRLF, LF or CR line ends.
 */
export async function* parseCsv(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  let field = '';
  let row: string[] = [];
  let inQuotes = false;
  let quoted = false;
  let quotePending = false;
  let skipLf = false;
  let first = true;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const done: string[][] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (c === 34) {
            field += '"';
            start = i + 1;
            continue;
          }
          inQuotes = false;
          start = i;
        } else {
          if (c === 34) {
            field += text.slice(start, i);
            quotePending = true;
            start = i + 1;
          }
          continue;
        }
      }
      if (skipLf) {
        skipLf = false;
        if (c === 10) {
          start = i + 1;
          continue;
        }
      }
      if (c === 34 && !quoted && field === '' && start === i) {
        inQuotes = true;
        quoted = true;
        start = i + 1;
      } else if (c === 44) {
        row.push(field + text.slice(start, i));
        field = '';
        quoted = false;
        start = i + 1;
      } else if (c === 13 || c === 10) {
        row.push(field + text.slice(start, i));
        done.push(row);
        row = [];
        field = '';
        quoted = false;
        skipLf = c === 13;
        start = i + 1;
      }
    }
    field += text.slice(start);
    yield* done;
  }
  const tail = decoder.decode();
  if (tail) field += tail;
  if (field !== '' || row.length > 0 || quoted) {
    row.push(field);
    yield row;
  }
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
// A leading = + @ makes spreadsheet programs evaluate the cell; an apostrophe keeps it text.
const FORMULA = /^[=+@\t\r]/;

/** One CSV cell: formulas defused, quoted when needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Undoes csvCell's formula guard on the way back in. */
export function unguard(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA.test(text.slice(1)) ? text.slice(1) : text;
}
