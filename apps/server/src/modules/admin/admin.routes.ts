import {
  DemoAccounts,
  DemoAccountsDeactivated,
  IdParams,
  Job,
  JobListQuery,
  JobPage,
  JobStats,
  Problem,
  RecurringSchedule,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { jobStats, retryDeadJob } from '../../platform/jobs/queue.ts';
import { listSchedules } from '../../platform/jobs/schedules.ts';
import { deactivateDemoAccounts, demoAccounts } from '../demo/demo-accounts.ts';
import { listJobs } from './admin.service.ts';

export async function adminRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['admin'];

  app.get(
    '/jobs',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'Jobs, newest first, filtered by status and name',
        querystring: JobListQuery,
        response: { 200: JobPage },
      },
    },
    async (request) => listJobs(db, request.query as JobListQuery),
  );

  app.get(
    '/jobs/stats',
    {
      config: { permission: 'admin:read' },
      schema: { tags, summary: 'Job counts by status', response: { 200: JobStats } },
    },
    async () => jobStats(db),
  );

  app.post(
    '/jobs/:id/retry',
    {
      config: { permission: 'admin:execute' },
      schema: {
        tags,
        summary: 'Put a dead job back in the queue',
        params: IdParams,
        response: { 200: Job, 404: Problem, 409: Problem },
      },
    },
    async (request) => retryDeadJob(db, (request.params as { id: string }).id),
  );

  app.get(
    '/schedules',
    {
      config: { permission: 'admin:read' },
      schema: { tags, summary: 'Recurring job schedules', response: { 200: Type.Array(RecurringSchedule) } },
    },
    async () => listSchedules(db),
  );
  app.get(
    '/demo-accounts',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'Active demo accounts that still sign in with the documented password or badge PIN',
        response: { 200: DemoAccounts },
      },
    },
    async () => demoAccounts(db),
  );

  app.post(
    '/demo-accounts/deactivate',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary:
          'Deactivate every demo account that still has the documented password (audited, sessions end, history stays); remove documented PINs from the others. Idempotent',
        response: { 200: DemoAccountsDeactivated, 403: Problem, 409: Problem },
      },
    },
    async (request) => deactivateDemoAccounts(db, request.ctx),
  );
}
