import {
  IdParams,
  PasswordResetBody,
  Problem,
  User,
  UserCreate,
  UserListQuery,
  UserPage,
  UserUpdate,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as service from './user.service.ts';

const id = (request: { params: unknown }) => (request.params as { id: string }).id;

export async function userRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['identity'];

  app.get(
    '/users',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'List users by login (filter by text, active, team, role; cursor pages)',
        querystring: UserListQuery,
        response: { 200: UserPage },
      },
    },
    async (request) => service.listUsers(db, request.query as UserListQuery),
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'admin:read' },
      schema: { tags, summary: 'One user', params: IdParams, response: { 200: User, 404: Problem } },
    },
    async (request) => service.getUser(db, id(request)),
  );

  app.post(
    '/users',
    {
      config: { permission: 'admin:create' },
      schema: {
        tags,
        summary: 'Create a user (optionally with a shop-floor badge and PIN)',
        body: UserCreate,
        response: { 201: User, 400: Problem, 403: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const user = await service.createUser(db, request.ctx, request.body as UserCreate);
      return reply.status(201).header('location', `/api/v1/identity/users/${user.id}`).send(user);
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary:
          'Change a user; `active: false` deactivates and ends their sessions (users are never deleted)',
        params: IdParams,
        body: UserUpdate,
        response: { 200: User, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.updateUser(db, request.ctx, id(request), request.body as UserUpdate),
  );

  app.post(
    '/users/:id/password',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary:
          'Set a new password for a user: ends their sessions; by default they must change it at sign-in',
        params: IdParams,
        body: PasswordResetBody,
        response: { 200: User, 400: Problem, 404: Problem },
      },
    },
    async (request) => service.resetPassword(db, request.ctx, id(request), request.body as PasswordResetBody),
  );

  app.delete(
    '/users/:id/totp',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: "Remove a user's TOTP second factor (e.g. a lost phone)",
        params: IdParams,
        response: { 200: User, 404: Problem },
      },
    },
    async (request) => service.resetTotp(db, request.ctx, id(request)),
  );
}
