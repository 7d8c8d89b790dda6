import {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  ApiTokenListQuery,
  ApiTokenPage,
  AuditExportQuery,
  AuditQuery,
  AuditRecordPage,
  IdParams,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as audit from './audit.service.ts';
import * as tokens from './token.service.ts';

/** API tokens and the audit trail. */
export async function tokenRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['identity'];

  app.get(
    '/tokens',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'API tokens, newest first (never their secrets)',
        querystring: ApiTokenListQuery,
        response: { 200: ApiTokenPage },
      },
    },
    async (request) => tokens.listTokens(db, request.query as ApiTokenListQuery),
  );

  app.post(
    '/tokens',
    {
      config: { permission: 'admin:create', session: 'browser' },
      schema: {
        tags,
        summary:
          'Create an API token with a scope (within your own rights) and an expiry; the secret is shown once',
        body: ApiTokenCreate,
        response: { 201: ApiTokenCreated, 400: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const created = await tokens.createToken(db, request.ctx, request.body as ApiTokenCreate);
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/tokens/:id/revoke',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Revoke an API token: it answers 401 from now on',
        params: IdParams,
        response: { 200: ApiToken, 404: Problem, 409: Problem },
      },
    },
    async (request) => tokens.revokeToken(db, request.ctx, (request.params as { id: string }).id),
  );

  app.get(
    '/audit',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'Search the audit trail by actor, entity, action and time, newest first (cursor pages)',
        querystring: AuditQuery,
        response: { 200: AuditRecordPage, 400: Problem },
      },
    },
    async (request) => audit.searchAudit(db, request.query as AuditQuery),
  );

  app.get(
    '/audit/export',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'Export the matching audit entries as CSV (streamed, any size)',
        querystring: AuditExportQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`)
        .send(audit.exportAudit(db, request.query as AuditExportQuery));
    },
  );
}
