import { sql } from 'kysely';
import type { Tx } from './db/database.ts';

/**
 * The next number of a counter (e.g. sales orders of one day), inside the caller's transaction. One
 * upsert: concurrent callers queue on the row (PostgreSQL) or on the write lock (SQLite), so no two
 * transactions get the same number, and a rolled-back one gives its number back.
 */
export async function nextInSequence(tx: Tx, name: string, period: string): Promise<number> {
  const row = await tx
    .insertInto('sequences')
    .values({ name, period, value: 1 })
    .onConflict((oc) => oc.columns(['name', 'period']).doUpdateSet({ value: sql`sequences.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** The server's local calendar date (a factory runs its server in its own time zone). */
export function localDay(at: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}`;
}
