import { randomBytes } from 'node:crypto';
import type {
  WebhookReplayRange,
  WebhookSubscription,
  WebhookSubscriptionCreate,
  WebhookSubscriptionUpdate,
  WebhookSubscriptionWithSecret,
} from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { WebhookSubscriptionsTable } from '../../platform/db/schema-hub.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { toDomainEvent } from '../../platform/events/outbox.ts';
import { eventMatches, scheduleDelivery } from './webhook.delivery.ts';

/** After a rotation the old secret still signs (next to the new one) for this long. */
export const PREVIOUS_SECRET_MS = 24 * 3600_000;
const MAX_REPLAY = 1000;

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function toSubscription(row: WebhookSubscriptionsTable): WebhookSubscription {
  const prevValid =
    row.previous_secret_until && row.previous_secret_until > nowIso() ? row.previous_secret_until : null;
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    eventTypes: JSON.parse(row.event_types) as string[],
    filter: row.filter ? (JSON.parse(row.filter) as WebhookSubscription['filter']) : null,
    active: row.active === 1,
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since,
    previousSecretValidUntil: prevValid,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function load(tx: Tx | Db['kysely'], id: string): Promise<WebhookSubscriptionsTable> {
  const row = await tx
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Webhook subscription', id);
  return row;
}

function checkUrl(url: string): string {
  try {
    return new URL(url).toString();
  } catch {
    throw invalidField('/url', 'is not a valid URL');
  }
}

export async function listSubscriptions(db: Db): Promise<{ items: WebhookSubscription[] }> {
  const rows = await db.kysely
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .orderBy('created_at')
    .execute();
  return { items: rows.map(toSubscription) };
}

export async function getSubscription(db: Db, id: string): Promise<WebhookSubscription> {
  return toSubscription(await load(db.kysely, id));
}

export async function createSubscription(
  db: Db,
  ctx: Ctx,
  input: WebhookSubscriptionCreate,
): Promise<WebhookSubscriptionWithSecret> {
  const now = nowIso();
  const row: WebhookSubscriptionsTable = {
    id: newId(),
    name: input.name.trim(),
    url: checkUrl(input.url),
    event_types: JSON.stringify([...new Set(input.eventTypes)]),
    filter: input.filter ? JSON.stringify(input.filter) : null,
    secret: newSecret(),
    previous_secret: null,
    previous_secret_until: null,
    active: input.active === false ? 0 : 1,
    disabled_reason: null,
    consecutive_failures: 0,
    failing_since: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await db.transaction(async (tx) => {
    await tx.insertInto('webhook_subscriptions').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'webhook_subscription',
      entityId: row.id,
      action: 'create',
      before: null,
      after: row,
    });
  });
  return { ...toSubscription(row), secret: row.secret };
}

async function guardedUpdate(
  tx: Tx,
  before: WebhookSubscriptionsTable,
  version: number,
  set: Partial<WebhookSubscriptionsTable>,
): Promise<WebhookSubscriptionsTable> {
  const after = await tx
    .updateTable('webhook_subscriptions')
    .set({ ...set, version: before.version + 1, updated_at: nowIso() })
    .where('id', '=', before.id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  if (!after) {
    throw new AppError('STALE_VERSION', 'The subscription was changed meanwhile; reload it', {
      extra: { currentVersion: before.version },
    });
  }
  return after;
}

export async function updateSubscription(
  db: Db,
  ctx: Ctx,
  id: string,
  input: WebhookSubscriptionUpdate,
): Promise<WebhookSubscription> {
  return db.transaction(async (tx) => {
    const before = await load(tx, id);
    const set: Partial<WebhookSubscriptionsTable> = {};
    if (input.name !== undefined) set.name = input.name.trim();
    if (input.url !== undefined) set.url = checkUrl(input.url);
    if (input.eventTypes !== undefined) set.event_types = JSON.stringify([...new Set(input.eventTypes)]);
    if (input.filter !== undefined) set.filter = input.filter ? JSON.stringify(input.filter) : null;
    if (input.active !== undefined) {
      set.active = input.active ? 1 : 0;
      if (input.active)
        Object.assign(set, { disabled_reason: null, consecutive_failures: 0, failing_since: null });
    }
    const after = await guardedUpdate(tx, before, input.version, set);
    await recordAudit(tx, ctx, {
      entityType: 'webhook_subscription',
      entityId: id,
      action: 'update',
      before,
      after,
    });
    return toSubscription(after);
  });
}

/** A new secret signs from now on; the previous one keeps signing beside it for 24 hours. */
export async function rotateSecret(db: Db, ctx: Ctx, id: string): Promise<WebhookSubscriptionWithSecret> {
  return db.transaction(async (tx) => {
    const before = await load(tx, id);
    const after = await guardedUpdate(tx, before, before.version, {
      secret: newSecret(),
      previous_secret: before.secret,
      previous_secret_until: new Date(Date.now() + PREVIOUS_SECRET_MS).toISOString(),
    });
    await recordAudit(tx, ctx, {
      entityType: 'webhook_subscription',
      entityId: id,
      action: 'rotate_secret',
      before,
      after,
    });
    return { ...toSubscription(after), secret: after.secret };
  });
}

export async function deleteSubscription(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await load(tx, id);
    const ids = tx.selectFrom('webhook_deliveries').select('id').where('subscription_id', '=', id);
    await tx.deleteFrom('webhook_attempts').where('delivery_id', 'in', ids).execute();
    await tx.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
    await tx.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
    await recordAudit(tx, ctx, {
      entityType: 'webhook_subscription',
      entityId: id,
      action: 'delete',
      before,
      after: null,
    });
  });
}

/** Sends the subscription's matching events with seq in [fromSeq, toSeq] again (at most 1,000). */
export async function replayRange(
  db: Db,
  ctx: Ctx,
  id: string,
  range: WebhookReplayRange,
): Promise<{ deliveries: number }> {
  if (range.toSeq < range.fromSeq) throw invalidField('/toSeq', 'must not be before fromSeq');
  if (range.toSeq - range.fromSeq >= MAX_REPLAY * 10)
    throw invalidField('/toSeq', `replay at most ${MAX_REPLAY * 10} sequence numbers at once`);
  return db.transaction(async (tx) => {
    const sub = await load(tx, id);
    const rows = await tx
      .selectFrom('outbox')
      .selectAll()
      .where('seq', '>=', range.fromSeq)
      .where('seq', '<=', range.toSeq)
      .orderBy('seq')
      .execute();
    let n = 0;
    for (const row of rows) {
      const event = toDomainEvent(row);
      if (!eventMatches(sub, event)) continue;
      if (++n > MAX_REPLAY) throw invalidField('/toSeq', `the range holds more than ${MAX_REPLAY} events`);
      await scheduleDelivery(tx, sub, event, { replay: true });
    }
    await recordAudit(tx, ctx, {
      entityType: 'webhook_subscription',
      entityId: id,
      action: 'replay',
      before: null,
      after: { ...range, deliveries: n },
    });
    return { deliveries: n };
  });
}
