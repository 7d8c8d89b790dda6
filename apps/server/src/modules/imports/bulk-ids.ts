import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 ids (the same kind newId makes) for bulk writes: random bits come from a pooled buffer
 * instead of one system call per id, and ids of one process never go backwards (a 12-bit counter
 * within the millisecond, as RFC 9562 method 1 allows).
 */
const pool = Buffer.alloc(8 * 1024);
let offset = pool.length;
let lastMs = 0;
let counter = 0;
/** The timestamp part of the ids of `lastMs`, made once per millisecond rather than once per id. */
let prefixMs = -1;
let prefix = '';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export function bulkId(): string {
  if (offset + 8 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = pool.readUInt16BE(offset) & 0x3ff;
    offset += 2;
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  if (prefixMs !== lastMs) {
    const ts = hex(lastMs, 12);
    prefix = `${ts.slice(0, 8)}-${ts.slice(8)}-7`;
    prefixMs = lastMs;
  }
  const variant = 0x8000 | (pool.readUInt16BE(offset) & 0x3fff);
  const tail = pool.toString('hex', offset + 2, offset + 8);
  offset += 8;
  return `${prefix}${hex(counter, 3)}-${hex(variant, 4)}-${tail}`;
}
