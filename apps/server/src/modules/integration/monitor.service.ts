import type { IntegrationMonitor } from '@takt/contracts';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { BrokerStatus } from './hub.runtime.ts';

/** One view of integration health: webhook endpoints, broker, outbox backlog, notifications, API tokens. */
export async function integrationMonitor(db: Db, brokerUrl: string | null): Promise<IntegrationMonitor> {
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const k = db.kysely;
  const subs = await k.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').execute();
  const attempts = await k
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .select([
      'd.subscription_id',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when a.error is null then 1 else 0 end)`.as('ok'),
    ])
    .where('a.at', '>=', since)
    .groupBy('d.subscription_id')
    .execute();
  const states = await k
    .selectFrom('webhook_deliveries')
    .select(['subscription_id', 'status', sql<number>`count(*)`.as('n')])
    .where('status', 'in', ['pending', 'dead'])
    .groupBy(['subscription_id', 'status'])
    .execute();
  const subscriptions = [];
  for (const s of subs) {
    const a = attempts.find((r) => r.subscription_id === s.id);
    const count = (status: string) =>
      Number(states.find((r) => r.subscription_id === s.id && r.status === status)?.n ?? 0);
    const lastError = await k
      .selectFrom('webhook_attempts as a')
      .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
      .select(['a.error', 'a.at'])
      .where('d.subscription_id', '=', s.id)
      .where('a.error', 'is not', null)
      .orderBy('a.at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const n = Number(a?.n ?? 0);
    subscriptions.push({
      id: s.id,
      name: s.name,
      active: s.active === 1,
      successRate24h: n > 0 ? Number(a?.ok ?? 0) / n : null,
      attempts24h: n,
      backlog: count('pending'),
      dead: count('dead'),
      lastError: lastError?.error ?? null,
      lastErrorAt: lastError?.at ?? null,
    });
  }
  const state = await k
    .selectFrom('integration_state')
    .selectAll()
    .where('key', '=', 'broker')
    .executeTakeFirst();
  const b = state ? (JSON.parse(state.value) as BrokerStatus) : null;
  const outbox = await k
    .selectFrom('outbox')
    .select([sql<number>`count(*)`.as('n'), (eb) => eb.fn.min('occurred_at').as('oldest')])
    .where('dispatched_at', 'is', null)
    .executeTakeFirst();
  const notes = await k
    .selectFrom('notifications')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const tokens = await k.selectFrom('api_tokens').selectAll().orderBy('created_at').execute();
  return {
    subscriptions,
    broker: {
      configured: brokerUrl !== null,
      kind: b?.kind ?? (brokerUrl ? brokerUrl.split(':')[0]! : null),
      connected: b?.connected ?? null,
      lastError: b?.lastError ?? null,
      lastPublishedAt: b?.lastPublishedAt ?? null,
      updatedAt: state?.updated_at ?? null,
    },
    outbox: {
      backlog: Number(outbox?.n ?? 0),
      oldestAgeSeconds: outbox?.oldest
        ? Math.max(0, (Date.now() - Date.parse(String(outbox.oldest))) / 1000)
        : null,
    },
    notifications: {
      pending: Number(notes.find((r) => r.status === 'pending')?.n ?? 0),
      failed: Number(notes.find((r) => r.status === 'failed')?.n ?? 0),
    },
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      lastUsedAt: t.last_used_at,
      expiresAt: t.expires_at,
      revoked: t.revoked_at !== null,
    })),
  };
}
