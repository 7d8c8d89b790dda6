import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { nowIso } from '../ids.ts';

const KEY = /^[\w.:-]{8,200}$/;
/** A request still running after this long is taken as abandoned (its process died). */
const IN_FLIGHT_MS = 60_000;
export const KEEP_KEYS_MS = 24 * 3600_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

function fingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('base64url');
}

/**
 * `Idempotency-Key` on POST and PATCH: the same key with the same request returns the stored first
 * response; with another request it is refused (422); while the first is still running, 409. Keys are
 * scoped to the caller and kept at least 24 hours. Server errors (5xx) are not stored, so the client
 * can retry them.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' && request.method !== 'PATCH') return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Idempotency-Key must be 8–200 characters of letters, digits, . : _ -',
        {
          fieldErrors: [{ field: '/headers/idempotency-key', message: 'is not a valid key' }],
        },
      );
    }
    const scope = request.ctx.actor.id ?? `anonymous:${request.ip}`;
    const fp = fingerprint(request);
    const now = nowIso();
    const claimed = await db.kysely
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        fingerprint: fp,
        state: 'in_flight',
        locked_until: new Date(Date.now() + IN_FLIGHT_MS).toISOString(),
        response_status: null,
        response_type: null,
        response_location: null,
        response_body: null,
        created_at: now,
      })
      .onConflict((oc) =>
        // An abandoned in-flight claim (its process died) is taken over by the retry.
        oc
          .columns(['scope', 'key'])
          .doUpdateSet({ locked_until: new Date(Date.now() + IN_FLIGHT_MS).toISOString() })
          .where('idempotency_keys.state', '=', 'in_flight')
          .where('idempotency_keys.locked_until', '<', now)
          .where('idempotency_keys.fingerprint', '=', fp),
      )
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) > 0) {
      request.idempotency = { scope, key };
      return;
    }
    const existing = await db.kysely
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!existing)
      throw new AppError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is being processed');
    if (existing.fingerprint !== fp) {
      throw new AppError(
        'IDEMPOTENCY_KEY_MISMATCH',
        'This Idempotency-Key was used for a different request',
        {
          fieldErrors: [{ field: '/headers/idempotency-key', message: 'was used with another body or path' }],
        },
      );
    }
    if (existing.state === 'in_flight') {
      throw new AppError(
        'IDEMPOTENCY_IN_FLIGHT',
        'A request with this Idempotency-Key is still being processed; retry shortly',
      );
    }
    reply.header('idempotent-replayed', 'true');
    if (existing.response_location) reply.header('location', existing.response_location);
    if (existing.response_type) reply.type(existing.response_type);
    return reply.status(existing.response_status ?? 200).send(existing.response_body ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    if (
      reply.statusCode >= 500 ||
      (typeof payload !== 'string' && !Buffer.isBuffer(payload) && payload !== null)
    ) {
      await db.kysely
        .deleteFrom('idempotency_keys')
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .execute();
      return payload;
    }
    await db.kysely
      .updateTable('idempotency_keys')
      .set({
        state: 'done',
        response_status: reply.statusCode,
        response_type: String(reply.getHeader('content-type') ?? 'application/json'),
        response_location: (reply.getHeader('location') as string | undefined) ?? null,
        response_body: payload === null ? '' : payload.toString(),
      })
      .where('scope', '=', claim.scope)
      .where('key', '=', claim.key)
      .execute();
    return payload;
  });
}
