import type { DomainEvent } from '@takt/contracts';
import { Webhook } from 'standardwebhooks';
import { raiseAlert } from '../../platform/alerts.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { WebhookDeliveriesTable, WebhookSubscriptionsTable } from '../../platform/db/schema-hub.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import type { JobHandler } from '../../platform/jobs/worker.ts';

/** Seconds before each retry: about three days in all, then the delivery is dead. */
export const RETRY_SCHEDULE_S = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_S.length + 1;
const RESPONSE_BODY_MAX = 2048;

export interface WebhookOptions {
  /** Milliseconds per second of the retry schedule (1000 in production; tests shrink it). */
  readonly retryUnitMs: number;
  readonly timeoutMs: number;
  /** Disable an endpoint after this many failed attempts in a row … */
  readonly disableAfterFailures: number;
  /** … or when it has failed without a success for this long. */
  readonly disableAfterMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  retryUnitMs: 1000,
  timeoutMs: 10_000,
  disableAfterFailures: 200,
  disableAfterMs: 3 * 24 * 3600_000,
};

export function patternMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

function pathValue(event: DomainEvent, path: string): unknown {
  let v: unknown = event;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

export function eventMatches(
  sub: Pick<WebhookSubscriptionsTable, 'event_types' | 'filter'>,
  event: DomainEvent,
): boolean {
  const types = JSON.parse(sub.event_types) as string[];
  if (!types.some((p) => patternMatches(p, event.type))) return false;
  if (!sub.filter) return true;
  const filter = JSON.parse(sub.filter) as Record<string, unknown>;
  return Object.entries(filter).every(([path, want]) => pathValue(event, path) === want);
}

/** The body sent: the Standard Webhooks envelope `{ type, timestamp, data }` plus the event's identity. */
export function webhookBody(event: DomainEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt,
    data: event.data,
    event: {
      id: event.id,
      seq: event.seq,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
    },
  });
}

/**
 * One delivery per subscription × event, with a job whose unique key makes a second dispatch of the
 * same event a no-op. A replay reuses the delivery (same `webhook-id`) under a new job key.
 */
