import type { DomainEvent } from '@takt/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import type { EventBus } from './bus.ts';
import { toDomainEvent } from './outbox.ts';

interface Client {
  readonly reply: FastifyReply;
  readonly topics: ReadonlySet<string> | null;
}

function topicOf(type: string): string {
  const dot = type.indexOf('.');
  return dot < 0 ? type : type.slice(0, dot);
}

function frame(event: DomainEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Server-Sent Events for the live UI. Events come from the bus (so they reach clients of every process);
 * a reconnecting client sends Last-Event-ID and gets what it missed from the outbox.
 */
export class SseHub {
  readonly #clients = new Set<Client>();
  readonly #db: Db;
  readonly #metrics: Metrics;
  readonly #unsubscribe: () => void;
  readonly #ping: NodeJS.Timeout;

  constructor(db: Db, bus: EventBus, metrics: Metrics, pingMs = 15_000) {
    this.#db = db;
    this.#metrics = metrics;
    this.#unsubscribe = bus.subscribe((e) => this.broadcast(e));
    this.#ping = setInterval(() => {
      for (const c of this.#clients) c.reply.raw.write(': ping\n\n');
    }, pingMs);
    this.#ping.unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  broadcast(event: DomainEvent): void {
    const topic = topicOf(event.type);
    let data: string | null = null;
    for (const c of this.#clients) {
      if (c.topics && !c.topics.has(topic)) continue;
      data ??= frame(event);
      c.reply.raw.write(data);
    }
  }

  async handle(request: FastifyRequest, reply: FastifyReply, topicsParam: string | undefined): Promise<void> {
    const topics = topicsParam
      ? new Set(
          topicsParam
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        )
      : null;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    raw.write('retry: 3000\n\n');
    const client: Client = { reply, topics };
    const lastId = Number(request.headers['last-event-id']);
    if (Number.isInteger(lastId) && lastId > 0) {
      const missed = await this.#db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('seq', '>', lastId)
        .where('dispatched_at', 'is not', null)
        .orderBy('seq')
        .limit(1000)
        .execute();
      for (const row of missed) {
        const e = toDomainEvent(row);
        if (!topics || topics.has(topicOf(e.type))) raw.write(frame(e));
      }
    }
    raw.write(`event: ready\ndata: ${JSON.stringify({ topics: topics ? [...topics] : null })}\n\n`);
    this.#clients.add(client);
    this.#metrics.sseClients.set(this.#clients.size);
    request.raw.on('close', () => {
      this.#clients.delete(client);
      this.#metrics.sseClients.set(this.#clients.size);
    });
  }

  close(): void {
    clearInterval(this.#ping);
    this.#unsubscribe();
    for (const c of this.#clients) c.reply.raw.end();
    this.#clients.clear();
  }
}
