import { prepared } from './db/compiled.ts';
import { deferWrites } from './db/pg-pipeline.ts';
import type { Tx } from './db/database.ts';
import type { Ctx } from './context.ts';
import { newId, nowIso } from './ids.ts';
import { isSecretKey } from './secrets.ts';

/** Secret fields (one rule with the request log and the process log) show only that they changed. */
export { isSecretKey };

type Row = object | null;

/** Field-level diff; secrets are never written, only the fact that they changed. */
export function diffRows(before: Row, after: Row): Record<string, { from?: unknown; to?: unknown }> {
  const a0 = (before ?? {}) as Record<string, unknown>;
  const b0 = (after ?? {}) as Record<string, unknown>;
  const out: Record<string, { from?: unknown; to?: unknown }> = {};
  const compare = (k: string) => {
    if (k === 'version' || k === 'updated_at' || k === 'updatedAt') return;
    const a = a0[k];
    const b = b0[k];
    if (a === b || JSON.stringify(a) === JSON.stringify(b)) return;
    out[k] = isSecretKey(k)
      ? { to: '[changed]' }
      : { ...(before ? { from: a } : {}), ...(after ? { to: b } : {}) };
  };
  // The keys of both rows, those of `before` first.
  for (const k of Object.keys(a0)) compare(k);
  for (const k of Object.keys(b0)) if (!Object.hasOwn(a0, k)) compare(k);
  return out;
}

const insertAudit = prepared(
  (
    db,
    id: string,
    at: string,
    actorType: string,
    actorId: string,
    ip: string | null,
    userAgent: string | null,
    entityType: string,
    entityId: string,
    action: string,
    diff: string,
    requestId: string | null,
  ) =>
    db.insertInto('audit_log').values({
      id,
      at,
      actor_type: actorType,
      actor_id: actorId,
      ip,
      user_agent: userAgent,
      entity_type: entityType,
      entity_id: entityId,
      action,
      diff,
      request_id: requestId,
    }),
);

export async function recordAudit(
  tx: Tx,
  ctx: Ctx,
  entry: { entityType: string; entityId: string; action: string; before: Row; after: Row },
): Promise<void> {
  // Nothing reads the row back in the transaction, and an audit insert has nothing to fail on.
  await deferWrites(() =>
    insertAudit.all(
      tx,
      newId(),
      nowIso(),
      ctx.actor.type,
      ctx.actor.id ?? ctx.actor.login,
      ctx.ip,
      ctx.userAgent,
      entry.entityType,
      entry.entityId,
      entry.action,
      JSON.stringify(diffRows(entry.before, entry.after)),
      ctx.requestId,
    ),
  );
}
