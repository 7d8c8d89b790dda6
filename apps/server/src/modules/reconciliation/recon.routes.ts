import {
  FindingUpdate,
  IdParams,
  Problem,
  ReconciliationRun,
  ReconFinding,
  ReconFindingCsvQuery,
  ReconFindingPage,
  ReconFindingQuery,
  ReconRunPage,
  ReconRunQuery,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { requestRebuild } from '../reports/reports.aggregates.ts';
import * as query from './recon.query.ts';
import { requestRun } from './recon.service.ts';

const tags = ['integration'];
const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

/** `/api/v1/integration/reconciliation`: runs of the cross-module checks and their findings. */
export async function reconciliationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  app.get(
    '/runs',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary: 'Reconciliation runs, newest first',
        querystring: ReconRunQuery,
        response: { 200: ReconRunPage },
      },
    },
    async (request) => query.listRuns(db, request.query as ReconRunQuery),
  );
  app.post(
    '/runs',
    {
      config: { permission: 'integration:execute' },
      schema: {
        tags,
        summary: 'Run the reconciliation checks now (as a background job); poll the run for its result',
        response: { 202: ReconciliationRun },
      },
    },
    async (_request, reply) => {
      const run = await requestRun(db);
      return reply
        .status(202)
        .header('location', `/api/v1/integration/reconciliation/runs/${run.id}`)
        .send(run);
    },
  );
  app.get(
    '/runs/:id',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary: 'One run: status and findings per check',
        params: IdParams,
        response: { 200: ReconciliationRun, 404: Problem },
      },
    },
    async (request) => query.getRun(db, idOf(request)),
  );
  app.get(
    '/findings',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary: 'Findings, newest first, by state, check and run',
        querystring: ReconFindingQuery,
        response: { 200: ReconFindingPage },
      },
    },
    async (request) => query.listFindings(db, request.query as ReconFindingQuery),
  );
  app.get(
    '/findings.csv',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary: 'The matching findings as CSV (streamed, UTF-8 with BOM)',
        querystring: ReconFindingCsvQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="reconciliation-${stamp}.csv"`)
        .send(query.exportFindings(db, request.query as ReconFindingCsvQuery));
    },
  );
  app.post(
    '/repairs/report-read-model',
    {
      config: { permission: 'integration:execute' },
      schema: {
        tags,
        summary:
          'Repair for report_read_model findings: rebuild the reports read model from the history (in the background, within minutes)',
        response: { 204: Type.Null({ description: 'rebuild requested' }) },
      },
    },
    async (_request, reply) => {
      await requestRebuild(db);
      return reply.status(204).send();
    },
  );
  app.patch(
    '/findings/:id',
    {
      config: { permission: 'integration:update' },
      schema: {
        tags,
        summary: 'Mark a finding explained or fixed, with a note',
        params: IdParams,
        body: FindingUpdate,
        response: { 200: ReconFinding, 404: Problem, 409: Problem },
      },
    },
    async (request) => query.updateFinding(db, request.ctx, idOf(request), request.body as FindingUpdate),
  );
}
