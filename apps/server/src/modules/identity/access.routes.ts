import {
  IdParams,
  IdentitySettings,
  IdentitySettingsUpdate,
  PermissionCatalog,
  Problem,
  Role,
  RoleCreate,
  RoleUpdate,
  Team,
  TeamCreate,
  TeamUpdate,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import * as roles from './role.service.ts';
import * as settings from './settings.service.ts';
import * as teams from './team.service.ts';

const id = (request: { params: unknown }) => (request.params as { id: string }).id;

/** Roles (permission matrix), teams and the installation's identity settings. */
export async function accessRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['identity'];

  app.get(
    '/permissions',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'The permission matrix: modules and actions',
        response: { 200: PermissionCatalog },
      },
    },
    async () => roles.permissionCatalog(),
  );

  app.get(
    '/roles',
    {
      config: { permission: 'admin:read' },
      schema: { tags, summary: 'Built-in and custom roles', response: { 200: Type.Array(Role) } },
    },
    async () => roles.listRoles(db),
  );

  app.get(
    '/roles/:id',
    {
      config: { permission: 'admin:read' },
      schema: { tags, summary: 'One custom role', params: IdParams, response: { 200: Role, 404: Problem } },
    },
    async (request) => roles.getRole(db, id(request)),
  );

  app.post(
    '/roles',
    {
      config: { permission: 'admin:create' },
      schema: {
        tags,
        summary: 'Create a custom role with its permissions (never beyond your own)',
        body: RoleCreate,
        response: { 201: Role, 400: Problem, 403: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const role = await roles.createRole(db, request.ctx, request.body as RoleCreate);
      return reply.status(201).header('location', `/api/v1/identity/roles/${role.id}`).send(role);
    },
  );

  app.patch(
    '/roles/:id',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Change a custom role (send the version read)',
        params: IdParams,
        body: RoleUpdate,
        response: { 200: Role, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => roles.updateRole(db, request.ctx, id(request), request.body as RoleUpdate),
  );

  app.delete(
    '/roles/:id',
    {
      config: { permission: 'admin:delete' },
      schema: {
        tags,
        summary: 'Delete a custom role nobody holds (409 ROLE_IN_USE otherwise)',
        params: IdParams,
        response: { 204: Type.Null({ description: 'deleted' }), 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await roles.deleteRole(db, request.ctx, id(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/teams',
    {
      config: { permission: 'admin:read' },
      schema: { tags, summary: 'Teams and departments', response: { 200: Type.Array(Team) } },
    },
    async () => teams.listTeams(db),
  );

  app.post(
    '/teams',
    {
      config: { permission: 'admin:create' },
      schema: {
        tags,
        summary: 'Create a team',
        body: TeamCreate,
        response: { 201: Team, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const team = await teams.createTeam(db, request.ctx, request.body as TeamCreate);
      return reply.status(201).send(team);
    },
  );

  app.patch(
    '/teams/:id',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Change or deactivate a team (send the version read)',
        params: IdParams,
        body: TeamUpdate,
        response: { 200: Team, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => teams.updateTeam(db, request.ctx, id(request), request.body as TeamUpdate),
  );

  app.get(
    '/settings',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags,
        summary: 'Identity settings of this installation',
        response: { 200: IdentitySettings },
      },
    },
    async () => settings.getSettings(db),
  );

  app.patch(
    '/settings',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Change identity settings, e.g. require a TOTP second factor for administrators',
        body: IdentitySettingsUpdate,
        response: { 200: IdentitySettings, 400: Problem, 409: Problem },
      },
    },
    async (request) => settings.updateSettings(db, request.ctx, request.body as IdentitySettingsUpdate),
  );
}
