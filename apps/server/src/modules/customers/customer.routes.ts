import { Customer, CustomerCreate, CustomerListQuery, CustomerPage, CustomerUpdate } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { registerCrudRoutes } from '../masterdata/crud.routes.ts';
import * as service from './customer.service.ts';

export async function customerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  registerCrudRoutes<Customer>(app, {
    db,
    tags: ['masterdata'],
    noun: 'customer',
    entity: 'customer',
    location: (c) => `/api/v1/customers/${c.id}`,
    schemas: {
      dto: Customer,
      create: CustomerCreate,
      update: CustomerUpdate,
      query: CustomerListQuery,
      page: CustomerPage,
    },
    service: {
      list: (q) => service.listCustomers(db, q as CustomerListQuery),
      get: (id) => service.getCustomer(db, id),
      create: (ctx, body) => service.createCustomer(db, ctx, body as CustomerCreate),
      update: (ctx, id, body) => service.updateCustomer(db, ctx, id, body as CustomerUpdate),
      remove: (ctx, id) => service.deleteCustomer(db, ctx, id),
    },
  });
}
