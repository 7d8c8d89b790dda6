import { IdParams, Problem, RequestLogDetail, RequestLogPage, RequestLogQuery } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { getRequest, searchRequests } from './request-log.service.ts';

const tags = ['integration'];

/** `/api/v1/integration/requests`: the API request log. */
export async function requestLogRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  app.get(
    '/',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary:
          'API requests, newest first: filter by caller, path, status, method, time range and duration',
        querystring: RequestLogQuery,
        response: { 200: RequestLogPage, 400: Problem },
      },
    },
    async (request) => searchRequests(db, request.query as RequestLogQuery),
  );
  app.get(
    '/:id',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary: 'One API request with its redacted bodies (bodies need admin:read)',
        params: IdParams,
        response: { 200: RequestLogDetail, 404: Problem },
      },
    },
    async (request) => getRequest(db, request.ctx, (request.params as { id: string }).id),
  );
}
