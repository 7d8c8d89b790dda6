import {
  Deleted,
  AvailabilityQuery,
  Calendar,
  CalendarAvailability,
  CalendarCreate,
  CalendarListQuery,
  CalendarPage,
  CalendarUpdate,
  IdParams,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as service from './calendar.service.ts';

type IdReq = { params: unknown };
const idOf = (request: IdReq) => (request.params as { id: string }).id;

/** Factory calendars: weekly shifts in a time zone, holidays and make-up working days. */
export async function calendarRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];

  app.get(
    '/',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'List calendars',
        querystring: CalendarListQuery,
        response: { 200: CalendarPage },
      },
    },
    async (request) => service.listCalendars(db, request.query as CalendarListQuery),
  );

  app.get(
    '/:id',
    {
      config: { permission: 'masterdata:read' },
      schema: { tags, summary: 'One calendar', params: IdParams, response: { 200: Calendar, 404: Problem } },
    },
    async (request, reply) => {
      const calendar = await service.getCalendar(db, idOf(request));
      reply.header('etag', `W/"${calendar.version}"`);
      return calendar;
    },
  );

  app.get(
    '/:id/availability',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'Working intervals (UTC) of the calendar in [from, to), without machine downtime',
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: CalendarAvailability, 400: Problem, 404: Problem },
      },
    },
    async (request) => service.calendarAvailability(db, idOf(request), request.query as AvailabilityQuery),
  );

  app.post(
    '/',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: 'Create a calendar',
        body: CalendarCreate,
        response: { 201: Calendar, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const calendar = await service.createCalendar(db, request.ctx, request.body as CalendarCreate);
      return reply.status(201).header('location', `/api/v1/calendars/${calendar.id}`).send(calendar);
    },
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: 'Change a calendar (send the version you read); active: false deactivates it',
        params: IdParams,
        body: CalendarUpdate,
        response: { 200: Calendar, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.updateCalendar(db, request.ctx, idOf(request), request.body as CalendarUpdate),
  );

  app.delete(
    '/:id',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: 'Delete an unused calendar (409 IN_USE when work centers or machines use it)',
        params: IdParams,
        response: { 204: Deleted, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteCalendar(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );
}
