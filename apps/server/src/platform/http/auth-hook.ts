import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Pending, pendingStep, userActor } from '../auth/access.ts';
import { can, intersect, TERMINAL_PERMISSIONS } from '../auth/roles.ts';
import { lookupSession, type SessionKind } from '../auth/sessions.ts';
import { authenticateToken } from '../auth/tokens.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../context.ts';
import { RateLimiter } from './rate-limit.ts';

export const SESSION_COOKIE_SECURE = '__Host-takt_session';
export const SESSION_COOKIE_PLAIN = 'takt_session';
/** Requests per minute for a signed-in user (per process); tokens carry their own limit. */
export const USER_RATE_LIMIT = 1200;

const ANONYMOUS: Actor = { type: 'user', id: null, login: 'anonymous', roles: [], permissions: new Set() };
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthInfo {
  readonly kind: SessionKind | 'token';
  /** Hash of the session token (the sessions row id); null for API tokens. */
  readonly sessionId: string | null;
  /** A step the browser session must take before anything else. */
  readonly pending: Pending;
  /** Per-minute limit of a token; null for sessions, which share the configured user limit. */
  readonly rateLimit: number | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs a signed-in session, not an API token; `browser` also refuses terminal sessions. */
    session?: 'any' | 'browser';
    /** Reachable while a password change or TOTP enrolment is pending (the routes that complete it). */
    allowPending?: boolean;
  }
  interface FastifyRequest {
    auth: AuthInfo | null;
  }
}

export function sessionCookieName(secure: boolean): string {
  return secure ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN;
}

async function fromBearer(db: Db, request: FastifyRequest, header: string): Promise<void> {
  const { actor, rateLimit } = await authenticateToken(db, header.slice(7).trim());
  request.ctx = { ...request.ctx, actor };
  request.auth = { kind: 'token', sessionId: null, pending: null, rateLimit };
}

/** Terminal actors of the actors `userActor` keeps (same lifetime: that of a cached user row). */
const terminalActors = new WeakMap<Actor, Actor>();

function terminalActor(actor: Actor): Actor {
  let terminal = terminalActors.get(actor);
  if (!terminal) {
    terminal = { ...actor, permissions: intersect(actor.permissions, TERMINAL_PERMISSIONS) };
    terminalActors.set(actor, terminal);
  }
  return terminal;
}

async function fromCookie(db: Db, request: FastifyRequest, token: string, isPublic: boolean): Promise<void> {
  const session = await lookupSession(db, token);
  if (!session) return;
  let actor = await userActor(db.kysely, session.user);
  if (session.kind === 'terminal') actor = terminalActor(actor);
  const pending =
    session.kind === 'browser' ? await pendingStep(db.kysely, session.user, actor.permissions) : null;
  request.sessionToken = token;
  request.ctx = { ...request.ctx, actor };
  request.auth = { kind: session.kind, sessionId: session.sessionId, pending, rateLimit: null };
  if (!SAFE.has(request.method) && !isPublic && request.headers['x-csrf-token'] !== session.csrfToken) {
    throw new AppError(
      'CSRF_FAILED',
      'Missing or wrong x-csrf-token header for a cookie-authenticated write',
    );
  }
}

/**
 * Refuses (403 naming the permission) an actor whose roles do not grant `permission`: the check every
 * route's declared permission gets, for a route that needs another one for some of what it does.
 */
export function requirePermission(actor: Pick<Actor, 'permissions'>, permission: string): void {
  if (!can(actor.permissions, permission)) {
    throw new AppError('PERMISSION_DENIED', `Your roles do not grant ${permission}`, {
      extra: { permission },
    });
  }
}

/**
 * Authenticates every /api/v1 request — a bearer API token (no CSRF: browsers never attach it on their
 * own) or the session cookie (writes must carry the session's CSRF token in `x-csrf-token`) — and
 * enforces the route's declared permission. Deny by default: a route that declares neither a permission
 * nor `public` is refused. Terminal sessions hold at most TERMINAL_PERMISSIONS; a token holds its scopes
 * within its creator's rights. Each user or token is rate limited on its own.
 */
export function registerAuthHook(
  app: FastifyInstance,
  db: Db,
  secureCookies: boolean,
  userRateLimit: number = USER_RATE_LIMIT,
): void {
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('auth', null);
  const cookieName = sessionCookieName(secureCookies);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    request.ctx = {
      actor: ANONYMOUS,
      requestId: String(request.id),
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    };
    // Unknown routes fall through to the 404 handler.
    if (!request.url.startsWith('/api/v1/')) return;
    const route = request.routeOptions;
    if (route.url === undefined) return;
    const config = route.config;
    const isPublic = config.public === true;
    const bearer = request.headers.authorization;
    if (!isPublic && typeof bearer === 'string' && /^bearer\s/i.test(bearer)) {
      await fromBearer(db, request, bearer);
    } else {
      const token = request.cookies?.[cookieName] ?? request.cookies?.[SESSION_COOKIE_PLAIN] ?? null;
      if (token) await fromCookie(db, request, token, isPublic);
    }
    if (isPublic) return;
    const auth = request.auth;
    if (request.ctx.actor.id === null || !auth) {
      throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token');
    }
    if (
      config.session &&
      (auth.kind === 'token' || (config.session === 'browser' && auth.kind !== 'browser'))
    ) {
      throw new AppError('PERMISSION_DENIED', 'This needs a signed-in browser session');
    }
    if (auth.pending && !config.allowPending) {
      throw auth.pending === 'password_change'
        ? new AppError('PASSWORD_CHANGE_REQUIRED', 'Change your password before continuing')
        : new AppError('TOTP_ENROLMENT_REQUIRED', 'Set up a second factor (TOTP) before continuing');
    }
    if (!config.permission) {
      throw new AppError('PERMISSION_DENIED', 'This route declares no permission and is closed');
    }
    if (config.permission !== 'authenticated') requirePermission(request.ctx.actor, config.permission);
  });

  const users = new RateLimiter(60_000);
  const tokens = new RateLimiter(60_000);
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const actor = request.ctx.actor;
    if (actor.id === null) return done();
    const limiter = actor.type === 'token' ? tokens : users;
    const refused = limiter.hit(actor.id, request.auth?.rateLimit ?? userRateLimit, reply);
    if (refused) return done(refused);
    done();
  });
}
