import type { AuditEntry, PageOf } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, isForeignKeyViolation, isUniqueViolation } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { runPage } from './list.ts';

/**
 * What every master-data change does besides its own rows: one audit entry and one outbox event in
 * the same transaction, and the same refusals (stale version, duplicate code, still referenced).
 */
export async function recordChange(
  tx: Tx,
  ctx: Ctx,
  change: {
    entity: string;
    id: string;
    action: 'create' | 'update' | 'deactivate' | 'delete' | string;
    before: object | null;
    after: object | null;
    data: unknown;
  },
): Promise<void> {
  await recordAudit(tx, ctx, {
    entityType: change.entity,
    entityId: change.id,
    action: change.action,
    before: change.before,
    after: change.after,
  });
  const verb = change.action === 'create' ? 'created' : change.action === 'delete' ? 'deleted' : 'updated';
  await appendEvent(tx, ctx, {
    type: `${change.entity}.${verb}`,
    aggregateType: change.entity,
    aggregateId: change.id,
    data: change.data,
  });
}

/** 'deactivate' when an update switches the record off, otherwise 'update'. */
export function updateAction(before: { active: number }, activeAfter: boolean | undefined): string {
  return activeAfter === false && before.active === 1 ? 'deactivate' : 'update';
}

export function staleVersion(label: string, code: string, current: number): AppError {
  return new AppError(
    'STALE_VERSION',
    `${label} ${code} was changed by someone else (now version ${current})`,
    {
      extra: { currentVersion: current },
    },
  );
}

export function duplicateCode(label: string, code: string, field = '/code'): AppError {
  return new AppError('DUPLICATE_CODE', `${label} code ${code} is already in use`, {
    fieldErrors: [{ field, message: 'is already in use', code: 'duplicate' }],
  });
}

export function stillReferenced(label: string, code: string, by: readonly string[]): AppError {
  const what = by.length > 0 ? by.join(', ') : 'other records';
  return new AppError(
    'IN_USE',
    `${label} ${code} is still referenced by ${what}; deactivate it instead of deleting it`,
    { extra: { referencedBy: by } },
  );
}

/** Runs a write; a unique violation becomes DUPLICATE_CODE on /code, a foreign-key one IN_USE. */
export async function guardedWrite<T>(
  label: string,
  code: () => string,
  write: () => Promise<T>,
  uniqueError?: (err: unknown) => AppError | null,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw uniqueError?.(err) ?? duplicateCode(label, code());
    if (isForeignKeyViolation(err)) throw stillReferenced(label, code(), []);
    throw err;
  }
}

/** Which of the given tables still hold a row whose `column` is `id`; for a clear refusal message. */
export async function referencesTo(
  tx: Tx | Kysely<Database>,
  id: string,
  refs: ReadonlyArray<readonly [table: string, column: string, label: string]>,
): Promise<string[]> {
  const found: string[] = [];
  for (const [table, column, label] of refs) {
    const hit = await sql<{
      one: number;
    }>`select 1 as one from ${sql.table(table)} where ${sql.ref(column)} = ${id} limit 1`.execute(tx);
    if (hit.rows.length > 0) found.push(label);
  }
  return found;
}

/** The audit entries of one record, oldest first: its history. */
export async function historyOf(
  db: Db,
  entity: string,
  id: string,
  params: { limit?: number; cursor?: string },
): Promise<PageOf<AuditEntry>> {
  const query = db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entity)
    .where('entity_id', '=', id);
  const { rows, nextCursor } = await runPage(query, { ...params, sort: 'at' }, { at: 'at' }, 'at');
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorType: r.actor_type,
      actorId: r.actor_id,
      action: r.action,
      diff: JSON.parse(r.diff) as Record<string, unknown>,
      requestId: r.request_id,
    })),
    nextCursor,
  };
}
