import { Supplier, SupplierCreate, SupplierListQuery, SupplierPage, SupplierUpdate } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { registerCrudRoutes } from '../masterdata/crud.routes.ts';
import * as service from './supplier.service.ts';

export async function supplierRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  registerCrudRoutes<Supplier>(app, {
    db,
    tags: ['masterdata'],
    noun: 'supplier',
    entity: 'supplier',
    location: (c) => `/api/v1/suppliers/${c.id}`,
    schemas: {
      dto: Supplier,
      create: SupplierCreate,
      update: SupplierUpdate,
      query: SupplierListQuery,
      page: SupplierPage,
    },
    service: {
      list: (q) => service.listSuppliers(db, q as SupplierListQuery),
      get: (id) => service.getSupplier(db, id),
      create: (ctx, body) => service.createSupplier(db, ctx, body as SupplierCreate),
      update: (ctx, id, body) => service.updateSupplier(db, ctx, id, body as SupplierUpdate),
      remove: (ctx, id) => service.deleteSupplier(db, ctx, id),
    },
  });
}
