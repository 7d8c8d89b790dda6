import { randomBytes } from 'node:crypto';
import type { Actor } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { permissionsFor } from './access.ts';
import { intersect } from './roles.ts';
import { sha256 } from './sessions.ts';

/**
 * API tokens: `takt_` + 256 random bits. Only the SHA-256 is stored (a slow hash adds nothing at this
 * entropy); the first characters are kept to tell tokens apart in lists.
 */
export const TOKEN_PREFIX = 'takt_';
const SHOWN = TOKEN_PREFIX.length + 6;
const TOUCH_EVERY_MS = 60_000;

export function generateToken(): { token: string; prefix: string; hash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, SHOWN), hash: sha256(token) };
}

export interface TokenAuth {
  readonly actor: Actor;
  readonly rateLimit: number;
}

/**
 * Resolves a bearer token. A token acts with its scopes, cut down to what its creator may do now: a
 * creator who loses a right or is deactivated takes it away from their tokens too.
 */
export async function authenticateToken(db: Db, token: string): Promise<TokenAuth> {
  const row = await db.kysely
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.created_by')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.scopes',
      'api_tokens.rate_limit',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.roles',
      'users.active',
    ])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (row?.active !== 1) throw new AppError('UNAUTHENTICATED', 'The API token is not valid');
  if (row.revoked_at) throw new AppError('TOKEN_REVOKED', 'The API token was revoked');
  const now = Date.now();
  if (Date.parse(row.expires_at) <= now) throw new AppError('TOKEN_EXPIRED', 'The API token has expired');
  if (!row.last_used_at || now - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await db.kysely
      .updateTable('api_tokens')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  const creator = await permissionsFor(db.kysely, JSON.parse(row.roles) as string[]);
  const scopes = new Set(JSON.parse(row.scopes) as string[]);
  return {
    actor: {
      type: 'token',
      id: row.id,
      login: `token:${row.name}`,
      roles: [],
      permissions: intersect(scopes, creator),
    },
    rateLimit: row.rate_limit,
  };
}
