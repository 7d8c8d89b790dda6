import type { DomainEvent } from '@takt/contracts';
import { Redis } from 'ioredis';

/** Fan-out of committed events to every process (SSE hubs, caches). Delivery here is best-effort live push. */
export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
  subscribe(handler: (event: DomainEvent) => void): () => void;
  close(): Promise<void>;
  readonly kind: 'local' | 'redis';
}

export class LocalBus implements EventBus {
  readonly kind = 'local' as const;
  readonly #handlers = new Set<(event: DomainEvent) => void>();
  async publish(event: DomainEvent): Promise<void> {
    for (const h of this.#handlers) h(event);
  }
  subscribe(handler: (event: DomainEvent) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }
  async close(): Promise<void> {
    this.#handlers.clear();
  }
}

const CHANNEL = 'takt:events';

/** Redis pub/sub: an event dispatched by any process reaches the SSE clients of all processes. */
export class RedisBus implements EventBus {
  readonly kind = 'redis' as const;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #handlers = new Set<(event: DomainEvent) => void>();
  readonly #ready: Promise<unknown>;

  constructor(url: string) {
    this.#pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.#sub = new Redis(url, { lazyConnect: false });
    this.#ready = this.#sub.subscribe(CHANNEL);
    this.#sub.on('message', (_channel: string, message: string) => {
      const event = JSON.parse(message) as DomainEvent;
      for (const h of this.#handlers) h(event);
    });
  }

  async ready(): Promise<void> {
    await this.#ready;
  }

  async publish(event: DomainEvent): Promise<void> {
    await this.#pub.publish(CHANNEL, JSON.stringify(event));
  }

  subscribe(handler: (event: DomainEvent) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.#handlers.clear();
    this.#sub.disconnect();
    this.#pub.disconnect();
  }
}
