import type { DomainEvent } from '@takt/contracts';
import { prepared } from '../db/compiled.ts';
import type { Tx } from '../db/database.ts';
import { deferWrites } from '../db/pg-pipeline.ts';
import type { OutboxTable } from '../db/schema.ts';
import type { Ctx } from '../context.ts';
import { newId, nowIso } from '../ids.ts';

export interface NewEvent {
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly data: unknown;
}

const insertEvent = prepared(
  (
    db,
    id: string,
    type: string,
    aggregateType: string,
    aggregateId: string,
    data: string,
    occurredAt: string,
    requestId: string | null,
  ) =>
    db.insertInto('outbox').values({
      id,
      type,
      aggregate_type: aggregateType,
      aggregate_id: aggregateId,
      data,
      occurred_at: occurredAt,
      request_id: requestId,
      dispatched_at: null,
    }),
);

/**
 * Appends a domain event in the caller's transaction: it leaves the system only if the change commits.
 * Write the aggregate's row before appending its event, so that on PostgreSQL the row lock orders the
 * sequence numbers of one aggregate's events the same way as their commits.
 */
export async function appendEvent(tx: Tx, ctx: Ctx | null, event: NewEvent): Promise<string> {
  const id = newId();
  // Sent with the next statement that waits, or with the COMMIT (pg-pipeline.ts).
  await deferWrites(() =>
    insertEvent.all(
      tx,
      id,
      event.type,
      event.aggregateType,
      event.aggregateId,
      JSON.stringify(event.data ?? null),
      nowIso(),
      ctx?.requestId ?? null,
    ),
  );
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
