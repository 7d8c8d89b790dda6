import {
  Deleted,
  AvailabilityQuery,
  Downtime,
  DowntimeCreate,
  IdParams,
  Machine,
  MachineAvailability,
  MachineCreate,
  MachineListQuery,
  MachinePage,
  MachineStatusChange,
  MachineUpdate,
  Problem,
  SubIdParams,
} from '@takt/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { can } from '../../platform/auth/roles.ts';
import { AppError } from '../../platform/errors.ts';
import * as downtimes from './machine.downtime.ts';
import * as service from './machine.service.ts';

const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

/** Shop-floor supervisors report breakdowns; master-data editors plan maintenance. Either may set status. */
const STATUS_PERMISSIONS = ['production:execute', 'masterdata:update'];

async function requireAnyStatusPermission(request: FastifyRequest): Promise<void> {
  const permissions = request.ctx.actor.permissions;
  if (!STATUS_PERMISSIONS.some((p) => can(permissions, p))) {
    throw new AppError('PERMISSION_DENIED', `Your roles grant none of ${STATUS_PERMISSIONS.join(', ')}`, {
      extra: { permission: STATUS_PERMISSIONS.join(' | ') },
    });
  }
}

export async function machineRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];
  const read = { permission: 'masterdata:read' };

  app.get(
    '/',
    {
      config: read,
      schema: {
        tags,
        summary: 'List machines (filter by work center, status, active; sort; cursor pages)',
        querystring: MachineListQuery,
        response: { 200: MachinePage },
      },
    },
    async (request) => service.listMachines(db, request.query as MachineListQuery),
  );

  app.get(
    '/:id',
    {
      config: read,
      schema: { tags, summary: 'One machine', params: IdParams, response: { 200: Machine, 404: Problem } },
    },
    async (request, reply) => {
      const machine = await service.getMachine(db, idOf(request));
      reply.header('etag', `W/"${machine.version}"`);
      return machine;
    },
  );

  app.get(
    '/:id/availability',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Available UTC intervals in [from, to): calendar shifts − holidays + make-up days − downtime',
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: MachineAvailability, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => downtimes.machineAvailability(db, idOf(request), request.query as AvailabilityQuery),
  );

  app.post(
    '/',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: 'Create a machine',
        body: MachineCreate,
        response: { 201: Machine, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const machine = await service.createMachine(db, request.ctx, request.body as MachineCreate);
      return reply.status(201).header('location', `/api/v1/machines/${machine.id}`).send(machine);
    },
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: 'Change a machine (send the version you read); active: false deactivates it',
        params: IdParams,
        body: MachineUpdate,
        response: { 200: Machine, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.updateMachine(db, request.ctx, idOf(request), request.body as MachineUpdate),
  );

  app.post(
    '/:id/status',
    {
      // Checked by the hook below: production:execute or masterdata:update.
      config: { permission: 'authenticated' },
      onRequest: requireAnyStatusPermission,
      schema: {
        tags,
        summary: 'Set status up | down | maintenance (needs production:execute or masterdata:update)',
        params: IdParams,
        body: MachineStatusChange,
        response: { 200: Machine, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.changeMachineStatus(db, request.ctx, idOf(request), request.body as MachineStatusChange),
  );

  app.delete(
    '/:id',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: 'Delete an unused machine (409 IN_USE when routings use it)',
        params: IdParams,
        response: { 204: Deleted, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteMachine(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/:id/downtimes',
    {
      config: read,
      schema: {
        tags,
        summary: 'Planned downtime windows of a machine',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Downtime) }), 404: Problem },
      },
    },
    async (request) => ({ items: await downtimes.listDowntimes(db, idOf(request)) }),
  );

  app.post(
    '/:id/downtimes',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: 'Plan a downtime window (UTC start/end, reason)',
        params: IdParams,
        body: DowntimeCreate,
        response: { 201: Downtime, 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const downtime = await downtimes.addDowntime(
        db,
        request.ctx,
        idOf(request),
        request.body as DowntimeCreate,
      );
      return reply.status(201).send(downtime);
    },
  );

  app.delete(
    '/:id/downtimes/:subId',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: 'Remove a planned downtime window',
        params: SubIdParams,
        response: { 204: Deleted, 404: Problem },
      },
    },
    async (request, reply) => {
      const { id, subId } = request.params as { id: string; subId: string };
      await downtimes.removeDowntime(db, request.ctx, id, subId);
      return reply.status(204).send();
    },
  );
}
