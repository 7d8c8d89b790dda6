import type { DomainEvent } from '@takt/contracts';

/**
 * A message broker beside the outbox: every committed event is published (at least once, in outbox
 * order, with the event id as the message id so the broker or the consumer drops duplicates), and
 * inbound messages are handed to a handler that acknowledges them only once they are processed.
 */
export interface InboundMessage {
  /** The sender's message id: `Nats-Msg-Id` / AMQP `messageId`, else the body's `id`. */
  readonly id: string;
  readonly type: string;
  readonly body: unknown;
}

/** `ack`: done (or refused for good); `retry`: a passing failure, deliver it again later. */
export type InboundHandler = (message: InboundMessage) => Promise<'ack' | 'retry'>;

export interface Broker {
  readonly kind: 'nats' | 'amqp';
  publish(event: DomainEvent): Promise<void>;
  /** Starts consuming inbound messages in the background until close(). */
  consume(handler: InboundHandler, onError: (err: unknown) => void): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** NATS: the JetStream stream holding `takt.>`. */
  readonly stream?: string;
  /** NATS: outbound subjects are `<prefix>.<event type>`. */
  readonly subjectPrefix?: string;
  /** NATS: inbound subjects are `<inboundPrefix>.<message type>`. */
  readonly inboundPrefix?: string;
  /** NATS: the durable consumer of inbound messages. */
  readonly consumer?: string;
  /** AMQP: the topic exchange events go to (routing key = event type). */
  readonly exchange?: string;
  /** AMQP: the queue inbound messages are read from (message `type` property = message type). */
  readonly inboundQueue?: string;
}

export const BROKER_DEFAULTS = {
  stream: 'TAKT',
  subjectPrefix: 'takt',
  inboundPrefix: 'takt.inbound',
  consumer: 'takt-inbound',
  exchange: 'takt.events',
  inboundQueue: 'takt.inbound',
} as const satisfies Required<BrokerOptions>;

export function brokerKind(url: string): 'nats' | 'amqp' | null {
  if (/^nats:\/\//.test(url)) return 'nats';
  if (/^amqps?:\/\//.test(url)) return 'amqp';
  return null;
}

export async function createBroker(url: string, options: BrokerOptions = {}): Promise<Broker> {
  const o = { ...BROKER_DEFAULTS, ...options };
  const kind = brokerKind(url);
  if (kind === 'nats') return new (await import('./nats.ts')).NatsBroker(url, o);
  if (kind === 'amqp') return new (await import('./amqp.ts')).AmqpBroker(url, o);
  throw new Error(`Unsupported broker URL ${url}`);
}

/** Reads a JSON body; a message that is not JSON is still handed on (its type decides). */
export function parseBody(raw: Uint8Array | Buffer): unknown {
  const text = Buffer.from(raw).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function bodyId(body: unknown): string | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null;
}
