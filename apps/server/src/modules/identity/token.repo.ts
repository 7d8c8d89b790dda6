import type { ApiTokenListQuery } from '@takt/contracts';
import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ApiTokensTable, Database } from '../../platform/db/schema.ts';
import { decodeCursor, pageOf } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

export async function findToken(db: Q, id: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertToken(db: Q, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function revokeToken(
  db: Q,
  id: string,
  version: number,
  by: string,
  at: string,
): Promise<ApiTokensTable | undefined> {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: by, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** Newest first (UUIDv7 ids are time-ordered), keyset pages. */
export async function listTokens(db: Q, query: ApiTokenListQuery, now: string) {
  const limit = query.limit ?? 50;
  const sort = { key: '-id' };
  const cursor = decodeCursor(query.cursor, sort.key);
  let q = db
    .selectFrom('api_tokens')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (query.status === 'revoked') q = q.where('revoked_at', 'is not', null);
  if (query.status === 'active') q = q.where('revoked_at', 'is', null).where('expires_at', '>', now);
  if (query.status === 'expired') q = q.where('revoked_at', 'is', null).where('expires_at', '<=', now);
  if (cursor) q = q.where('id', '<', cursor.id);
  return pageOf(await q.execute(), limit, sort, (r) => r.id);
}
