import type { RequestLogQuery } from '@takt/contracts';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { RequestLogTable } from '../../platform/db/schema-request-log.ts';

const COLUMNS = 17;
/** SQLite allows 32766 bound values per statement; stay well below. */
const ROWS_PER_INSERT = Math.floor(30_000 / COLUMNS);

export async function insertRequestLog(db: Db, rows: readonly RequestLogTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await db.kysely
      .insertInto('request_log')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .execute();
  }
}

const STATUS_CLASS: Record<string, readonly [number, number]> = {
  '2xx': [200, 300],
  '3xx': [300, 400],
  '4xx': [400, 500],
  '5xx': [500, 600],
};

/** Newest first (ids are time-ordered), `limit + 1` rows after the cursor's id. */
export async function searchRequestLog(
  db: Db,
  q: RequestLogQuery,
  afterId: string | null,
  limit: number,
): Promise<RequestLogTable[]> {
  let query = db.kysely
    .selectFrom('request_log')
    .select([
      'id',
      'at',
      'actor_kind',
      'actor_id',
      'actor_name',
      'method',
      'path',
      'route',
      'status',
      'duration_us',
      'request_id',
      'ip',
      'idempotency_key',
    ])
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (afterId) query = query.where('id', '<', afterId);
  if (q.actorKind) query = query.where('actor_kind', '=', q.actorKind);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.method) query = query.where('method', '=', q.method);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  if (q.statusClass) {
    const [lo, hi] = STATUS_CLASS[q.statusClass]!;
    query = query.where('status', '>=', lo).where('status', '<', hi);
  }
  if (q.pathContains) {
    const pattern = `%${q.pathContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(path) like ${pattern} escape '\\'`);
  }
  if (q.from) query = query.where('at', '>=', new Date(q.from).toISOString());
  if (q.to) query = query.where('at', '<', new Date(q.to).toISOString());
  if (q.minDurationMs !== undefined) {
    query = query.where('duration_us', '>=', Math.round(q.minDurationMs * 1000));
  }
  return (await query.execute()) as RequestLogTable[];
}

export async function getRequestLog(db: Db, id: string): Promise<RequestLogTable | undefined> {
  return db.kysely.selectFrom('request_log').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes rows older than `before`; returns how many. */
export async function pruneRequestLog(db: Db, before: string): Promise<number> {
  const res = await db.kysely.deleteFrom('request_log').where('at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
