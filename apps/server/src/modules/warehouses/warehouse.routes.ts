import {
  IdParams,
  Location,
  LocationCreate,
  LocationListQuery,
  LocationPage,
  LocationParams,
  LocationUpdate,
  Problem,
  Warehouse,
  WarehouseCreate,
  WarehouseListQuery,
  WarehousePage,
  WarehouseUpdate,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { registerCrudRoutes } from '../masterdata/crud.routes.ts';
import * as service from './warehouse.service.ts';

export async function warehouseRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];
  registerCrudRoutes<Warehouse>(app, {
    db,
    tags,
    noun: 'warehouse',
    entity: 'warehouse',
    location: (w) => `/api/v1/warehouses/${w.id}`,
    schemas: {
      dto: Warehouse,
      create: WarehouseCreate,
      update: WarehouseUpdate,
      query: WarehouseListQuery,
      page: WarehousePage,
    },
    service: {
      list: (q) => service.listWarehouses(db, q as WarehouseListQuery),
      get: (id) => service.getWarehouse(db, id),
      create: (ctx, body) => service.createWarehouse(db, ctx, body as WarehouseCreate),
      update: (ctx, id, body) => service.updateWarehouse(db, ctx, id, body as WarehouseUpdate),
      remove: (ctx, id) => service.deleteWarehouse(db, ctx, id),
    },
  });

  const loc = (p: unknown) => p as { id: string; locationId: string };

  app.get(
    '/:id/locations',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'Locations (bins) of a warehouse',
        params: IdParams,
        querystring: LocationListQuery,
        response: { 200: LocationPage, 404: Problem },
      },
    },
    async (request) => service.listLocations(db, loc(request.params).id, request.query as LocationListQuery),
  );

  app.post(
    '/:id/locations',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: 'Add a location; its code is unique within the warehouse',
        params: IdParams,
        body: LocationCreate,
        response: { 201: Location, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const { id } = loc(request.params);
      const created = await service.createLocation(db, request.ctx, id, request.body as LocationCreate);
      return reply
        .status(201)
        .header('location', `/api/v1/warehouses/${id}/locations/${created.id}`)
        .send(created);
    },
  );

  app.get(
    '/:id/locations/:locationId',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'One location',
        params: LocationParams,
        response: { 200: Location, 404: Problem },
      },
    },
    async (request) => service.getLocation(db, loc(request.params).id, loc(request.params).locationId),
  );

  app.patch(
    '/:id/locations/:locationId',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: 'Change a location (active: false deactivates); send the version you read',
        params: LocationParams,
        body: LocationUpdate,
        response: { 200: Location, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const { id, locationId } = loc(request.params);
      return service.updateLocation(db, request.ctx, id, locationId, request.body as LocationUpdate);
    },
  );

  app.delete(
    '/:id/locations/:locationId',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: 'Delete a location nothing refers to (409 IN_USE otherwise)',
        params: LocationParams,
        response: { 204: { type: 'null' }, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const { id, locationId } = loc(request.params);
      await service.deleteLocation(db, request.ctx, id, locationId);
      return reply.status(204).send();
    },
  );
}
