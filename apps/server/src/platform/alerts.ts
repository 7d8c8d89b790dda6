import { recordAudit } from './audit.ts';
import type { Db, Tx } from './db/database.ts';
import type { AlertsTable } from './db/schema-shopfloor.ts';
import type { Ctx } from './context.ts';
import { notFound } from './errors.ts';
import { appendEvent } from './events/outbox.ts';
import { newId, nowIso } from './ids.ts';

export interface NewAlert {
  readonly severity: AlertsTable['severity'];
  readonly kind: string;
  readonly title: string;
  readonly detail?: string;
  readonly entityType?: string;
  readonly entityId?: string;
  /** One open alert per key: raising the same problem again does not flood anyone. */
  readonly dedupeKey?: string;
}

/**
 * Raises an in-app alert in the caller's transaction and emits `alert.raised`, which the live UI and
 * the notification channels consume. Returns null when an alert with the same dedupe key exists.
 */
export async function raiseAlert(tx: Tx, ctx: Ctx | null, alert: NewAlert): Promise<string | null> {
  const id = newId();
  const res = await tx
    .insertInto('alerts')
    .values({
      id,
      severity: alert.severity,
      kind: alert.kind,
      title: alert.title,
      detail: alert.detail ?? '',
      entity_type: alert.entityType ?? null,
      entity_id: alert.entityId ?? null,
      dedupe_key: alert.dedupeKey ?? null,
      created_at: nowIso(),
      acknowledged_at: null,
      acknowledged_by: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return null;
  await appendEvent(tx, ctx, {
    type: 'alert.raised',
    aggregateType: 'alert',
    aggregateId: id,
    data: { id, ...alert },
  });
  return id;
}

/**
 * Acknowledges an alert: someone has seen it and is on it. Idempotent: the first acknowledgement's
 * time and person stay, also when two arrive at once; every call is audited (a repeat with no
 * change). An unknown id is NotFound. No event: the alert lists read the table.
 */
export async function acknowledgeAlert(db: Db, ctx: Ctx, id: string): Promise<AlertsTable> {
  return db.transaction(async (tx) => {
    let read = tx.selectFrom('alerts').selectAll().where('id', '=', id);
    // A second acknowledgement waits for the first, so its audit shows that nothing changed.
    if (db.dialect === 'postgres') read = read.forUpdate();
    const before = await read.executeTakeFirst();
    if (!before) throw notFound('Alert', id);
    await tx
      .updateTable('alerts')
      .set({ acknowledged_at: nowIso(), acknowledged_by: ctx.actor.login })
      .where('id', '=', id)
      .where('acknowledged_at', 'is', null)
      .execute();
    const after = await tx.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, { entityType: 'alert', entityId: id, action: 'acknowledge', before, after });
    return after;
  });
}
