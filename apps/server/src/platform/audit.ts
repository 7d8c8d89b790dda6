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
  const keys = new Set([...Object.keys(a0), ...Object.keys(b0)]);
  const out: Record<string, { from?: unknown; to?: unknown }> = {};
  for (const k of keys) {
    if (k === 'version' || k === 'updated_at' || k === 'updatedAt') continue;
    const a = a0[k];
    const b = b0[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out[k] = isSecretKey(k)
      ? { to: '[changed]' }
      : { ...(before ? { from: a } : {}), ...(after ? { to: b } : {}) };
  }
  return out;
}

export async function recordAudit(
  tx: Tx,
  ctx: Ctx,
  entry: { entityType: string; entityId: string; action: string; before: Row; after: Row },
): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: nowIso(),
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id ?? ctx.actor.login,
      ip: ctx.ip,
      user_agent: ctx.userAgent,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      action: entry.action,
      diff: JSON.stringify(diffRows(entry.before, entry.after)),
      request_id: ctx.requestId,
    })
    .execute();
}
