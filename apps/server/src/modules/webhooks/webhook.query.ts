import type { PageOf, WebhookDelivery, WebhookDeliveryDetail, WebhookDeliveryQuery } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { WebhookDeliveriesTable } from '../../platform/db/schema-hub.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { replayDeliveryRow } from './webhook.delivery.ts';

export function toDelivery(r: WebhookDeliveriesTable): WebhookDelivery {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    eventId: r.event_id,
    eventSeq: Number(r.event_seq),
    eventType: r.event_type,
    status: r.status as WebhookDelivery['status'],
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Newest first. */
export async function listDeliveries(db: Db, q: WebhookDeliveryQuery): Promise<PageOf<WebhookDelivery>> {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, '-id');
  let query = db.kysely
    .selectFrom('webhook_deliveries')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (q.subscriptionId) query = query.where('subscription_id', '=', q.subscriptionId);
  if (q.status) query = query.where('status', '=', q.status);
  if (after) query = query.where('id', '<', after.id);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map(toDelivery),
    nextCursor:
      rows.length > limit ? encodeCursor({ s: '-id', v: null, id: page[page.length - 1]!.id }) : null,
  };
}

export async function getDelivery(db: Db, id: string): Promise<WebhookDeliveryDetail> {
  const row = await db.kysely
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Webhook delivery', id);
  const log = await db.kysely
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', id)
    .orderBy('at')
    .orderBy('attempt')
    .execute();
  return {
    ...toDelivery(row),
    payload: JSON.parse(row.payload) as unknown,
    log: log.map((a) => ({
      attempt: a.attempt,
      at: a.at,
      requestUrl: a.request_url,
      requestHeaders: JSON.parse(a.request_headers) as Record<string, string>,
      responseStatus: a.response_status,
      responseBody: a.response_body,
      error: a.error,
      durationMs: a.duration_ms,
    })),
  };
}

/** Sends a delivery again with the same `webhook-id`, whatever its state; not while it is still pending. */
export async function replayDelivery(db: Db, ctx: Ctx, id: string): Promise<WebhookDelivery> {
  return db.transaction(async (tx) => {
    const row = await tx.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Webhook delivery', id);
    if (row.status === 'pending')
      throw new AppError('INVALID_STATE', 'The delivery is still being attempted', {
        extra: { status: row.status },
      });
    const sub = await tx
      .selectFrom('webhook_subscriptions')
      .select('active')
      .where('id', '=', row.subscription_id)
      .executeTakeFirstOrThrow();
    if (sub.active !== 1) throw new AppError('INVALID_STATE', 'Re-enable the subscription before replaying');
    await replayDeliveryRow(tx, row);
    await recordAudit(tx, ctx, {
      entityType: 'webhook_delivery',
      entityId: id,
      action: 'replay',
      before: { status: row.status },
      after: { status: 'pending' },
    });
    return toDelivery({ ...row, status: 'pending', replays: row.replays + 1 });
  });
}
