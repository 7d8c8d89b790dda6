import { Employee, EmployeeCreate, EmployeeListQuery, EmployeePage, EmployeeUpdate } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { registerCrudRoutes } from '../masterdata/crud.routes.ts';
import * as service from './employee.service.ts';

export async function employeeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  registerCrudRoutes<Employee>(app, {
    db,
    tags: ['masterdata'],
    noun: 'employee',
    entity: 'employee',
    location: (c) => `/api/v1/employees/${c.id}`,
    schemas: {
      dto: Employee,
      create: EmployeeCreate,
      update: EmployeeUpdate,
      query: EmployeeListQuery,
      page: EmployeePage,
    },
    service: {
      list: (q) => service.listEmployees(db, q as EmployeeListQuery),
      get: (id) => service.getEmployee(db, id),
      create: (ctx, body) => service.createEmployee(db, ctx, body as EmployeeCreate),
      update: (ctx, id, body) => service.updateEmployee(db, ctx, id, body as EmployeeUpdate),
      remove: (ctx, id) => service.deleteEmployee(db, ctx, id),
    },
  });
}
