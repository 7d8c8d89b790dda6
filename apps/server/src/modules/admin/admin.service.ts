import type { Job, JobListQuery, PageOf } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import { decodeCursor, pageOf } from '../../platform/http/pagination.ts';
import { toJob } from '../../platform/jobs/queue.ts';

/** Newest first by id (UUIDv7 is time-ordered), keyset pages. */
export async function listJobs(db: Db, query: JobListQuery): Promise<PageOf<Job>> {
  const limit = query.limit ?? 50;
  const sort = { key: '-id' };
  const cursor = decodeCursor(query.cursor, sort.key);
  let q = db.kysely
    .selectFrom('jobs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.name) q = q.where('name', '=', query.name);
  if (cursor) q = q.where('id', '<', cursor.id);
  const { rows, nextCursor } = pageOf(await q.execute(), limit, sort, (r) => r.id);
  return { items: rows.map(toJob), nextCursor };
}
