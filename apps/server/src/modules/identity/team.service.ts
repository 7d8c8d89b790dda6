import type { Team, TeamCreate, TeamUpdate } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { TeamsTable } from '../../platform/db/schema.ts';
import { AppError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as repo from './team.repo.ts';

/** Teams (departments, shifts, cells) group users; deactivated, never deleted. */
export function toTeam(row: TeamsTable): Team {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    active: row.active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const duplicate = (name: string) =>
  new AppError('DUPLICATE_NAME', `A team named ${name} already exists`, {
    fieldErrors: [{ field: '/name', message: 'is already in use', code: 'duplicate' }],
  });

export async function listTeams(db: Db): Promise<Team[]> {
  return (await repo.listTeams(db.kysely)).map(toTeam);
}

export async function createTeam(db: Db, ctx: Ctx, input: TeamCreate): Promise<Team> {
  const now = nowIso();
  const row: TeamsTable = {
    id: newId(),
    name: input.name.trim(),
    description: (input.description ?? '').trim(),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.transaction(async (tx) => {
      await repo.insertTeam(tx, row);
      await recordAudit(tx, ctx, {
        entityType: 'team',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(row.name);
    throw err;
  }
  return toTeam(row);
}

export async function updateTeam(db: Db, ctx: Ctx, id: string, input: TeamUpdate): Promise<Team> {
  const changes: Partial<TeamsTable> = { updated_at: nowIso() };
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.description !== undefined) changes.description = input.description.trim();
  if (input.active !== undefined) changes.active = input.active ? 1 : 0;
  try {
    return await db.transaction(async (tx) => {
      const before = await repo.findTeam(tx, id);
      if (!before) throw notFound('Team', id);
      const after = await repo.updateTeam(tx, id, input.version, changes);
      if (!after) {
        throw new AppError('STALE_VERSION', `Team ${before.name} was changed by someone else`, {
          extra: { currentVersion: before.version },
        });
      }
      const action = before.active === 1 && after.active === 0 ? 'deactivate' : 'update';
      await recordAudit(tx, ctx, { entityType: 'team', entityId: id, action, before, after });
      return toTeam(after);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(changes.name ?? '');
    throw err;
  }
}
