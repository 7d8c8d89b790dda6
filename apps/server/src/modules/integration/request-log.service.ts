import type { RequestLogDetail, RequestLogEntry, RequestLogPage, RequestLogQuery } from '@takt/contracts';
import { can } from '../../platform/auth/roles.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { RequestLogTable } from '../../platform/db/schema-request-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { getRequestLog, pruneRequestLog, searchRequestLog } from './request-log.repo.ts';

const SORT = '-id';
/** Seeing request and response bodies needs this on top of `integration:read`. */
export const BODIES_PERMISSION = 'admin:read';

function toEntry(r: RequestLogTable): RequestLogEntry {
  return {
    id: r.id,
    at: r.at,
    actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
    method: r.method,
    path: r.path,
    route: r.route,
    status: r.status,
    durationMs: r.duration_us / 1000,
    requestId: r.request_id,
    ip: r.ip,
    idempotencyKey: r.idempotency_key,
  };
}

export async function searchRequests(db: Db, q: RequestLogQuery): Promise<RequestLogPage> {
  if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) {
    throw new AppError('VALIDATION_FAILED', 'The time range is empty', {
      fieldErrors: [{ field: '/querystring/to', message: 'must be after from' }],
    });
  }
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, SORT);
  const rows = await searchRequestLog(db, q, after?.id ?? null, limit);
  const page = rows.slice(0, limit);
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > limit ? encodeCursor({ s: SORT, v: null, id: page[limit - 1]!.id }) : null,
  };
}

export async function getRequest(db: Db, ctx: Ctx, id: string): Promise<RequestLogDetail> {
  const row = await getRequestLog(db, id);
  if (!row) throw notFound('Request log entry', id);
  const visible = can(ctx.actor.permissions, BODIES_PERMISSION);
  return {
    ...toEntry(row),
    userAgent: row.user_agent,
    requestBody: visible ? row.request_body : null,
    responseBody: visible ? row.response_body : null,
    bodiesVisible: visible,
    truncated: row.truncated === 1,
  };
}

/** Deletes request log rows older than `days` days. */
export async function pruneRequests(db: Db, days: number, now = Date.now(), batch?: number): Promise<number> {
  return pruneRequestLog(db, new Date(now - days * 24 * 3600_000).toISOString(), batch);
}
