import { v7 } from 'uuid';

/** Time-ordered UUIDv7: index-friendly primary keys that also sort by creation. */
export function newId(): string {
  return v7();
}

export function nowIso(): string {
  return new Date().toISOString();
}
