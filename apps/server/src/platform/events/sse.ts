import type { DomainEvent } from '@takt/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import type { EventBus } from './bus.ts';
import { toDomainEvent } from './outbox.ts';

interface Client {
  readonly reply: FastifyReply;
  readonly topics: ReadonlySet<string> | null;
  /** The topics as one key (`*` for all): clients with the same filter share one text per flush. */
  readonly filter: string;
}

interface Pending {
  readonly topic: string;
  readonly frame: string;
}

/**
 * Bytes a stream may have waiting to be sent (the client reads no more: a tablet gone to sleep, a
 * dead connection on poor Wi-Fi) before it is closed; the browser reconnects with Last-Event-ID and
 * gets what it missed from the outbox instead of the server holding it.
 */
export const SSE_MAX_BUFFERED_BYTES = 1024 * 1024;

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
 *
 * Events broadcast in one turn of the event loop go out together at its end: one write per stream
 * with every frame it takes, not one per event and stream (a group commit of 40 terminal reports
 * with 100 supervisors watching was 4,000 socket writes). A stream whose client stopped reading is
 * closed once SSE_MAX_BUFFERED_BYTES wait for it.
 */
export class SseHub {
  readonly #clients = new Set<Client>();
  readonly #db: Db;
  readonly #metrics: Metrics;
  readonly #unsubscribe: () => void;
  readonly #ping: NodeJS.Timeout;
  #pending: Pending[] = [];
  #flush: NodeJS.Immediate | null = null;

  constructor(db: Db, bus: EventBus, metrics: Metrics, pingMs = 15_000) {
    this.#db = db;
    this.#metrics = metrics;
    this.#unsubscribe = bus.subscribe((e) => this.broadcast(e));
    this.#ping = setInterval(() => {
      for (const c of this.#clients) this.#write(c, ': ping\n\n');
    }, pingMs);
    this.#ping.unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  broadcast(event: DomainEvent): void {
    if (this.#clients.size === 0) return;
    this.#pending.push({ topic: topicOf(event.type), frame: frame(event) });
    this.#flush ??= setImmediate(() => this.flush());
  }

  /** Sends what was broadcast since the last flush (normally at the end of the loop turn). */
  flush(): void {
    if (this.#flush) clearImmediate(this.#flush);
    this.#flush = null;
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const texts = new Map<string, string>();
    for (const c of this.#clients) {
      let text = texts.get(c.filter);
      if (text === undefined) {
        text = '';
        for (const p of pending) if (!c.topics || c.topics.has(p.topic)) text += p.frame;
        texts.set(c.filter, text);
      }
      if (text) this.#write(c, text);
    }
  }

  #write(c: Client, text: string): void {
    const raw = c.reply.raw;
    if (raw.destroyed || raw.writableEnded) return;
    if (raw.writableLength > SSE_MAX_BUFFERED_BYTES) {
      // It would only grow: the client catches up from the outbox when it reconnects.
      this.#drop(c);
      raw.destroy();
      return;
    }
    raw.write(text);
  }

  #drop(c: Client): void {
    this.#clients.delete(c);
    this.#metrics.sseClients.set(this.#clients.size);
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
    const client: Client = { reply, topics, filter: topics ? [...topics].sort().join(',') : '*' };
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
    // Events broadcast before it joined go to the others first: it gets only those broadcast after.
    this.flush();
    this.#clients.add(client);
    this.#metrics.sseClients.set(this.#clients.size);
    request.raw.on('close', () => this.#drop(client));
  }

  close(): void {
    clearInterval(this.#ping);
    this.#unsubscribe();
    this.flush();
    for (const c of this.#clients) c.reply.raw.end();
    this.#clients.clear();
  }
}
