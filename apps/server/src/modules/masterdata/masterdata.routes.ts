import { CodeEntityParams, CodeRule, CodeRuleUpdate, ComplianceReport, Problem } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { listRules, loadRule, putRule } from './code-rule.service.ts';
import { complianceReportOffThread } from './compliance.service.ts';
import { customFieldRoutes } from './custom-fields.routes.ts';

/** Code rules per entity and the compliance report over existing master data. */
export async function masterdataRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];
  const entity = (params: unknown) => (params as CodeEntityParams).entity;
  await customFieldRoutes(app, deps);

  app.get(
    '/code-rules',
    {
      config: { permission: 'masterdata:read' },
      schema: { tags, summary: 'The code rule of every entity', response: { 200: Type.Array(CodeRule) } },
    },
    async () => listRules(db),
  );

  app.get(
    '/code-rules/:entity',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'The code rule of one entity',
        params: CodeEntityParams,
        response: { 200: CodeRule },
      },
    },
    async (request) => (await loadRule(db.kysely, entity(request.params))).dto,
  );

  app.put(
    '/code-rules/:entity',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Set the code rule of an entity; send the version you read (0 for the built-in default)',
        params: CodeEntityParams,
        body: CodeRuleUpdate,
        response: { 200: CodeRule, 400: Problem, 409: Problem },
      },
    },
    async (request) => putRule(db, request.ctx, entity(request.params), request.body as CodeRuleUpdate),
  );

  app.get(
    '/compliance',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'Codes that break the current rules and suspected duplicates',
        response: { 200: ComplianceReport },
      },
    },
    async () => complianceReportOffThread(db),
  );
}
