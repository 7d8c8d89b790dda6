import type { DomainEvent } from '@takt/contracts';
import amqp from 'amqplib';
import { type Broker, type BrokerOptions, type InboundHandler, bodyId, parseBody } from './broker.ts';

type Conn = Awaited<ReturnType<typeof amqp.connect>>;
type ConfirmChannel = Awaited<ReturnType<Conn['createConfirmChannel']>>;

/** RabbitMQ: a durable topic exchange, persistent messages, publisher confirms, `messageId` = event id. */
export class AmqpBroker implements Broker {
  readonly kind = 'amqp' as const;
  readonly #url: string;
  readonly #o: Required<BrokerOptions>;
  #conn: Promise<{ conn: Conn; ch: ConfirmChannel }> | null = null;
  #closed = false;

  constructor(url: string, options: Required<BrokerOptions>) {
    this.#url = url;
    this.#o = options;
  }

  #connect(): Promise<{ conn: Conn; ch: ConfirmChannel }> {
    this.#conn ??= (async () => {
      const conn = await amqp.connect(this.#url, { timeout: 3000 });
      const reset = () => {
        this.#conn = null;
      };
      conn.on('close', reset);
      conn.on('error', reset);
      const ch = await conn.createConfirmChannel();
      ch.on('error', reset);
      ch.on('close', reset);
      await ch.assertExchange(this.#o.exchange, 'topic', { durable: true });
      return { conn, ch };
    })().catch((err: unknown) => {
      this.#conn = null;
      throw err;
    });
    return this.#conn;
  }

  async publish(event: DomainEvent): Promise<void> {
    const { ch } = await this.#connect();
    await new Promise<void>((resolve, reject) => {
      ch.publish(
        this.#o.exchange,
        event.type,
        Buffer.from(JSON.stringify(event)),
        {
          messageId: event.id,
          type: event.type,
          persistent: true,
          contentType: 'application/json',
          timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
          headers: { 'takt-seq': event.seq },
        },
        (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
      );
    });
  }

  async consume(handler: InboundHandler, onError: (err: unknown) => void): Promise<void> {
    const { conn } = await this.#connect();
    const ch = await conn.createChannel();
    await ch.assertQueue(this.#o.inboundQueue, { durable: true });
    await ch.prefetch(20);
    await ch.consume(this.#o.inboundQueue, (m) => {
      if (!m) return;
      const body = parseBody(m.content);
      const id = (m.properties.messageId as string | undefined) || bodyId(body);
      const type =
        (m.properties.type as string | undefined) || (body as { type?: string } | null)?.type || '';
      if (!id) {
        onError(new Error('inbound message without messageId or body id: dropped'));
        ch.nack(m, false, false);
        return;
      }
      handler({ id, type, body })
        .then((verdict) => {
          if (verdict === 'ack') ch.ack(m);
          else setTimeout(() => ch.nack(m, false, true), 1000).unref();
        })
        .catch((err: unknown) => {
          onError(err);
          setTimeout(() => ch.nack(m, false, true), 1000).unref();
        });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const conn = this.#conn;
    this.#conn = null;
    const c = conn ? await conn.catch(() => null) : null;
    await c?.conn.close().catch(() => {});
  }
}
