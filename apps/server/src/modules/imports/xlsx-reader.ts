import type { Readable } from 'node:stream';
import { openEntry, type ZipEntry, ZipError, zipEntries } from './zip-file.ts';

/**
 * Rows of the first worksheet of an .xlsx file on disk, read as a stream: the sheet XML is inflated
 * and scanned chunk by chunk (text is decoded across chunk boundaries, so no character is split);
 * only the shared strings are held. Cells come back as the text a person sees.
 */
interface XmlHandler {
  tag(name: string, attrs: string, closing: boolean, selfClosing: boolean): void;
  text(text: string): void;
}

/**
 * Feeds the tags and texts of a stream of XML bytes to `handler`, synchronously per chunk; after
 * each chunk `drain` hands out what the handler gathered (rows), so the caller's loop stays cheap.
 */
async function* scan<T>(stream: Readable, handler: XmlHandler, drain: () => T[]): AsyncGenerator<T[]> {
  const decoder = new TextDecoder('utf-8');
  let buf = '';
  const feed = (final: boolean) => {
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      const gt = lt < 0 ? -1 : buf.indexOf('>', lt);
      if (gt < 0) {
        if (final && pos < buf.length) handler.text(buf.slice(pos));
        buf = final ? '' : buf.slice(pos);
        return;
      }
      if (lt > pos) handler.text(buf.slice(pos, lt));
      pos = gt + 1;
      const c = buf.charCodeAt(lt + 1);
      if (c === 63 || c === 33) continue; // <?xml …?>, <!-- … -->
      const closing = c === 47;
      const selfClosing = buf.charCodeAt(gt - 1) === 47;
      const from = lt + (closing ? 2 : 1);
      const to = selfClosing ? gt - 1 : gt;
      let end = from;
      while (end < to) {
        const ch = buf.charCodeAt(end);
        if (ch === 32 || ch === 9 || ch === 10 || ch === 13) break;
        end++;
      }
      let start = from;
      for (let i = from; i < end; i++) if (buf.charCodeAt(i) === 58) start = i + 1;
      handler.tag(buf.slice(start, end), end < to ? buf.slice(end, to) : '', closing, selfClosing);
    }
  };
  for await (const chunk of stream) {
    buf += decoder.decode(chunk as Buffer, { stream: true });
    feed(false);
    const out = drain();
    if (out.length > 0) yield out;
  }
  buf += decoder.decode();
  feed(true);
  const out = drain();
  if (out.length > 0) yield out;
}

const ENTITY = /&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML entities, then OOXML's _xHHHH_ escapes (how Excel stores a carriage return, say). */
function decodeText(text: string): string {
  let out = text.includes('&')
    ? text.replace(ENTITY, (_, hex, dec, name) =>
        hex
          ? String.fromCodePoint(parseInt(hex, 16))
          : dec
            ? String.fromCodePoint(Number(dec))
            : NAMED[name.toLowerCase()]!,
      )
    : text;
  if (out.includes('_x'))
    out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return out;
}

const ATTRS = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | null {
  // Writers separate attributes by one space: found without a regular expression (once per cell).
  const key = ` ${name}="`;
  const at = attrs.indexOf(key);
  if (at >= 0) {
    const end = attrs.indexOf('"', at + key.length);
    if (end >= 0) return attrs.slice(at + key.length, end);
  }
  let re = ATTRS.get(name);
  if (!re) {
    re = new RegExp(`\\s${name}="([^"]*)"`);
    ATTRS.set(name, re);
  }
  const m = re.exec(attrs);
  return m ? m[1]! : null;
}

