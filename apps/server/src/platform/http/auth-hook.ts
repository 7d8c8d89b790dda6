import type { FastifyInstance, FastifyRequest } from 'fastify';
import { lookupSession, actorOf } from '../auth/sessions.ts';
import { can } from '../auth/roles.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../context.ts';

export const SESSION_COOKIE_SECURE = '__Host-takt_session';
export const SESSION_COOKIE_PLAIN = 'takt_session';

const ANONYMOUS: Actor = { type: 'user', id: null, login: 'anonymous', roles: [], permissions: new Set() };
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionCookieName(secure: boolean): string {
  return secure ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN;
}

/**
 * Authenticates every /api/v1 request and enforces the route's declared permission (deny by default:
 * a route that declares neither a permission nor `public` is refused). Cookie-authenticated writes must
 * carry the session's CSRF token in `x-csrf-token`.
 */
export function registerAuthHook(app: FastifyInstance, db: Db, secureCookies: boolean): void {
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('sessionToken', null);
  const cookieName = sessionCookieName(secureCookies);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    request.ctx = {
      actor: ANONYMOUS,
      requestId: String(request.id),
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    };
    // Unknown routes fall through to the 404 handler.
    if (!request.url.startsWith('/api/v1/') || request.routeOptions.url === undefined) return;
    const config = request.routeOptions.config;
    const token = request.cookies?.[cookieName] ?? request.cookies?.[SESSION_COOKIE_PLAIN] ?? null;
    if (token) {
      const session = await lookupSession(db, token);
      if (session) {
        request.sessionToken = token;
        request.ctx = { ...request.ctx, actor: actorOf(session.user) };
        if (
          !SAFE.has(request.method) &&
          !config.public &&
          request.headers['x-csrf-token'] !== session.csrfToken
        ) {
          throw new AppError(
            'CSRF_FAILED',
            'Missing or wrong x-csrf-token header for a cookie-authenticated write',
          );
        }
      }
    }
    if (config.public) return;
    if (request.ctx.actor.id === null) {
      throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token');
    }
    if (!config.permission) {
      throw new AppError('PERMISSION_DENIED', 'This route declares no permission and is closed');
    }
    if (config.permission !== 'authenticated' && !can(request.ctx.actor.permissions, config.permission)) {
      throw new AppError('PERMISSION_DENIED', `Your roles do not grant ${config.permission}`, {
        extra: { permission: config.permission },
      });
    }
  });
}
