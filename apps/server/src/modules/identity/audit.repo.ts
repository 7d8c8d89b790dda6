import type { AuditExportQuery } from '@takt/contracts';
import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { CursorValue } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

/** Newest first by (at, id); `after` is the last row of the previous page. */
export async function searchAudit(
  db: Q,
  filters: AuditExportQuery,
  limit: number,
  after: CursorValue | null,
) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .leftJoin('api_tokens', 'api_tokens.id', 'audit_log.actor_id')
    .selectAll('audit_log')
    .select((eb) => eb.fn.coalesce('users.login', 'api_tokens.name').as('actor_name'))
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit);
  if (filters.actorId) q = q.where('audit_log.actor_id', '=', filters.actorId);
  if (filters.actorType) q = q.where('audit_log.actor_type', '=', filters.actorType);
  if (filters.entityType) q = q.where('audit_log.entity_type', '=', filters.entityType);
  if (filters.entityId) q = q.where('audit_log.entity_id', '=', filters.entityId);
  if (filters.action) q = q.where('audit_log.action', '=', filters.action);
  if (filters.from) q = q.where('audit_log.at', '>=', new Date(filters.from).toISOString());
  if (filters.to) q = q.where('audit_log.at', '<', new Date(filters.to).toISOString());
  if (after) {
    const at = String(after.v);
    q = q.where((eb) =>
      eb.or([
        eb('audit_log.at', '<', at),
        eb.and([eb('audit_log.at', '=', at), eb('audit_log.id', '<', after.id)]),
      ]),
    );
  }
  return q.execute();
}
