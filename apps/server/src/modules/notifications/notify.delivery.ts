import type { DomainEvent } from '@takt/contracts';
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { AlertChannelsTable, NotificationsTable } from '../../platform/db/schema-hub.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import type { JobHandler } from '../../platform/jobs/worker.ts';
import { buildRequest, robotError } from './channel.format.ts';
import { sendEmail } from './email.send.ts';

export interface NotifyOptions {
  readonly timeoutMs: number;
  /** Delay before retry n is n × this. */
  readonly retryBaseMs: number;
  /** The rate-limit window (one minute; tests shrink it). */
  readonly windowMs: number;
}
export const DEFAULT_NOTIFY_OPTIONS: NotifyOptions = { timeoutMs: 5000, retryBaseMs: 5000, windowMs: 60_000 };
/** One try and up to three retries. */
export const SEND_ATTEMPTS = 4;

const RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

export function kindMatches(pattern: string, kind: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return kind.startsWith(pattern.slice(0, -1));
  return pattern === kind;
}

interface AlertData {
  id: string;
  severity: string;
  kind: string;
  title: string;
  detail?: string;
  entityType?: string;
  entityId?: string;
}

function sendJob(tx: Tx | Db['kysely'], n: Pick<NotificationsTable, 'id' | 'channel_id'>, key: string) {
  return enqueue(tx, {
    name: 'notification.send',
    queue: 'notifications',
    payload: { notificationId: n.id },
    uniqueKey: key,
    maxAttempts: SEND_ATTEMPTS,
  });
}

/** On `alert.raised`: one notification per matching channel, each sent by its own job. */
export function alertSubscriber(db: Db) {
  return async (event: DomainEvent): Promise<void> => {
    const alert = event.data as AlertData;
    const rules = await db.kysely
      .selectFrom('alert_rules as r')
      .innerJoin('alert_channels as c', 'c.id', 'r.channel_id')
      .select(['r.pattern', 'r.min_severity', 'c.id as channel_id', 'c.kind'])
      .where('r.active', '=', 1)
      .where('c.active', '=', 1)
      .execute();
    const channels = new Map<string, string>();
    for (const r of rules) {
      if (!kindMatches(r.pattern, alert.kind)) continue;
      if ((RANK[alert.severity] ?? 0) < (RANK[r.min_severity] ?? 0)) continue;
      channels.set(r.channel_id, r.kind);
    }
    if (channels.size === 0) return;
    await db.transaction(async (tx) => {
      for (const [channelId, kind] of channels) {
        const now = nowIso();
        const row: NotificationsTable = {
          id: newId(),
          channel_id: channelId,
          dedupe_key: `alert:${alert.id}`,
          severity: alert.severity,
          title: alert.title,
          body: alert.detail ?? '',
          // The in-app list shows the alert itself: nothing to send.
          status: kind === 'in_app' ? 'sent' : 'pending',
          attempts: 0,
          last_error: null,
          summary_of: null,
          created_at: now,
          sent_at: kind === 'in_app' ? now : null,
          alert_id: alert.id,
          alert_kind: alert.kind,
          payload: JSON.stringify({ type: event.type, occurredAt: event.occurredAt, alert }),
        };
        const res = await tx
          .insertInto('notifications')
          .values(row)
          .onConflict((oc) => oc.columns(['channel_id', 'dedupe_key']).doNothing())
          .executeTakeFirst();
        if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0 && kind !== 'in_app')
          await sendJob(tx, row, `notify:${alert.id}:${channelId}`);
      }
    });
  };
}