/** "AB12" → 27 (zero-based column of a cell reference), read from `from` on. */
function columnOf(ref: string, from = 0): number {
  let n = 0;
  for (let i = from; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** Excel stores 6.8 as 6.7999999999999998 at times; what it shows is 15 significant digits. */
function numberText(v: string): string {
  if (!/\d\.\d{10,}|e/i.test(v)) return v;
  const n = Number(v);
  return Number.isFinite(n) ? String(Number(n.toPrecision(15))) : v;
}

/** The column of a `<c>` tag, or `next` when it has no reference; read in place (once per cell). */
function cellColumn(attrs: string, next: number): number {
  const at = attrs.indexOf(' r="');
  if (at >= 0 && attrs.charCodeAt(at + 4) !== 34) return columnOf(attrs, at + 4);
  const ref = at >= 0 ? '' : attr(attrs, 'r');
  return ref ? columnOf(ref) : next;
}

/** The type of a `<c>` tag as far as cellValue tells them apart (s, b, n or other), read in place. */
function cellType(attrs: string): string {
  const at = attrs.indexOf(' t="');
  if (at < 0) return attr(attrs, 't') ?? 'n';
  if (attrs.charCodeAt(at + 5) !== 34) return 'str';
  const c = attrs.charCodeAt(at + 4);
  return c === 115 ? 's' : c === 98 ? 'b' : c === 110 ? 'n' : 'str';
}

async function sharedStrings(file: string, entries: Map<string, ZipEntry>): Promise<string[]> {
  const entry = entries.get('xl/sharedStrings.xml');
  if (!entry) return [];
  const out: string[] = [];
  let current = '';
  let inT = false;
  let phonetic = 0;
  const handler: XmlHandler = {
    text(t) {
      if (inT && phonetic === 0) current += decodeText(t);
    },
    tag(name, _attrs, closing, selfClosing) {
      if (name === 't') inT = !closing && !selfClosing;
      else if (name === 'rPh') phonetic += closing ? -1 : selfClosing ? 0 : 1;
      else if (name === 'si') {
        if (closing || selfClosing) out.push(current);
        if (!closing) current = '';
      }
    },
  };
  for await (const _ of scan(await openEntry(file, entry), handler, () => [])) {
    // everything happens in the handler
  }
  return out;
}

async function firstSheet(file: string, entries: Map<string, ZipEntry>): Promise<string> {
  const text = async (name: string) => {
    const e = entries.get(name);
    if (!e) return '';
    let s = '';
    for await (const c of await openEntry(file, e)) s += String(c);
    return s;
  };
  const workbook = await text('xl/workbook.xml');
  const rid = /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1];
  const rels = await text('xl/_rels/workbook.xml.rels');
  const rel = rid ? new RegExp(`<Relationship\\b[^>]*\\bId="${rid}"[^>]*>`).exec(rels)?.[0] : undefined;
  const target = rel ? attr(rel, 'Target') : null;
  if (!target) return 'xl/worksheets/sheet1.xml';
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

export async function* readXlsxFile(file: string): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  const entries = await zipEntries(file);
  const sheetName = await firstSheet(file, entries);
  const sheet = entries.get(sheetName);
  if (!sheet) throw new ZipError('the workbook has no worksheet');
  const strings = await sharedStrings(file, entries);
  let done: { rowNo: number; cells: string[] }[] = [];
  let rowNo = 0;
  let cells: string[] = [];
  let col = 0;
  let type = '';
  let value = '';
  let capture = false;
  let inCell = false;
  const cellValue = (): string => {
    switch (type) {
      case 's':
        return strings[Number(value)] ?? '';
      case 'b':
        return value === '1' ? 'true' : 'false';
      case 'n':
        return numberText(value);
      default:
        return decodeText(value);
    }
  };
  const handler: XmlHandler = {
    text(t) {
      if (capture) value += t;
    },
    tag(name, attrs, closing, selfClosing) {
      if (name === 'c') {
        if (!closing) {
          col = cellColumn(attrs, cells.length);
          type = cellType(attrs);
          value = '';
          inCell = !selfClosing;
          if (inCell) return;
        }
        inCell = false;
        while (cells.length < col) cells.push('');
        cells[col] = cellValue();
      } else if (name === 'v' || name === 't') {
        capture = inCell && !closing && !selfClosing;
      } else if (name === 'row') {
        if (closing) {
          done.push({ rowNo, cells });
          return;
        }
        rowNo = Number(attr(attrs, 'r') ?? rowNo + 1);
        cells = [];
        if (selfClosing) done.push({ rowNo, cells });
      }
    },
  };
  const drain = () => {
    const out = done;
    done = [];
    return out;
  };
  for await (const batch of scan(await openEntry(file, sheet), handler, drain)) yield* batch;
}
