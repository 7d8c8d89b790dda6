import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { accessRoutes } from './access.routes.ts';
import { tokenRoutes } from './token.routes.ts';
import { userRoutes } from './user.routes.ts';

/** /api/v1/identity: users, roles, teams, API tokens, the audit trail and identity settings. */
export async function identityRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await userRoutes(app, deps);
  await accessRoutes(app, deps);
  await tokenRoutes(app, deps);
}
