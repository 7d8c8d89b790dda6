import type { DomainEvent } from '@takt/contracts';
import { AckPolicy, type JetStreamClient, type NatsConnection, connect, headers } from 'nats';
import { type Broker, type BrokerOptions, type InboundHandler, bodyId, parseBody } from './broker.ts';

/** NATS JetStream: a stream on `takt.>`; `Nats-Msg-Id` = event id lets the stream drop re-publishes. */
export class NatsBroker implements Broker {
  readonly kind = 'nats' as const;
  readonly #url: URL;
  readonly #o: Required<BrokerOptions>;
  #conn: Promise<{ nc: NatsConnection; js: JetStreamClient }> | null = null;
  #closed = false;

  constructor(url: string, options: Required<BrokerOptions>) {
    this.#url = new URL(url);
    this.#o = options;
  }

  #connect(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    this.#conn ??= (async () => {
      const u = this.#url;
      const nc = await connect({
        servers: `${u.hostname}:${u.port || 4222}`,
        ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
        timeout: 3000,
        maxReconnectAttempts: -1,
      });
      const jsm = await nc.jetstreamManager();
      const subjects = [`${this.#o.subjectPrefix}.>`];
      try {
        const info = await jsm.streams.info(this.#o.stream);
        if (!info.config.subjects?.includes(subjects[0]!))
          await jsm.streams.update(this.#o.stream, {
            subjects: [...(info.config.subjects ?? []), ...subjects],
          });
      } catch {
        await jsm.streams.add({ name: this.#o.stream, subjects });
      }
      return { nc, js: nc.jetstream() };
    })().catch((err: unknown) => {
      this.#conn = null;
      throw err;
    });
    return this.#conn;
  }

  async publish(event: DomainEvent): Promise<void> {
    const { js } = await this.#connect();
    const h = headers();
    h.set('Takt-Event-Type', event.type);
    h.set('Takt-Seq', String(event.seq));
    await js.publish(`${this.#o.subjectPrefix}.${event.type}`, JSON.stringify(event), {
      msgID: event.id,
      headers: h,
      timeout: 5000,
    });
  }

  async consume(handler: InboundHandler, onError: (err: unknown) => void): Promise<void> {
    const { nc, js } = await this.#connect();
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.add(this.#o.stream, {
      durable_name: this.#o.consumer,
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${this.#o.inboundPrefix}.>`,
      ack_wait: 30_000_000_000,
    });
    const consumer = await js.consumers.get(this.#o.stream, this.#o.consumer);
    const messages = await consumer.consume({ max_messages: 20 });
    const prefix = `${this.#o.inboundPrefix}.`;
    void (async () => {
      for await (const m of messages) {
        try {
          const body = parseBody(m.data);
          const id = m.headers?.get('Nats-Msg-Id') || bodyId(body) || `nats:${m.info.streamSequence}`;
          const verdict = await handler({ id, type: m.subject.slice(prefix.length), body });
          if (verdict === 'ack') m.ack();
          else m.nak(5000);
        } catch (err) {
          onError(err);
          m.nak(5000);
        }
      }
    })().catch(onError);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const conn = this.#conn;
    this.#conn = null;
    if (conn) await (await conn.catch(() => null))?.nc.drain().catch(() => {});
  }
}
