/**
 * Server-Sent Events at GET /api/v1/events?topics=a,b
 * Each message: `id: <outbox seq>`, `event: <event type, e.g. item.created>`, `data: <DomainEvent JSON>`.
 * A `ready` event is sent on connect; comment lines (`: ping`) keep the connection alive every 15 s.
 * Topics filter by the event type prefix before the first dot (`item`, `job`, `workorder`); absent = all.
 */
export interface DomainEvent<T = unknown> {
  id: string;
  seq: number;
  type: string;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  data: T;
}
