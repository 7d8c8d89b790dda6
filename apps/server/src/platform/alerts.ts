import type { Tx } from './db/database.ts';
import type { AlertsTable } from './db/schema-shopfloor.ts';
import type { Ctx } from './context.ts';
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
