import type { ApiToken, ApiTokenCreate, ApiTokenCreated, ApiTokenListQuery, PageOf } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import { isKnownPermission } from '../../platform/auth/roles.ts';
import { generateToken } from '../../platform/auth/tokens.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ApiTokensTable } from '../../platform/db/schema.ts';
import { AppError, type FieldError, invalidField, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { assertGrantable } from './role.service.ts';
import * as repo from './token.repo.ts';

/**
 * API tokens for integrations: created by a signed-in administrator with a scope no wider than their own
 * rights and an expiry; the secret is shown once and only its hash is kept; revoked, never deleted.
 */
const MAX_LIFETIME_MS = 2 * 366 * 24 * 3600_000;
export const DEFAULT_TOKEN_RATE_LIMIT = 600;

export function toToken(row: ApiTokensTable, now = nowIso()): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as string[],
    rateLimitPerMinute: row.rate_limit,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    status: row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
  };
}

export async function listTokens(db: Db, query: ApiTokenListQuery): Promise<PageOf<ApiToken>> {
  const now = nowIso();
  const { rows, nextCursor } = await repo.listTokens(db.kysely, query, now);
  return { items: rows.map((r) => toToken(r, now)), nextCursor };
}

export async function createToken(db: Db, ctx: Ctx, input: ApiTokenCreate): Promise<ApiTokenCreated> {
  if (ctx.actor.type !== 'user' || !ctx.actor.id) {
    throw new AppError(
      'PERMISSION_DENIED',
      'API tokens are created by a signed-in user, not by another token',
    );
  }
  const unknown: FieldError[] = [];
  input.scopes.forEach((s, i) => {
    if (s !== '*' && !isKnownPermission(s)) {
      unknown.push({ field: `/scopes/${i}`, message: `${s} is not a module:action`, code: 'unknown' });
    }
  });
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', 'Unknown scopes', { fieldErrors: unknown });
  assertGrantable(ctx.actor, input.scopes, '/scopes');
  const expires = Date.parse(input.expiresAt);
  const now = Date.now();
  if (!(expires > now)) throw invalidField('/expiresAt', 'must be in the future');
  if (expires - now > MAX_LIFETIME_MS) throw invalidField('/expiresAt', 'must be at most two years ahead');

  const { token, prefix, hash } = generateToken();
  const row: ApiTokensTable = {
    id: newId(),
    name: input.name.trim(),
    prefix,
    token_hash: hash,
    scopes: JSON.stringify([...new Set(input.scopes)].sort()),
    rate_limit: input.rateLimitPerMinute ?? DEFAULT_TOKEN_RATE_LIMIT,
    created_by: ctx.actor.id,
    created_at: new Date(now).toISOString(),
    expires_at: new Date(expires).toISOString(),
    last_used_at: null,
    revoked_at: null,
    revoked_by: null,
    version: 1,
  };
  await db.transaction(async (tx) => {
    await repo.insertToken(tx, row);
    await recordAudit(tx, ctx, {
      entityType: 'api_token',
      entityId: row.id,
      action: 'create',
      before: null,
      after: row,
    });
  });
  return { token: toToken(row), secret: token };
}

export async function revokeToken(db: Db, ctx: Ctx, id: string): Promise<ApiToken> {
  return db.transaction(async (tx) => {
    const before = await repo.findToken(tx, id);
    if (!before) throw notFound('API token', id);
    if (before.revoked_at) throw new AppError('INVALID_STATE', `API token ${before.name} is already revoked`);
    const after = await repo.revokeToken(tx, id, before.version, ctx.actor.id ?? ctx.actor.login, nowIso());
    if (!after) throw new AppError('STALE_VERSION', 'The token changed meanwhile; try again');
    await recordAudit(tx, ctx, { entityType: 'api_token', entityId: id, action: 'revoke', before, after });
    return toToken(after);
  });
}
