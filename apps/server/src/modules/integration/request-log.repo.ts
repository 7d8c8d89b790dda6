import type { RequestLogQuery } from '@takt/contracts';
import { CompiledQuery, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { deleteInBatches } from '../../platform/db/in-batches.ts';
import type { RequestLogTable } from '../../platform/db/schema-request-log.ts';

const COLUMNS = [
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
  'user_agent',
  'idempotency_key',
  'request_body',
  'response_body',
  'truncated',
] as const satisfies readonly (keyof RequestLogTable)[];
/** SQLite allows 32766 bound values per statement; stay well below. */
const ROWS_PER_INSERT = Math.floor(30_000 / COLUMNS.length);
const statements = new Map<string, string>();

/** `insert … values (…), (…)` for `rows` rows in the placeholder style of `dialect`, built once per size. */
function insertSql(dialect: Db['dialect'], rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = statements.get(key);
  if (!text) {
    let n = 0;
    const tuple = () => `(${COLUMNS.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into request_log (${COLUMNS.join(', ')}) values ${Array.from({ length: rows }, tuple).join(', ')}`;
    if (statements.size > 100) statements.clear();
    statements.set(key, text);
  }
  return text;
}

/**
 * Appends rows in multi-row inserts. The statement text is plain and fixed per batch size, so the rows
 * are bound as they are instead of going through the query builder value by value (this runs for
 * every API request).
 */
export async function insertRequestLog(db: Db, rows: readonly RequestLogTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const batch = rows.slice(i, i + ROWS_PER_INSERT);
    const params: unknown[] = new Array(batch.length * COLUMNS.length);
    let p = 0;
    for (const row of batch) for (const column of COLUMNS) params[p++] = row[column];
    await db.kysely.executeQuery(CompiledQuery.raw(insertSql(db.dialect, batch.length), params));
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

/**
 * Deletes rows older than `before`, `batch` rows per statement with a turn of the event loop between
 * (an hour of a busy plant's requests is hundreds of thousands of rows: deleted at once on SQLite, a
 * stall of seconds for every request); returns how many.
 */
export async function pruneRequestLog(db: Db, before: string, batch = 5000): Promise<number> {
  return deleteInBatches(async () => {
    const res = await db.kysely
      .deleteFrom('request_log')
      .where('id', 'in', (eb) =>
        eb.selectFrom('request_log').select('id').where('at', '<', before).orderBy('at').limit(batch),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }, batch);
}
