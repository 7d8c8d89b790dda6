import type {
  AlertChannel,
  AlertChannelCreate,
  AlertChannelUpdate,
  AlertNotification,
  AlertNotificationQuery,
  AlertRule,
  PageOf,
} from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type {
  AlertChannelsTable,
  AlertRulesTable,
  NotificationsTable,
} from '../../platform/db/schema-hub.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { emailSettings } from './email.send.ts';
import { post } from './notify.delivery.ts';

export const DEFAULT_RATE_PER_MINUTE = 20;

/** Secrets stay in the database: the API says whether a channel signs, never with what. */
export const toChannel = (r: AlertChannelsTable): AlertChannel => ({
  id: r.id,
  name: r.name,
  kind: r.kind as AlertChannel['kind'],
  url: r.url,
  email: emailSettings(r),
  signed: r.secret !== null,
  ratePerMinute: r.rate_per_minute,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const masked = (r: AlertChannelsTable) => ({ ...r, secret: r.secret ? '***' : null });

export const toRule = (r: AlertRulesTable): AlertRule => ({
  id: r.id,
  pattern: r.pattern,
  minSeverity: r.min_severity as AlertRule['minSeverity'],
  channelId: r.channel_id,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
});

export const toNotification = (r: NotificationsTable): AlertNotification => ({
  id: r.id,
  channelId: r.channel_id,
  alertId: r.alert_id,
  alertKind: r.alert_kind,
  severity: r.severity,
  title: r.title,
  status: r.status as AlertNotification['status'],
  attempts: r.attempts,
  lastError: r.last_error,
  summaryOf: r.summary_of,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

const stale = (what: string, current: number) =>
  new AppError('STALE_VERSION', `The ${what} was changed by someone else; reload it`, {
    extra: { currentVersion: current },
  });

async function findChannel(tx: Tx | Db['kysely'], id: string): Promise<AlertChannelsTable> {
  const row = await tx.selectFrom('alert_channels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Alert channel', id);
  return row;
}

async function uniqueName(tx: Tx, name: string, exceptId: string | null): Promise<void> {
  let q = tx.selectFrom('alert_channels').select('id').where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst())
    throw new AppError('DUPLICATE_NAME', `A channel named ${name} exists`, {
      fieldErrors: [{ field: '/name', message: 'is taken' }],
    });
}

export async function listChannels(db: Db): Promise<{ items: AlertChannel[] }> {
  const rows = await db.kysely.selectFrom('alert_channels').selectAll().orderBy('name').execute();
  return { items: rows.map(toChannel) };
}

export async function getChannel(db: Db, id: string): Promise<AlertChannel> {
  return toChannel(await findChannel(db.kysely, id));
}

export async function createChannel(db: Db, ctx: Ctx, input: AlertChannelCreate): Promise<AlertChannel> {
  if (input.kind === 'email' && !input.email)
    throw invalidField('/email', 'SMTP settings are required for an email channel');
  if (input.kind !== 'email' && input.email) throw invalidField('/email', 'is only for email channels');
  if (input.kind !== 'in_app' && input.kind !== 'email' && !input.url)
    throw invalidField('/url', `is required for a ${input.kind} channel`);
  return db.transaction(async (tx) => {
    const name = input.name.trim();
    await uniqueName(tx, name, null);
    const now = nowIso();
    const row: AlertChannelsTable = {
      id: newId(),
      name,
      kind: input.kind,
      url: input.kind === 'in_app' || input.kind === 'email' ? '' : input.url!,
      secret: input.secret?.trim() || null,
      config: input.kind === 'email' ? JSON.stringify(input.email) : null,
      rate_per_minute: input.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE,
      active: input.active === false ? 0 : 1,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('alert_channels').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'alert_channel',
      entityId: row.id,
      action: 'create',
      before: null,
      after: masked(row),
    });
    return toChannel(row);
  });
}

export async function updateChannel(
  db: Db,
  ctx: Ctx,
  id: string,
  input: AlertChannelUpdate,
): Promise<AlertChannel> {
  return db.transaction(async (tx) => {
    const before = await findChannel(tx, id);
    if (input.email !== undefined && before.kind !== 'email')
      throw invalidField('/email', 'is only for email channels');
    if (input.name !== undefined) await uniqueName(tx, input.name.trim(), id);
    const after = await tx
      .updateTable('alert_channels')
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.url !== undefined && before.kind !== 'in_app' && before.kind !== 'email'
          ? { url: input.url }
          : {}),
        ...(input.email !== undefined ? { config: JSON.stringify(input.email) } : {}),
        ...(input.secret !== undefined ? { secret: input.secret?.trim() || null } : {}),
        ...(input.ratePerMinute !== undefined ? { rate_per_minute: input.ratePerMinute } : {}),
        ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
        version: before.version + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returningAll()
      .executeTakeFirst();
    if (!after) throw stale('channel', before.version);
    await recordAudit(tx, ctx, {
      entityType: 'alert_channel',
      entityId: id,
      action: 'update',
      before: masked(before),
      after: masked(after),
    });
    return toChannel(after);
  });
}

/** Deletes a channel with its rules and notification log. */
export async function deleteChannel(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await findChannel(tx, id);
    await tx.deleteFrom('alert_rules').where('channel_id', '=', id).execute();
    await tx.deleteFrom('notifications').where('channel_id', '=', id).execute();
    await tx.deleteFrom('alert_channels').where('id', '=', id).execute();
    await recordAudit(tx, ctx, {
      entityType: 'alert_channel',
      entityId: id,
      action: 'delete',
      before: masked(before),
      after: null,
    });
  });
}

/** Sends a test message now (one attempt, outside the rate limit) and records it. */
export async function testChannel(
  db: Db,
  ctx: Ctx,
  id: string,
  timeoutMs = 5000,
): Promise<AlertNotification> {
  const channel = await findChannel(db.kysely, id);
  const now = nowIso();
  const row: NotificationsTable = {
    id: newId(),
    channel_id: id,
    dedupe_key: `test:${newId()}`,
    severity: 'info',
    title: `Takt test message for ${channel.name}`,
    body: `Sent by ${ctx.actor.login} at ${now}.`,
    status: 'pending',
    attempts: 0,
    last_error: null,
    summary_of: null,
    created_at: now,
    sent_at: null,
    alert_id: null,
    alert_kind: 'test',
    payload: null,
  };
  const error = channel.kind === 'in_app' ? null : await post(channel, row, { timeoutMs });
  const done: NotificationsTable = {
    ...row,
    status: error === null ? 'sent' : 'failed',
    attempts: 1,
    last_error: error,
    sent_at: error === null ? nowIso() : null,
  };
  await db.transaction(async (tx) => {
    await tx.insertInto('notifications').values(done).execute();
    await recordAudit(tx, ctx, {
      entityType: 'alert_channel',
      entityId: id,
      action: 'test',
      before: null,
      after: { status: done.status, error },
    });
  });
  return toNotification(done);
}

/** Newest first. */
export async function listNotifications(
  db: Db,
  q: AlertNotificationQuery,
): Promise<PageOf<AlertNotification>> {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, '-id');
  let query = db.kysely
    .selectFrom('notifications')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (q.channelId) query = query.where('channel_id', '=', q.channelId);
  if (q.status) query = query.where('status', '=', q.status);
  if (after) query = query.where('id', '<', after.id);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map(toNotification),
    nextCursor:
      rows.length > limit ? encodeCursor({ s: '-id', v: null, id: page[page.length - 1]!.id }) : null,
  };
}
