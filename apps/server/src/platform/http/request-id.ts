import { randomBytes } from 'node:crypto';

/**
 * Time-ordered ids in the UUIDv7 layout for request ids and request-log rows, made without drawing
 * random bytes per id: 48 bits of Unix milliseconds, a 12-bit counter that orders the ids of one
 * millisecond (RFC 9562, method 1), and a 62-bit tail drawn once per process that tells processes
 * apart. Unique within a process by (millisecond, counter) — a full counter borrows the next
 * millisecond — and across processes by the tail. They sort by time like `newId()` but are not
 * unguessable: never use them where a secret is needed.
 */
const tail = randomBytes(8);
tail[0] = (tail[0]! & 0x3f) | 0x80; // RFC 9562 variant bits
const TAIL = `-${tail.subarray(0, 2).toString('hex')}-${tail.subarray(2).toString('hex')}`;
const COUNTER = Array.from({ length: 0x1000 }, (_, i) => `7${i.toString(16).padStart(3, '0')}`);

let lastMs = -1;
let counter = 0;
let head = '';

export function timeOrderedId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
    head = stamp(now);
  } else if (++counter === 0x1000) {
    lastMs++;
    counter = 0;
    head = stamp(lastMs);
  }
  return head + COUNTER[counter] + TAIL;
}

function stamp(ms: number): string {
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-`;
}
