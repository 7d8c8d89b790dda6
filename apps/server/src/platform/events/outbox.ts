import type { DomainEvent } from '@takt/contracts';
import type { Tx } from '../db/database.ts';
import type { OutboxTable } from '../db/schema.ts';
import type { Ctx } from '../context.ts';
import { newId, nowIso } from '../ids.ts';

export interface NewEvent {
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly data: unknown;
}

/**
 * Appends a domain event in the caller's transaction: it leaves the system only if the change commits.
 * Write the aggregate's row before appending its event, so that on PostgreSQL the row lock orders the
 * sequence numbers of one aggregate's events the same way as their commits.
 */
export async function appendEvent(tx: Tx, ctx: Ctx | null, event: NewEvent): Promise<string> {
  const id = newId();
  await tx
    .insertInto('outbox')
    .values({
      id,
      type: event.type,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      data: JSON.stringify(event.data ?? null),
      occurred_at: nowIso(),
      request_id: ctx?.requestId ?? null,
      dispatched_at: null,
    })
    .execute();
  return id;
}

export function toDomainEvent(row: Omit<OutboxTable, 'seq'> & { seq: number }): DomainEvent {
  return {
    id: row.id,
    seq: Number(row.seq),
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data) as unknown,
  };
}
