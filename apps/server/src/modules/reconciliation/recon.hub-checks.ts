import { sql } from 'kysely';
import type { Check } from './recon.checks.ts';

const n = (v: unknown): number => Number(v ?? 0);

/** Per subscription: dead deliveries and deliveries pending for too long. */
export const webhookDeliveries: Check = async (db, options) => {
  const old = new Date(Date.now() - options.pendingTooLongMs).toISOString();
  const rows = await db.kysely
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select([
      's.id',
      's.name',
      sql<number>`sum(case when d.status = 'dead' then 1 else 0 end)`.as('dead'),
      sql<number>`sum(case when d.status = 'pending' and d.created_at < ${old} then 1 else 0 end)`.as('late'),
    ])
    .where((eb) =>
      eb.or([
        eb('d.status', '=', 'dead'),
        eb.and([eb('d.status', '=', 'pending'), eb('d.created_at', '<', old)]),
      ]),
    )
    .groupBy(['s.id', 's.name'])
    .execute();
  return rows.map((r) => ({
    check: 'webhook_deliveries',
    entityType: 'webhook_subscription',
    entityId: r.id,
    entityCode: r.name,
    expected: '0',
    actual: String(n(r.dead) + n(r.late)),
    details: { dead: n(r.dead), pendingTooLong: n(r.late), pendingSince: old },
  }));
};

/** The broker connection as the worker last recorded it. */
export const brokerStatus: Check = async (db) => {
  const row = await db.kysely
    .selectFrom('integration_state')
    .selectAll()
    .where('key', '=', 'broker')
    .executeTakeFirst();
  if (!row) return [];
  const s = JSON.parse(row.value) as { kind?: string; connected?: boolean; lastError?: string | null };
  if (s.connected !== false) return [];
  return [
    {
      check: 'broker_status',
      entityType: 'broker',
      entityId: 'broker',
      entityCode: s.kind ?? 'broker',
      expected: 'connected',
      actual: 'failing',
      details: { lastError: s.lastError ?? null, since: row.updated_at },
    },
  ];
};
