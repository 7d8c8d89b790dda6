import type { CalendarListQuery } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import { cachedRow, cacheOf } from '../../platform/cache/cache.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { CalendarsTable, Database } from '../../platform/db/schema.ts';
import { decodeCursor, pageOf, parseSort } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

const SORTS = { code: 'code', name: 'name', updatedAt: 'updated_at' } as const;

/**
 * A calendar (its shifts and exceptions included) through the master-data cache outside a
 * transaction; updates and deletes here drop it once they commit.
 */
export async function findCalendar(db: Q, id: string): Promise<CalendarsTable | undefined> {
  return cachedRow(db, 'calendars', id, () =>
    db.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

export async function insertCalendar(db: Q, row: CalendarsTable): Promise<void> {
  await db.insertInto('calendars').values(row).execute();
}

export async function updateCalendar(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<CalendarsTable, 'id' | 'version' | 'created_at'>>,
): Promise<CalendarsTable | undefined> {
  const row = await db
    .updateTable('calendars')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  cacheOf(db).invalidate(db, 'calendars', id);
  return row;
}

export async function deleteCalendar(db: Q, id: string): Promise<void> {
  await db.deleteFrom('calendars').where('id', '=', id).execute();
  cacheOf(db).invalidate(db, 'calendars', id);
}

export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listCalendars(db: Q, dialect: 'sqlite' | 'postgres', query: CalendarListQuery) {
  const limit = query.limit ?? 50;
  const sort = parseSort(query.sort, SORTS, 'code');
  const cursor = decodeCursor(query.cursor, sort.key);
  const dir = sort.desc ? 'desc' : 'asc';
  let q = db
    .selectFrom('calendars')
    .selectAll()
    .orderBy(sort.column, dir)
    .orderBy('id', dir)
    .limit(limit + 1);
  if (query.q) {
    const p = likePattern(query.q);
    q =
      dialect === 'postgres'
        ? q.where(sql<boolean>`(code ilike ${p} or name ilike ${p})`)
        : q.where(sql<boolean>`(code like ${p} escape '\\' or name like ${p} escape '\\')`);
  }
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  if (cursor) {
    const cmp = sort.desc ? '<' : '>';
    const v = cursor.v as string;
    q = q.where((eb) =>
      eb.or([eb(sort.column, cmp, v), eb.and([eb(sort.column, '=', v), eb('id', cmp, cursor.id)])]),
    );
  }
  return pageOf(await q.execute(), limit, sort, (r) => r[sort.column]);
}
