import type { DomainEvent } from '@takt/contracts';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { releaseLease, tryAcquireLease } from '../lease.ts';
import type { EventBus } from './bus.ts';
import { toDomainEvent } from './outbox.ts';

export type EventHandler = (event: DomainEvent) => Promise<void>;

interface Subscription {
  readonly pattern: string;
  readonly name: string;
  readonly handler: EventHandler;
}

function matches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/**
 * Delivers committed outbox events, in sequence order, to in-process subscribers and to the bus
 * (which feeds SSE in every process). At least once: an event is marked dispatched only after every
 * subscriber took it; a failing subscriber holds back that event and the ones after it, then retries.
 * Across processes a database lease makes one dispatcher active at a time.
 */
export class OutboxDispatcher {
  readonly #db: Db;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #holder: string;
  readonly #subs: Subscription[] = [];
  readonly #batch: number;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #stopped = true;
  #again = false;
  #leaseUntil = 0;
  #standbyUntil = 0;
  #failures = 0;

  constructor(
    db: Db,
    bus: EventBus,
    log: Logger,
    options: { holder: string; batch?: number; pollMs?: number },
  ) {
    this.#db = db;
    this.#bus = bus;
    this.#log = log;
    this.#holder = options.holder;
    this.#batch = options.batch ?? 500;
    this.#pollMs = options.pollMs ?? 250;
  }

  /** Subscribers must be idempotent by event id: an event may arrive twice after a crash. */
  subscribe(name: string, pattern: string, handler: EventHandler): void {
    this.#subs.push({ name, pattern, handler });
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#running) await new Promise((r) => setTimeout(r, 10));
    // Hand over at once rather than after the lease expires.
    if (this.#leaseUntil > Date.now()) {
      await releaseLease(this.#db, 'outbox-dispatcher', this.#holder).catch(() => {});
      this.#leaseUntil = 0;
    }
  }

  /** Called after each commit: deliver soon rather than at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#loop(), ms);
    this.#timer.unref();
  }

  async #loop(): Promise<void> {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    let next = this.#pollMs;
    try {
      let n: number;
      do {
        this.#again = false;
        n = await this.tick();
      } while ((n === this.#batch || this.#again) && !this.#stopped);
      this.#failures = 0;
    } catch (err) {
      this.#failures++;
      next = Math.min(30_000, this.#pollMs * 2 ** Math.min(this.#failures, 7));
      this.#log.error({ err, retryInMs: next }, 'outbox dispatch failed');
    } finally {
      this.#running = false;
    }
    this.#schedule(next);
  }

  /** Processes one batch; returns how many events were dispatched. */
  async tick(): Promise<number> {
    if (Date.now() > this.#leaseUntil - 2000) {
      // Another process dispatches: stand by instead of contending for the lease on every commit.
      if (Date.now() < this.#standbyUntil) return 0;
      const ok = await tryAcquireLease(this.#db, 'outbox-dispatcher', this.#holder, 10_000);
      if (!ok) {
        this.#standbyUntil = Date.now() + 2000;
        return 0;
      }
      this.#leaseUntil = Date.now() + 10_000;
    }
    const rows = await this.#db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('dispatched_at', 'is', null)
      .orderBy('seq')
      .limit(this.#batch)
      .execute();
    if (rows.length === 0) return 0;
    const done: number[] = [];
    try {
      for (const row of rows) {
        const event = toDomainEvent(row);
        for (const sub of this.#subs) {
          if (matches(sub.pattern, event.type)) await sub.handler(event);
        }
        await this.#bus.publish(event).catch((err: unknown) => {
          // Live push is best effort: SSE clients catch up from the outbox with Last-Event-ID.
          this.#log.warn({ err, event: event.id }, 'bus publish failed');
        });
        done.push(event.seq);
      }
    } finally {
      if (done.length > 0) {
        const at = new Date().toISOString();
        await this.#db.kysely
          .updateTable('outbox')
          .set({ dispatched_at: at })
          .where('seq', 'in', done)
          .execute();
      }
    }
    return done.length;
  }
}
