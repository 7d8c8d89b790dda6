import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { Db, type Tx } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

/** What the cache holds; each namespace is invalidated on its own. */
export type CacheNamespace = 'items' | 'settings' | 'roles' | 'sessions';

type Handle = Db | Kysely<Database> | Tx;

export interface CacheOptions {
  /** Entries kept at most (least recently used go first). */
  readonly max?: number;
  /** Longest time an entry is served, in ms; bounds staleness should an invalidation be lost. */
  readonly ttlMs?: number;
}

export interface GetOptions<T> {
  /** Serves this entry at most this long (ms) instead of the cache's TTL. */
  readonly ttlMs?: number;
  /** Keeps a loaded value only when this says so (say, not a miss). */
  readonly keep?: (value: T) => boolean;
  /**
   * Stores the value frozen and hands out that very object instead of a copy: for flat values whose
   * readers only read.
   */
  readonly frozen?: boolean;
}

export interface CacheStats {
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
  readonly invalidations: number;
  readonly shared: boolean;
}

const CHANNEL = 'takt:cache';
const ALL = '\u0000all';

interface Message {
  readonly origin: string;
  readonly ns: CacheNamespace;
  readonly key: string;
}

/**
 * In-process master-data cache: a bounded LRU with a TTL. Writers invalidate an entry once their
 * transaction commits (a rolled-back write invalidates nothing); with Redis the invalidation is
 * broadcast so every process drops the entry. A load that overlaps an invalidation of its namespace
 * is returned but not stored, so a reader never caches a value read before the commit.
 */
export class Cache {
  readonly #lru: LRUCache<string, { readonly value: unknown }>;
  readonly #generation = new Map<CacheNamespace, number>();
  readonly #origin = randomUUID();
  #pub: Redis | null = null;
  #sub: Redis | null = null;
  #hits = 0;
  #misses = 0;
  #invalidations = 0;

  constructor(options: CacheOptions = {}) {
    this.#lru = new LRUCache({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 5 * 60_000 });
  }

  /** Broadcasts invalidations to (and receives them from) every process sharing this Redis. */
  async share(redisUrl: string): Promise<void> {
    if (this.#pub) return;
    this.#pub = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    this.#sub = new Redis(redisUrl);
    this.#sub.on('message', (_channel: string, raw: string) => {
      const m = JSON.parse(raw) as Message;
      if (m.origin !== this.#origin) this.#drop(m.ns, m.key);
    });
    await this.#sub.subscribe(CHANNEL);
    // Anything cached before the subscription took effect may have missed an invalidation.
    this.clear();
  }

  /** The cached value of `ns`/`key`, loaded on a miss. Reads inside a transaction bypass the cache. */
  async get<T>(
    q: Handle,
    ns: CacheNamespace,
    key: string,
    load: () => Promise<T>,
    options: GetOptions<T> = {},
  ): Promise<T> {
    if (isTransaction(q)) return load();
    const id = `${ns}\u0000${key}`;
    const hit = this.#lru.get(id);
    if (hit) {
      this.#hits++;
      return copyOf(hit.value) as T;
    }
    this.#misses++;
    const generation = this.#generation.get(ns) ?? 0;
    const value = await load();
    if ((this.#generation.get(ns) ?? 0) === generation && (options.keep?.(value) ?? true)) {
      const stored = options.frozen ? Object.freeze(value) : copyOf(value);
      this.#lru.set(id, { value: stored }, { ttl: options.ttlMs });
    }
    return value;
  }

  /**
   * Drops `ns`/`key` (or the whole namespace without a key) here and in every other process, once
   * the transaction `q` commits; outside a transaction at once.
   */
  invalidate(q: Handle, ns: CacheNamespace, key?: string): void {
    const db = Db.of(q);
    if (db) db.afterCommit(q, () => this.invalidateNow(ns, key));
    else this.invalidateNow(ns, key);
  }

  /** Drops `ns`/`key` (or the whole namespace) here and in every other process, now. */
  invalidateNow(ns: CacheNamespace, key?: string): void {
    this.#drop(ns, key ?? ALL);
    if (this.#pub) {
      const message: Message = { origin: this.#origin, ns, key: key ?? ALL };
      this.#pub.publish(CHANNEL, JSON.stringify(message)).catch(() => {
        // Redis away: other processes fall back on the entry TTL.
      });
    }
  }

  /** Drops `ns`/`key` in this process only (an entry this process knows to be outdated). */
  forget(ns: CacheNamespace, key: string): void {
    this.#drop(ns, key);
  }

  clear(): void {
    this.#lru.clear();
    for (const ns of this.#generation.keys()) this.#generation.set(ns, (this.#generation.get(ns) ?? 0) + 1);
  }

  stats(): CacheStats {
    return {
      size: this.#lru.size,
      hits: this.#hits,
      misses: this.#misses,
      invalidations: this.#invalidations,
      shared: this.#pub !== null,
    };
  }

  async close(): Promise<void> {
    live.delete(this);
    this.#sub?.disconnect();
    this.#pub?.disconnect();
    this.#sub = null;
    this.#pub = null;
  }

  #drop(ns: CacheNamespace, key: string): void {
    this.#invalidations++;
    this.#generation.set(ns, (this.#generation.get(ns) ?? 0) + 1);
    if (key === ALL) {
      const prefix = `${ns}\u0000`;
      for (const id of [...this.#lru.keys()]) if (id.startsWith(prefix)) this.#lru.delete(id);
    } else this.#lru.delete(`${ns}\u0000${key}`);
  }
}

/** A copy a caller may change freely; frozen values and primitives are handed out as they are. */
function copyOf(value: unknown): unknown {
  return typeof value !== 'object' || value === null || Object.isFrozen(value)
    ? value
    : structuredClone(value);
}

function isTransaction(q: Handle): boolean {
  return !(q instanceof Db) && q.isTransaction;
}

const caches = new WeakMap<Db, Cache>();
const live = new Set<Cache>();

/**
 * For a handle no Db claims (never expected): reads go to the database, and an invalidation drops the
 * entry in every cache of this process.
 */
class UnboundCache extends Cache {
  override async get<T>(
    _q: Handle,
    _ns: CacheNamespace,
    _key: string,
    load: () => Promise<T>,
    _options?: GetOptions<T>,
  ): Promise<T> {
    return load();
  }
  override invalidate(_q: Handle, ns: CacheNamespace, key?: string): void {
    for (const cache of live) cache.invalidateNow(ns, key);
  }
}
const unbound = new UnboundCache({ max: 1 });

/** The cache of a database (one per Db, so separate runtimes in one process never share entries). */
export function cacheOf(q: Handle): Cache {
  const db = Db.of(q);
  if (!db) return unbound;
  let cache = caches.get(db);
  if (!cache) {
    cache = new Cache();
    caches.set(db, cache);
    live.add(cache);
  }
  return cache;
}
