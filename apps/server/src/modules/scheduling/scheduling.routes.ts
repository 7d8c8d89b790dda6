import {
  IdParams,
  PageQuery,
  Problem,
  ScheduleAssignmentList,
  ScheduleAssignmentQuery,
  ScheduleMoveCheck,
  ScheduleMoveResult,
  SchedulePin,
  SchedulePinCreate,
  SchedulePinList,
  SchedulePublish,
  SchedulePublishResult,
  ScheduleRun,
  ScheduleRunCreate,
  ScheduleRunDetail,
  ScheduleRunPage,
  ScheduleSettings,
  ScheduleSettingsUpdate,
  ScheduleUnpin,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as publishing from './scheduling.publish.ts';
import * as service from './scheduling.service.ts';

type Id = { id: string };

/**
 * Scheduling: reading needs scheduling:read, runs and publishing scheduling:execute, pins, move checks
 * and settings scheduling:update.
 */
export async function schedulingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['scheduling'];
  const read = { permission: 'scheduling:read' };
  const execute = { permission: 'scheduling:execute' };
  const update = { permission: 'scheduling:update' };

  app.post(
    '/runs',
    {
      config: execute,
      schema: {
        tags,
        summary: 'Start a scheduling run in the background (202)',
        body: ScheduleRunCreate,
        response: { 202: ScheduleRun, 400: Problem },
      },
    },
    async (request, reply) => {
      const run = await service.requestRun(db, request.ctx, (request.body ?? {}) as ScheduleRunCreate);
      return reply.status(202).header('location', `/api/v1/scheduling/runs/${run.id}`).send(run);
    },
  );

  app.get(
    '/runs',
    {
      config: read,
      schema: {
        tags,
        summary: 'Scheduling runs, newest first',
        querystring: PageQuery,
        response: { 200: ScheduleRunPage },
      },
    },
    async (request) => service.listRuns(db, request.query as { limit?: number; cursor?: string }),
  );

  app.get(
    '/runs/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One run: status, KPIs and a comparison with the published plan (what-if)',
        params: IdParams,
        response: { 200: ScheduleRunDetail, 404: Problem },
      },
    },
    async (request) => service.getRunDetail(db, (request.params as Id).id),
  );

  app.get(
    '/runs/:id/assignments',
    {
      config: read,
      schema: {
        tags,
        summary: 'Proposed assignments of a run (filter by machine and time window), for a Gantt chart',
        params: IdParams,
        querystring: ScheduleAssignmentQuery,
        response: { 200: ScheduleAssignmentList, 400: Problem, 404: Problem },
      },
    },
    async (request) =>
      service.assignments(db, (request.params as Id).id, request.query as ScheduleAssignmentQuery),
  );

  app.post(
    '/runs/:id/publish',
    {
      config: execute,
      schema: {
        tags,
        summary: 'Write the run’s machines and times to the operations and dispatch the next ones',
        params: IdParams,
        body: SchedulePublish,
        response: { 200: SchedulePublishResult, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      publishing.publishRun(
        db,
        request.ctx,
        (request.params as Id).id,
        (request.body ?? {}) as SchedulePublish,
      ),
  );

  app.post(
    '/check-move',
    {
      // A planning-board action (nothing is written), so a planner's permission, not a viewer's.
      config: update,
      schema: {
        tags,
        summary:
          'Check a manual move against a run’s plan: overlap, off-shift, precedence, resource, due date',
        body: ScheduleMoveCheck,
        response: { 200: ScheduleMoveResult, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.checkManualMove(db, request.body as ScheduleMoveCheck),
  );

  app.get(
    '/pins',
    {
      config: read,
      schema: { tags, summary: 'Operations pinned by planners', response: { 200: SchedulePinList } },
    },
    async () => publishing.listPins(db),
  );

  app.post(
    '/pin',
    {
      config: update,
      schema: {
        tags,
        summary: 'Pin an operation at a machine and start; runs keep it there',
        body: SchedulePinCreate,
        response: { 200: SchedulePin, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => publishing.pin(db, request.ctx, request.body as SchedulePinCreate),
  );

  app.post(
    '/unpin',
    {
      config: update,
      schema: {
        tags,
        summary: 'Remove the pin of an operation',
        body: ScheduleUnpin,
        response: { 204: {}, 404: Problem },
      },
    },
    async (request, reply) => {
      await publishing.unpin(db, request.ctx, (request.body as ScheduleUnpin).operationId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/settings',
    {
      config: read,
      schema: { tags, summary: 'Frozen horizon and dispatch window', response: { 200: ScheduleSettings } },
    },
    async () => publishing.getSettings(db),
  );

  app.patch(
    '/settings',
    {
      config: update,
      schema: {
        tags,
        summary:
          'Change the frozen horizon of repairs and the dispatch window of publishing (send the version)',
        body: ScheduleSettingsUpdate,
        response: { 200: ScheduleSettings, 400: Problem, 409: Problem },
      },
    },
    async (request) => publishing.updateSettings(db, request.ctx, request.body as ScheduleSettingsUpdate),
  );
}
