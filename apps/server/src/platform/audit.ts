import type { Tx } from './db/database.ts';
import type { Ctx } from './context.ts';
import { newId, nowIso } from './ids.ts';

const SECRET_WORDS = new Set([
  'pass',
  'password',
  'passwd',
  'passphrase',
  'pin',
  'pincode',
  'secret',
  'token',
  'hash',
]);

/**
 * A key names a secret when one of its words does (`password_hash`, `pin`, `totp_secret`, `tokenHash`);
 * words, not substrings, so `shipping` or `passes` stay readable.
 */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => SECRET_WORDS.has(w));
}

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
