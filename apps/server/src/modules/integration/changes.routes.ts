import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { toDomainEvent } from '../../platform/events/outbox.ts';

/**
 * On PostgreSQL, sequence numbers are taken before commit, so a slow transaction can commit an event
 * with a lower number after a higher one is visible. The feed therefore shows only events older than
 * this settle time there; SQLite commits one writer at a time and needs none.
 */
export const SETTLE_MS = 5_000;

const ChangesQuery = Type.Object(
  {
    after: Type.Optional(
      Type.Integer({ minimum: 0, description: 'the last seq you processed; 0 or absent from the start' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
    types: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'comma-separated event types or prefixes (e.g. stock.,workorder.created)',
      }),
    ),
  },
  { additionalProperties: false },
);

const ChangePage = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      seq: Type.Integer(),
      type: Type.String(),
      aggregateType: Type.String(),
      aggregateId: Type.String(),
      occurredAt: Type.String(),
      data: Type.Unknown(),
    }),
  ),
  next: Type.Integer({ description: 'pass as `after` to continue' }),
  more: Type.Boolean(),
});

/** The change feed: every event in order, so a system can catch up after downtime without webhooks. */
export async function changeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  app.get(
    '/',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags: ['integration'],
        summary: 'Events after a sequence number, in order',
        querystring: ChangesQuery,
        response: { 200: ChangePage },
      },
    },
    async (request) => {
      const q = request.query as { after?: number; limit?: number; types?: string };
      const after = q.after ?? 0;
      const limit = q.limit ?? 200;
      let query = db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit + 1);
      if (db.dialect === 'postgres')
        query = query.where('occurred_at', '<=', new Date(Date.now() - SETTLE_MS).toISOString());
      const types = (q.types ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (types.length > 0) {
        query = query.where((eb) =>
          eb.or(types.map((t) => (t.endsWith('.') ? eb('type', 'like', `${t}%`) : eb('type', '=', t)))),
        );
      }
      const rows = await query.execute();
      const items = rows.slice(0, limit).map(toDomainEvent);
      return {
        items,
        next: items.length > 0 ? items[items.length - 1]!.seq : after,
        more: rows.length > limit,
      };
    },
  );
}
