import { LoginBody, Problem, SessionResponse } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { currentUser, login, logout, lookupSession } from '../../platform/auth/sessions.ts';
import { ABSOLUTE_TIMEOUT_MS } from '../../platform/auth/sessions.ts';
import { AppError } from '../../platform/errors.ts';
import { sessionCookieName } from '../../platform/http/auth-hook.ts';

export async function authRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  const cookieName = sessionCookieName(config.secureCookies);

  app.post(
    '/login',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with login and password; sets the session cookie',
        body: LoginBody,
        response: { 200: SessionResponse, 401: Problem },
      },
    },
    async (request, reply) => {
      const { login: name, password } = request.body as LoginBody;
      const result = await login(db, request.ctx, name, password);
      reply.setCookie(cookieName, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: Math.floor(ABSOLUTE_TIMEOUT_MS / 1000),
      });
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  app.get(
    '/session',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and CSRF token',
        response: { 200: SessionResponse, 401: Problem },
      },
    },
    async (request) => {
      const token = request.sessionToken;
      const session = token ? await lookupSession(db, token) : null;
      if (!session) throw new AppError('UNAUTHENTICATED', 'Not signed in');
      return { user: currentUser(session.user), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/logout',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'End this session' } },
    async (request, reply) => {
      if (request.sessionToken) await logout(db, request.sessionToken);
      reply.clearCookie(cookieName, { path: '/' });
      return reply.status(204).send();
    },
  );
}
