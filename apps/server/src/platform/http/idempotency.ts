import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CommitScope, commitScope } from '../db/commit-hooks.ts';
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
    idempotencyScope: CommitScope | null;
  }
}

/** A raw (streamed) body, as the file upload routes parse it. */
interface StreamBody {
  stream: Readable;
}

function isStreamBody(body: unknown): body is StreamBody {
  return (
    typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream instanceof Readable
  );
}

/**
 * Method, URL and body. A streamed upload is read whole here and handed on as a fresh stream, so
 * the fingerprint covers the file's bytes: the same key with another file is a different request.
 */
async function fingerprint(request: FastifyRequest): Promise<string> {
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n`);
  const body = request.body;
  if (isStreamBody(body)) {
    const chunks: Buffer[] = [];
    const limit = request.routeOptions.bodyLimit ?? 1024 * 1024;
    let size = 0;
    for await (const chunk of body.stream) {
      size += (chunk as Uint8Array).length;
      if (size > limit) throw new AppError('BODY_TOO_LARGE', 'The request body is larger than allowed');
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    const bytes = Buffer.concat(chunks);
    hash.update(`${request.headers['content-type'] ?? ''}\n`).update(bytes);
    body.stream = Readable.from([bytes]);
  } else {
    hash.update(JSON.stringify(body ?? null));
  }
  return hash.digest('base64url');
}

async function claimKey(db: Db, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const key = request.headers['idempotency-key'];
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
  const fp = await fingerprint(request);
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
      committed_at: null,
    })
    .onConflict((oc) =>
      // An abandoned in-flight claim (its process died) is taken over by the retry, unless the dead
      // request had already committed its write.
      oc
        .columns(['scope', 'key'])
        .doUpdateSet({ locked_until: new Date(Date.now() + IN_FLIGHT_MS).toISOString() })
        .where('idempotency_keys.state', '=', 'in_flight')
        .where('idempotency_keys.locked_until', '<', now)
        .where('idempotency_keys.committed_at', 'is', null)
        .where('idempotency_keys.fingerprint', '=', fp),
    )
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) > 0) {
    request.idempotency = { scope, key };
    return true;
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
    throw new AppError('IDEMPOTENCY_KEY_MISMATCH', 'This Idempotency-Key was used for a different request', {
      fieldErrors: [{ field: '/headers/idempotency-key', message: 'was used with another body or path' }],
    });
  }
  if (existing.state === 'in_flight') {
    if (existing.committed_at !== null && existing.locked_until < now) {
      throw new AppError(
        'IDEMPOTENCY_RESPONSE_LOST',
        'The first request with this Idempotency-Key was carried out, but its response was lost; ' +
          'read the resource instead of retrying',
        { extra: { committedAt: existing.committed_at } },
      );
    }
    throw new AppError(
      'IDEMPOTENCY_IN_FLIGHT',
      'A request with this Idempotency-Key is still being processed; retry shortly',
    );
  }
  reply.header('idempotent-replayed', 'true');
  if (existing.response_location) reply.header('location', existing.response_location);
  if (existing.response_type) reply.type(existing.response_type);
  reply.status(existing.response_status ?? 200).send(existing.response_body ?? '');
  return false;
}

/**
 * `Idempotency-Key` on POST and PATCH: the same key with the same request returns the stored first
 * response; with another request it is refused (422); while the first is still running, 409. Keys are
 * scoped to the caller and kept at least 24 hours.
 *
 * Atomicity: the request runs inside a commit hook, so every transaction it commits also stamps the
 * key's `committed_at` in that same transaction. The stored response is written after the reply is
 * built, outside it. If the process dies between the two, the key stays claimed with `committed_at`
 * set: a retry is never run again and gets 409 IDEMPOTENCY_RESPONSE_LOST (read the resource instead).
 * Without `committed_at` (nothing was written) the retry takes over once the claim has expired.
 * Server errors (5xx) are not stored, so the client can retry them — unless a write had committed.
 * Writes made outside `Db.transaction` are not covered.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotency', null);
  app.decorateRequest('idempotencyScope', null);

  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (
      (request.method !== 'POST' && request.method !== 'PATCH') ||
      request.headers['idempotency-key'] === undefined
    ) {
      done();
      return;
    }
    claimKey(db, request, reply).then(
      (run) => {
        if (!run) return;
        const claim = request.idempotency!;
        const commits = commitScope(async (tx) => {
          await tx
            .updateTable('idempotency_keys')
            .set({ committed_at: nowIso() })
            .where('scope', '=', claim.scope)
            .where('key', '=', claim.key)
            .execute();
        });
        request.idempotencyScope = commits;
        commits.run(() => done());
      },
      (err: Error) => done(err),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    request.idempotencyScope?.close();
    const storable = typeof payload === 'string' || Buffer.isBuffer(payload) || payload === null;
    if (reply.statusCode >= 500 || !storable) {
      const dropped = await db.kysely
        .deleteFrom('idempotency_keys')
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .where('committed_at', 'is', null)
        .executeTakeFirst();
      if (Number(dropped.numDeletedRows) > 0 || !storable) return payload;
    }
    await db.kysely
      .updateTable('idempotency_keys')
      .set({
        state: 'done',
        response_status: reply.statusCode,
        response_type: String(reply.getHeader('content-type') ?? 'application/json'),
        response_location: (reply.getHeader('location') as string | undefined) ?? null,
        response_body: payload === null ? '' : (payload as string | Buffer).toString(),
      })
      .where('scope', '=', claim.scope)
      .where('key', '=', claim.key)
      .execute();
    return payload;
  });
}