export async function scheduleDelivery(
  tx: Tx,
  sub: WebhookSubscriptionsTable,
  event: DomainEvent,
  options: { replay?: boolean } = {},
): Promise<void> {
  const now = nowIso();
  const id = newId();
  const res = await tx
    .insertInto('webhook_deliveries')
    .values({
      id,
      subscription_id: sub.id,
      event_id: event.id,
      event_seq: event.seq,
      event_type: event.type,
      payload: webhookBody(event),
      status: 'pending',
      attempts: 0,
      replays: 0,
      last_status: null,
      last_error: null,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) {
    await enqueue(tx, {
      name: 'webhook.deliver',
      queue: 'webhooks',
      payload: { deliveryId: id },
      uniqueKey: `wh:${sub.id}:${event.id}`,
      maxAttempts: MAX_ATTEMPTS,
    });
    return;
  }
  if (!options.replay) return;
  const existing = await tx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('subscription_id', '=', sub.id)
    .where('event_id', '=', event.id)
    .executeTakeFirstOrThrow();
  await replayDeliveryRow(tx, existing);
}

export async function replayDeliveryRow(tx: Tx, row: WebhookDeliveriesTable): Promise<void> {
  const replays = row.replays + 1;
  const now = nowIso();
  await tx
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', replays, next_attempt_at: now, updated_at: now })
    .where('id', '=', row.id)
    .execute();
  await enqueue(tx, {
    name: 'webhook.deliver',
    queue: 'webhooks',
    payload: { deliveryId: row.id },
    uniqueKey: `wh:${row.subscription_id}:${row.event_id}:replay-${replays}`,
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** The dispatcher subscriber: turns each committed event into deliveries for matching subscriptions. */
export function webhookSubscriber(db: Db) {
  return async (event: DomainEvent): Promise<void> => {
    const subs = await db.kysely
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('active', '=', 1)
      .execute();
    const matching = subs.filter((s) => eventMatches(s, event));
    if (matching.length === 0) return;
    await db.transaction(async (tx) => {
      for (const sub of matching) await scheduleDelivery(tx, sub, event);
    });
  };
}

/** `webhook-signature`: one `v1,…` per valid secret, so a receiver holding either secret verifies. */
export function signatures(sub: WebhookSubscriptionsTable, msgId: string, at: Date, body: string): string {
  const secrets = [sub.secret];
  if (sub.previous_secret && sub.previous_secret_until && sub.previous_secret_until > at.toISOString())
    secrets.push(sub.previous_secret);
  return secrets.map((s) => new Webhook(s).sign(msgId, at, body)).join(' ');
}

async function readBounded(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_BODY_MAX) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_MAX);
}

function retryDelay(attempt: number, unitMs: number): number {
  const s = RETRY_SCHEDULE_S[Math.min(attempt - 1, RETRY_SCHEDULE_S.length - 1)]!;
  return Math.round(s * unitMs * (0.8 + Math.random() * 0.4));
}

export function webhookDeliveryJob(db: Db, options: WebhookOptions): JobHandler {
  return async (payload, { job, signal }) => {
    const { deliveryId } = payload as { deliveryId: string };
    const delivery = await db.kysely
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!delivery) return { status: 'skipped', reason: 'no such delivery' };
    if (delivery.status !== 'pending') return { status: 'skipped', reason: 'not pending' };
    const sub = await db.kysely
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('id', '=', delivery.subscription_id)
      .executeTakeFirstOrThrow();
    if (sub.active !== 1) {
      await db.kysely
        .updateTable('webhook_deliveries')
        .set({
          status: 'dead',
          last_error: 'subscription inactive',
          next_attempt_at: null,
          updated_at: nowIso(),
        })
        .where('id', '=', deliveryId)
        .execute();
      return { status: 'skipped', reason: 'subscription inactive' };
    }
    const at = new Date();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Takt-Webhooks/1',
      'webhook-id': delivery.event_id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatures(sub, delivery.event_id, at, delivery.payload),
    };
    const started = performance.now();
    let status: number | null = null;
    let body: string | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(sub.url, {
        method: 'POST',
        headers,
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      status = res.status;
      body = await readBounded(res);
      if (!res.ok) error = `endpoint answered ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const durationMs = Math.round(performance.now() - started);
    const attempt = delivery.attempts + 1;
    const lastTry = job.attempts >= job.max_attempts;
    const outcome = await db.transaction(async (tx) => {
      const now = nowIso();
      await tx
        .insertInto('webhook_attempts')
        .values({
          id: newId(),
          delivery_id: deliveryId,
          attempt,
          at: at.toISOString(),
          request_url: sub.url,
          request_headers: JSON.stringify(headers),
          response_status: status,
          response_body: body,
          error,
          duration_ms: durationMs,
        })
        .execute();
      if (error === null) {
        await tx
          .updateTable('webhook_deliveries')
          .set({
            status: 'succeeded',
            attempts: attempt,
            last_status: status,
            last_error: null,
            next_attempt_at: null,
            updated_at: now,
          })
          .where('id', '=', deliveryId)
          .execute();
        await tx
          .updateTable('webhook_subscriptions')
          .set({ consecutive_failures: 0, failing_since: null })
          .where('id', '=', sub.id)
          .execute();
        return 'done' as const;
      }
      const current = await tx
        .selectFrom('webhook_subscriptions')
        .select(['consecutive_failures', 'failing_since', 'active'])
        .where('id', '=', sub.id)
        .executeTakeFirstOrThrow();
      const failures = current.consecutive_failures + 1;
      const since = current.failing_since ?? at.toISOString();
      const disable =
        current.active === 1 &&
        (failures >= options.disableAfterFailures ||
          Date.now() - Date.parse(since) >= options.disableAfterMs);
      await tx
        .updateTable('webhook_subscriptions')
        .set({
          consecutive_failures: failures,
          failing_since: since,
          ...(disable
            ? { active: 0, disabled_reason: `disabled after ${failures} failed attempts since ${since}` }
            : {}),
        })
        .where('id', '=', sub.id)
        .execute();
      if (disable) {
        await raiseAlert(tx, systemCtx(), {
          severity: 'critical',
          kind: 'webhook_disabled',
          title: `Webhook ${sub.name} disabled after ${failures} failed deliveries`,
          detail: `${sub.url}: ${error}`,
          entityType: 'webhook_subscription',
          entityId: sub.id,
          dedupeKey: `webhook_disabled:${sub.id}:${since}`,
        });
      }
      const dead = disable || lastTry;
      const delay = retryDelay(attempt, options.retryUnitMs);
      await tx
        .updateTable('webhook_deliveries')
        .set({
          status: dead ? 'dead' : 'pending',
          attempts: attempt,
          last_status: status,
          last_error: error,
          next_attempt_at: dead ? null : new Date(Date.now() + delay).toISOString(),
          updated_at: now,
        })
        .where('id', '=', deliveryId)
        .execute();
      return dead ? ('dead' as const) : delay;
    });
    if (outcome === 'done') return { status: 'done' };
    if (outcome === 'dead') return { status: 'failed', error: error ?? 'failed' };
    return { status: 'retry', error: error ?? 'failed', delayMs: outcome };
  };
}
