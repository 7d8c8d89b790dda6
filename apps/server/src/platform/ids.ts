import { v7 } from 'uuid';

/** Random bytes for ids, drawn from the system generator a few kilobytes at a time instead of per id. */
const pool = new Uint8Array(4096);
let taken = pool.length;

function random16(): Uint8Array {
  if (taken + 16 > pool.length) {
    crypto.getRandomValues(pool);
    taken = 0;
  }
  taken += 16;
  return pool.subarray(taken - 16, taken);
}

/** Millisecond and counter of the last id: ids made in one millisecond still sort by creation. */
const last = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/** Time-ordered UUIDv7: index-friendly primary keys that also sort by creation. */
export function newId(): string {
  const now = Date.now();
  const random = random16();
  // As uuid's own v7 does: a fresh random counter each millisecond, counting up within one.
  if (now > last.msecs) {
    last.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    last.msecs = now;
  } else {
    last.seq = (last.seq + 1) | 0;
    if (last.seq === 0) last.msecs++;
  }
  return v7({ random, msecs: last.msecs, seq: last.seq });
}

export function nowIso(): string {
  return new Date().toISOString();
}
