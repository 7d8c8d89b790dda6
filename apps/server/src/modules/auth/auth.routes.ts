import {
  AuthSession,
  PasswordChangeBody,
  PasswordLoginBody,
  Problem,
  TerminalLoginBody,
  TotpCodeBody,
  TotpDisableBody,
  TotpSetup,
} from '@takt/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { login, terminalLogin } from '../../platform/auth/login.ts';
import { logout, lookupSession, type SessionKind, sessionLifetimeMs } from '../../platform/auth/sessions.ts';
import { AppError } from '../../platform/errors.ts';
import { sessionCookieName } from '../../platform/http/auth-hook.ts';
import * as service from './auth.service.ts';

const NoContent = Type.Null({ description: 'done' });

export async function authRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  const cookieName = sessionCookieName(config.secureCookies);
  const tags = ['auth'];
  const setCookie = (reply: FastifyReply, token: string, kind: SessionKind) =>
    reply.setCookie(cookieName, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: Math.floor(sessionLifetimeMs(kind) / 1000),
    });
  const self = { permission: 'authenticated', allowPending: true } as const;

  app.post(
    '/login',
    {
      config: { public: true, rateLimit: { max: deps.config.loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Sign in with login and password (and `totp` once a second factor is set up)',
        body: PasswordLoginBody,
        response: { 200: AuthSession, 401: Problem },
      },
    },
    async (request, reply) => {
      const { login: name, password, totp } = request.body as PasswordLoginBody;
      const signed = await login(db, request.ctx, name, password, totp);
      setCookie(reply, signed.token, signed.kind);
      return service.sessionView(db, signed.user, signed.kind, signed.csrfToken);
    },
  );

  app.post(
    '/terminal-login',
    {
      config: { public: true, rateLimit: { max: deps.config.loginRateLimit * 3, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Shop-floor sign-in with a badge and a PIN: a short terminal session for shop-floor work',
        body: TerminalLoginBody,
        response: { 200: AuthSession, 401: Problem },
      },
    },
    async (request, reply) => {
      const { badge, pin } = request.body as TerminalLoginBody;
      const signed = await terminalLogin(db, request.ctx, badge, pin);
      setCookie(reply, signed.token, signed.kind);
      return service.sessionView(db, signed.user, signed.kind, signed.csrfToken);
    },
  );

  app.get(
    '/session',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The signed-in user, the CSRF token, the session kind and any step still required',
        response: { 200: AuthSession, 401: Problem },
      },
    },
    async (request) => {
      const token = request.sessionToken;
      const session = token ? await lookupSession(db, token) : null;
      if (!session) throw new AppError('UNAUTHENTICATED', 'Not signed in');
      return service.sessionView(db, session.user, session.kind, session.csrfToken);
    },
  );

  app.post(
    '/logout',
    { config: { public: true }, schema: { tags, summary: 'End this session' } },
    async (request, reply) => {
      if (request.sessionToken) await logout(db, request.sessionToken);
      reply.clearCookie(cookieName, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.post(
    '/logout-all',
    {
      config: { ...self, session: 'any' },
      schema: { tags, summary: 'End every session of the signed-in user, this one included' },
    },
    async (request, reply) => {
      await service.logoutEverywhere(db, request.ctx);
      reply.clearCookie(cookieName, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.post(
    '/password',
    {
      config: { ...self, session: 'browser' },
      schema: {
        tags,
        summary: 'Change the own password (needs the current one); other sessions end',
        body: PasswordChangeBody,
        response: { 204: NoContent, 400: Problem },
      },
    },
    async (request, reply) => {
      await service.changePassword(
        db,
        request.ctx,
        request.auth!.sessionId!,
        request.body as PasswordChangeBody,
      );
      return reply.status(204).send();
    },
  );

  app.post(
    '/totp/setup',
    {
      config: { ...self, session: 'browser' },
      schema: {
        tags,
        summary: 'Start setting up a TOTP second factor: the secret and otpauth:// URI, shown once',
        response: { 200: TotpSetup, 409: Problem },
      },
    },
    async (request) => service.setupTotp(db, request.ctx),
  );

  app.post(
    '/totp/confirm',
    {
      config: { ...self, session: 'browser' },
      schema: {
        tags,
        summary: 'Confirm the set-up with a current code; sign-in needs a code from then on',
        body: TotpCodeBody,
        response: { 204: NoContent, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await service.confirmTotp(db, request.ctx, (request.body as TotpCodeBody).code);
      return reply.status(204).send();
    },
  );

  app.post(
    '/totp/disable',
    {
      config: { permission: 'authenticated', session: 'browser' },
      schema: {
        tags,
        summary: 'Turn the second factor off (needs the current password)',
        body: TotpDisableBody,
        response: { 204: NoContent, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await service.disableTotp(db, request.ctx, (request.body as TotpDisableBody).currentPassword);
      return reply.status(204).send();
    },
  );
}
