import { hash, randomBytes } from 'node:crypto';
import type { CurrentUser } from '@takt/contracts';
import type { Kysely } from 'kysely';
import { cacheOf } from '../cache/cache.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Database, SessionsTable, UsersTable } from '../db/schema.ts';
import type { Actor, Ctx } from '../context.ts';
import { permissionsOf } from './roles.ts';

export { createUser } from './users.ts';

export type SessionKind = SessionsTable['kind'];

export const IDLE_TIMEOUT_MS = 12 * 3600_000;
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 3600_000;
/** Shared terminals: a badge session ends after 15 idle minutes and at the latest after a shift. */
export const TERMINAL_IDLE_MS = 15 * 60_000;
export const TERMINAL_ABSOLUTE_MS = 12 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

const LIMITS: Record<SessionKind, { idle: number; absolute: number }> = {
  browser: { idle: IDLE_TIMEOUT_MS, absolute: ABSOLUTE_TIMEOUT_MS },
  terminal: { idle: TERMINAL_IDLE_MS, absolute: TERMINAL_ABSOLUTE_MS },
};

export function sessionLifetimeMs(kind: SessionKind): number {
  return LIMITS[kind].absolute;
}

export const sha256 = (s: string) => hash('sha256', s, 'base64url');

/** Built-in roles only; request handling resolves custom roles too (access.ts). */
export function actorOf(user: Pick<UsersTable, 'id' | 'login' | 'roles'>): Actor {
  const roles = JSON.parse(user.roles) as string[];
  return { type: 'user', id: user.id, login: user.login, roles, permissions: permissionsOf(roles) };
}

/** Sorted lists of permission sets shared between requests (built-in grants, cached actors). */
const sortedPermissions = new WeakMap<ReadonlySet<string>, readonly string[]>();

export function currentUser(
  user: Pick<UsersTable, 'id' | 'login' | 'display_name' | 'roles'>,
  permissions: ReadonlySet<string> = actorOf(user).permissions,
): CurrentUser {
  let sorted = sortedPermissions.get(permissions);
  if (!sorted) {
    sorted = [...permissions].sort();
    sortedPermissions.set(permissions, sorted);
  }
  return {
    id: user.id,
    login: user.login,
    displayName: user.display_name,
    roles: JSON.parse(user.roles) as string[],
    permissions: sorted.slice(),
  };
}

/** Stores a new session (only the token's hash) and returns the token and its CSRF token. */
export async function openSession(
  tx: Tx,
  ctx: Ctx,
  userId: string,
  kind: SessionKind,
  now = new Date(),
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const iso = now.toISOString();
  await tx
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      ip: ctx.ip,
      user_agent: ctx.userAgent?.slice(0, 300) ?? null,
      created_at: iso,
      last_seen_at: iso,
      expires_at: new Date(now.getTime() + LIMITS[kind].absolute).toISOString(),
      kind,
    })
    .execute();
  return { token, csrfToken };
}

export interface SessionInfo {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly kind: SessionKind;
  readonly user: UsersTable;
}

/**
 * How long a process serves a session (with its user) from memory. Sign-out, ending sessions and
 * changes to users drop the entries once they commit, here and (with Redis) in every process; without
 * Redis another process notices at most this late.
 */
export const SESSION_CACHE_MS = 3_000;

/** A session as a process keeps it: its user frozen, its times as epoch milliseconds. */
interface SessionEntry {
  readonly csrfToken: string;
  readonly kind: SessionKind;
  readonly lastSeen: number;
  readonly expires: number;
  readonly user: UsersTable;
}

async function loadSession(db: Db, id: string): Promise<SessionEntry | null> {
  const row = await db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.last_seen_at', 'sessions.expires_at', 'sessions.kind'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const { csrf_token, last_seen_at, expires_at, kind, ...user } = row;
  return {
    csrfToken: csrf_token,
    kind,
    lastSeen: Date.parse(last_seen_at),
    expires: Date.parse(expires_at),
    user: Object.freeze(user),
  };
}

/** Session ids (token hashes) of the tokens seen lately: a token is hashed once, not per request. */
const sessionIds = new Map<string, string>();
const SESSION_IDS_KEPT = 10_000;

function sessionIdOf(token: string): string {
  let id = sessionIds.get(token);
  if (id === undefined) {
    if (sessionIds.size >= SESSION_IDS_KEPT) sessionIds.clear();
    id = sha256(token);
    sessionIds.set(token, id);
  }
  return id;
}

/** Resolves a session token; expired (idle or absolute, per kind) sessions are removed. */
export async function lookupSession(db: Db, token: string): Promise<SessionInfo | null> {
  const id = sessionIdOf(token);
  const cache = cacheOf(db);
  const session = await cache.get(db, 'sessions', id, () => loadSession(db, id), {
    ttlMs: SESSION_CACHE_MS,
    keep: (found) => found !== null,
    frozen: true,
  });
  if (!session) {
    sessionIds.delete(token);
    return null;
  }
  const now = Date.now();
  const limits = LIMITS[session.kind] ?? LIMITS.browser;
  if (session.user.active !== 1 || session.expires < now || session.lastSeen + limits.idle < now) {
    await db.kysely.deleteFrom('sessions').where('id', '=', id).execute();
    cache.invalidate(db, 'sessions', id);
    sessionIds.delete(token);
    return null;
  }
  if (now - session.lastSeen > TOUCH_EVERY_MS) {
    await db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute();
    // The next request reads the new time instead of touching again.
    cache.forget('sessions', id);
  }
  return { sessionId: id, csrfToken: session.csrfToken, kind: session.kind, user: session.user };
}

export async function logout(db: Db, token: string): Promise<void> {
  const id = sha256(token);
  sessionIds.delete(token);
  await db.kysely.deleteFrom('sessions').where('id', '=', id).execute();
  cacheOf(db).invalidate(db, 'sessions', id);
}

/**
 * Drops every cached session once `q` commits: call it with every change to a user that a session
 * carries (active, roles, login, name, password or second-factor state).
 */
export function forgetSessions(q: Db | Kysely<Database> | Tx): void {
  cacheOf(q).invalidate(q, 'sessions');
}

/** Ends every session of a user, or every one but `keepSessionId`; returns how many ended. */
export async function endSessions(
  tx: Tx,
  userId: string,
  keepSessionId: string | null = null,
): Promise<number> {
  let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) q = q.where('id', '!=', keepSessionId);
  const result = await q.executeTakeFirst();
  forgetSessions(tx);
  return Number(result.numDeletedRows);
}