/** Posts (or mails) one message to a channel; the error, or null when the channel took it. */
export async function post(
  channel: AlertChannelsTable,
  n: NotificationsTable,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<string | null> {
  const message = {
    severity: n.severity,
    title: n.title,
    body: n.body,
    kind: n.alert_kind,
    payload: n.payload,
  };
  if (channel.kind === 'email') return sendEmail(channel, message, options);
  const req = buildRequest(channel, message);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Takt-Alerts/1' },
      body: req.body,
      redirect: 'manual',
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    const text = (await res.text()).slice(0, 2000);
    if (!res.ok) return `channel answered ${res.status}`;
    return robotError(channel.kind, text);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function windowUse(tx: Tx, channelId: string, windowMs: number) {
  const since = new Date(Date.now() - windowMs).toISOString();
  const used = await tx
    .selectFrom('notifications')
    .select([sql<number>`count(*)`.as('n'), (eb) => eb.fn.min('sent_at').as('oldest')])
    .where('channel_id', '=', channelId)
    .where('sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { used: Number(used.n), nextFree: new Date(Date.parse(String(used.oldest)) + windowMs + 50) };
}

async function lockChannel(db: Db, tx: Tx, id: string): Promise<AlertChannelsTable | undefined> {
  let q = tx.selectFrom('alert_channels').selectAll().where('id', '=', id);
  if (db.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

function summaryLater(tx: Tx, channelId: string, at: Date) {
  return enqueue(tx, {
    name: 'notification.summary',
    queue: 'notifications',
    payload: { channelId },
    runAt: at,
    uniqueKey: `notify-summary:${channelId}:${at.toISOString()}`,
  });
}

/**
 * Takes a place in the channel's rate window for a notification: true when it may be sent now; false
 * when the window is full, in which case it is held (`suppressed`) and a summary is scheduled.
 */
async function takeSlot(db: Db, channelId: string, id: string, windowMs: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const channel = await lockChannel(db, tx, channelId);
    const { used, nextFree } = await windowUse(tx, channelId, windowMs);
    if (used < (channel?.rate_per_minute ?? 0)) {
      await tx.updateTable('notifications').set({ sent_at: nowIso() }).where('id', '=', id).execute();
      return true;
    }
    await tx.updateTable('notifications').set({ status: 'suppressed' }).where('id', '=', id).execute();
    await summaryLater(tx, channelId, nextFree);
    return false;
  });
}

export function notificationSendJob(db: Db, options: NotifyOptions): JobHandler {
  return async (payload, { job, signal }) => {
    const { notificationId } = payload as { notificationId: string };
    const n = await db.kysely
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', notificationId)
      .executeTakeFirst();
    if (n?.status !== 'pending') return { status: 'skipped', reason: 'not pending' };
    const channel = await db.kysely
      .selectFrom('alert_channels')
      .selectAll()
      .where('id', '=', n.channel_id)
      .executeTakeFirst();
    const fail = (error: string) =>
      db.kysely
        .updateTable('notifications')
        .set({ status: 'failed', last_error: error })
        .where('id', '=', n.id)
        .execute();
    if (channel?.active !== 1) {
      await fail('channel inactive');
      return { status: 'skipped', reason: 'channel inactive' };
    }
    // A retry keeps the place it took; a summary takes its place when it is made.
    if (n.sent_at === null && !(await takeSlot(db, channel.id, n.id, options.windowMs)))
      return { status: 'done' };
    const error = await post(channel, n, { timeoutMs: options.timeoutMs, signal });
    const attempts = n.attempts + 1;
    if (error === null) {
      await db.kysely
        .updateTable('notifications')
        .set({ status: 'sent', attempts, last_error: null })
        .where('id', '=', n.id)
        .execute();
      return { status: 'done' };
    }
    const last = job.attempts >= job.max_attempts;
    await db.kysely
      .updateTable('notifications')
      .set({ status: last ? 'failed' : 'pending', attempts, last_error: error })
      .where('id', '=', n.id)
      .execute();
    if (last) return { status: 'failed', error };
    return { status: 'retry', error, delayMs: options.retryBaseMs * attempts };
  };
}

/** When the window allows: one "N more alerts" message for the notifications held back. */
export function notificationSummaryJob(db: Db, options: NotifyOptions): JobHandler {
  return async (payload) => {
    const { channelId } = payload as { channelId: string };
    const made = await db.transaction(async (tx) => {
      const held = await tx
        .selectFrom('notifications')
        .select(['id', 'severity'])
        .where('channel_id', '=', channelId)
        .where('status', '=', 'suppressed')
        .execute();
      if (held.length === 0) return null;
      const channel = await lockChannel(db, tx, channelId);
      const { used, nextFree } = await windowUse(tx, channelId, options.windowMs);
      if (used >= (channel?.rate_per_minute ?? 0)) {
        await summaryLater(tx, channelId, nextFree);
        return null;
      }
      const worst = held.reduce(
        (w, h) => ((RANK[h.severity] ?? 0) > (RANK[w] ?? 0) ? h.severity : w),
        'info',
      );
      const now = nowIso();
      const row: NotificationsTable = {
        id: newId(),
        channel_id: channelId,
        dedupe_key: `summary:${newId()}`,
        severity: worst,
        title: `${held.length} more alerts`,
        body: `${held.length} more alerts were held back by the rate limit of this channel; see Takt for details.`,
        status: 'pending',
        attempts: 0,
        last_error: null,
        summary_of: held.length,
        created_at: now,
        sent_at: now,
        alert_id: null,
        alert_kind: 'summary',
        payload: null,
      };
      await tx.insertInto('notifications').values(row).execute();
      await tx
        .updateTable('notifications')
        .set({ status: 'summarised' })
        .where(
          'id',
          'in',
          held.map((h) => h.id),
        )
        .execute();
      await sendJob(tx, row, `notify-summary-send:${row.id}`);
      return row;
    });
    return made ? { status: 'done' } : { status: 'skipped', reason: 'nothing held' };
  };
}
