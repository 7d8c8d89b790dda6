import type { AlertRule, AlertRuleCreate, AlertRuleUpdate } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { AlertRulesTable } from '../../platform/db/schema-hub.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { toRule } from './channel.service.ts';

/** Which alerts go to which channel: an alert kind pattern (`exception.*`, `*`) and a minimum severity. */
async function channelExists(tx: Tx, id: string): Promise<void> {
  const ch = await tx.selectFrom('alert_channels').select('id').where('id', '=', id).executeTakeFirst();
  if (!ch) throw invalidField('/channelId', 'is not an alert channel', 'not_found');
}

function checkPattern(pattern: string): string {
  const p = pattern.trim();
  if (!/^(\*|[\w-]+(\.[\w-]+)*(\.\*)?)$/.test(p))
    throw invalidField('/pattern', 'must be an alert kind, a `prefix.*` pattern or `*`');
  return p;
}

export async function listRules(db: Db): Promise<{ items: AlertRule[] }> {
  const rows = await db.kysely
    .selectFrom('alert_rules')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { items: rows.map(toRule) };
}

export async function createRule(db: Db, ctx: Ctx, input: AlertRuleCreate): Promise<AlertRule> {
  const pattern = checkPattern(input.pattern);
  return db.transaction(async (tx) => {
    await channelExists(tx, input.channelId);
    const now = nowIso();
    const row: AlertRulesTable = {
      id: newId(),
      pattern,
      min_severity: input.minSeverity ?? 'warning',
      channel_id: input.channelId,
      active: input.active === false ? 0 : 1,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('alert_rules').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'alert_rule',
      entityId: row.id,
      action: 'create',
      before: null,
      after: row,
    });
    return toRule(row);
  });
}

export async function updateRule(db: Db, ctx: Ctx, id: string, input: AlertRuleUpdate): Promise<AlertRule> {
  return db.transaction(async (tx) => {
    const before = await tx.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('Alert rule', id);
    if (input.channelId !== undefined) await channelExists(tx, input.channelId);
    const after = await tx
      .updateTable('alert_rules')
      .set({
        ...(input.pattern !== undefined ? { pattern: checkPattern(input.pattern) } : {}),
        ...(input.minSeverity !== undefined ? { min_severity: input.minSeverity } : {}),
        ...(input.channelId !== undefined ? { channel_id: input.channelId } : {}),
        ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
        version: before.version + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returningAll()
      .executeTakeFirst();
    if (!after)
      throw new AppError('STALE_VERSION', 'The rule was changed by someone else; reload it', {
        extra: { currentVersion: before.version },
      });
    await recordAudit(tx, ctx, { entityType: 'alert_rule', entityId: id, action: 'update', before, after });
    return toRule(after);
  });
}

export async function deleteRule(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await tx.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('Alert rule', id);
    await tx.deleteFrom('alert_rules').where('id', '=', id).execute();
    await recordAudit(tx, ctx, {
      entityType: 'alert_rule',
      entityId: id,
      action: 'delete',
      before,
      after: null,
    });
  });
}
