import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { Db, type Tx } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { noteRead } from '../db/table-versions.ts';

/** Master-data tables whose rows the cache holds by id, each in a namespace of the table's name. */
export const CACHED_TABLES = [
  'items',
  'warehouses',
  'locations',
  'work_centers',
  'machines',
  'calendars',
  'customers',
  'suppliers',
] as const;
export type CachedTable = (typeof CACHED_TABLES)[number];
/** Tables whose plain rows are cached (`items` holds whole items with their conversions instead). */
export type RowTable = Exclude<CachedTable, 'items'>;

/**
 * What the cache holds; each namespace is invalidated on its own. Besides rows by id: settings by
 * key, role permissions by role name, sessions by id, code rules and custom-field definitions by
 * entity.
 */
export type CacheNamespace = CachedTable | 'settings' | 'roles' | 'sessions' | 'code_rules' | 'custom_fields';

/** The namespace holding what was read from a table, for writers that know only the table. */
const NAMESPACE_OF: Readonly<Record<string, CacheNamespace>> = {
  ...Object.fromEntries(CACHED_TABLES.map((t) => [t, t])),
  code_rules: 'code_rules',
  custom_field_defs: 'custom_fields',
  identity_settings: 'settings',
};

type Handle = Db | Kysely<Database> | Tx;

export interface CacheOptions {
  /** Entries kept at most (least recently used go first). */
  readonly max?: number;
  /** Longest time an entry is served, in ms; bounds staleness should an invalidation be lost. */
  readonly ttlMs?: number;
  /**
   * Told when entries of `ns` (null: of every namespace) are dropped, here or by another process;
   * `created` when the dropped key had no row before (see invalidate).
   */
  readonly onDrop?: (ns: CacheNamespace | null, created: boolean) => void;
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
  readonly created?: true;
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

  readonly #onDrop: ((ns: CacheNamespace | null, created: boolean) => void) | undefined;

  constructor(options: CacheOptions = {}) {
    this.#onDrop = options.onDrop;
    this.#lru = new LRUCache({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 5 * 60_000 });
  }

  /** Broadcasts invalidations to (and receives them from) every process sharing this Redis. */
  async share(redisUrl: string): Promise<void> {
    if (this.#pub) return;
    this.#pub = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    this.#sub = new Redis(redisUrl);
    this.#sub.on('message', (_channel: string, raw: string) => {
      const m = JSON.parse(raw) as Message;
      if (m.origin !== this.#origin) this.#drop(m.ns, m.key, m.created === true && m.key !== ALL);
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
    if (isTransaction(q)) return noted(ns, await load());
    const id = `${ns}\u0000${key}`;
    const hit = this.#lru.get(id);
    if (hit) {
      this.#hits++;
      return noted(ns, copyOf(hit.value) as T);
    }
    this.#misses++;
    const generation = this.#generation.get(ns) ?? 0;
    const value = noted(ns, await load());
    if ((this.#generation.get(ns) ?? 0) === generation && (options.keep?.(value) ?? true)) {
      const stored = options.frozen ? Object.freeze(value) : copyOf(value);
      this.#lru.set(id, { value: stored }, { ttl: options.ttlMs });
    }
    return value;
  }

  /**
   * The cached values of `keys` in `ns`; the keys not cached are loaded together by `loadMany` (which
   * returns them by key; a key it leaves out is not found and not cached). Inside a transaction
   * everything is loaded.
   */
  async getMany<T>(
    q: Handle,
    ns: CacheNamespace,
    keys: readonly string[],
    loadMany: (keys: readonly string[]) => Promise<ReadonlyMap<string, T>>,
    options: Pick<GetOptions<T>, 'frozen'> = {},
  ): Promise<Map<string, T>> {
    const unique = [...new Set(keys)];
    if (isTransaction(q)) return notedMany(ns, unique, new Map(await loadMany(unique)));
    const out = new Map<string, T>();
    const missing: string[] = [];
    for (const key of unique) {
      const hit = this.#lru.get(`${ns}\u0000${key}`);
      if (hit) out.set(key, copyOf(hit.value) as T);
      else missing.push(key);
    }
    this.#hits += out.size;
    if (missing.length === 0) return notedMany(ns, unique, out);
    this.#misses += missing.length;
    const generation = this.#generation.get(ns) ?? 0;
    const loaded = await loadMany(missing);
    const keep = (this.#generation.get(ns) ?? 0) === generation;
    for (const [key, value] of loaded) {
      out.set(key, value);
      if (keep)
        this.#lru.set(`${ns}\u0000${key}`, { value: options.frozen ? Object.freeze(value) : copyOf(value) });
    }
    return notedMany(ns, unique, out);
  }

  /**
   * Drops the rows `ids` of `table` (every row of it without ids) here and in every other process
   * once `q` commits; nothing for a table the cache does not hold. For writers that change tables
   * by name (merges, sheet imports).
   */
  invalidateRows(q: Handle, table: string, ids?: readonly string[]): void {
    if (!Object.hasOwn(NAMESPACE_OF, table)) return;
    const ns = NAMESPACE_OF[table] as CacheNamespace;
    if (ids === undefined || ns !== table) this.invalidate(q, ns);
    else for (const id of ids) this.invalidate(q, ns, id);
  }

  /**
   * Drops `ns`/`key` (or the whole namespace without a key) here and in every other process, once
   * the transaction `q` commits; outside a transaction at once.
   *
   * `created` says the row of `key` did not exist before this transaction: the only entry it can
   * replace is a cached miss, so cached answers that found every entry they asked for stay current
   * (only those that met a miss are stale). Only for namespaces whose loaders return null or
   * undefined for a key without a row.
   */
  invalidate(q: Handle, ns: CacheNamespace, key?: string, how: 'changed' | 'created' = 'changed'): void {
    const db = Db.of(q);
    if (db) db.afterCommit(q, () => this.invalidateNow(ns, key, how));
    else this.invalidateNow(ns, key, how);
  }

  /** Drops `ns`/`key` (or the whole namespace) here and in every other process, now. */
  invalidateNow(ns: CacheNamespace, key?: string, how: 'changed' | 'created' = 'changed'): void {
    const created = how === 'created' && key !== undefined;
    this.#drop(ns, key ?? ALL, created);
    if (this.#pub) {
      const message: Message = {
        origin: this.#origin,
        ns,
        key: key ?? ALL,
        ...(created ? { created: true as const } : {}),
      };
      this.#pub.publish(CHANNEL, JSON.stringify(message)).catch(() => {
        // Redis away: other processes fall back on the entry TTL.
      });
    }
  }

  /** Drops `ns`/`key` in this process only (an entry this process knows to be outdated). */
  forget(ns: CacheNamespace, key: string): void {
    this.#drop(ns, key, false);
  }

  clear(): void {
    this.#onDrop?.(null, false);
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

  #drop(ns: CacheNamespace, key: string, created: boolean): void {
    this.#onDrop?.(ns, created);
    this.#invalidations++;
    this.#generation.set(ns, (this.#generation.get(ns) ?? 0) + 1);
    if (key === ALL) {
      const prefix = `${ns}\u0000`;
      for (const id of [...this.#lru.keys()]) if (id.startsWith(prefix)) this.#lru.delete(id);
    } else this.#lru.delete(`${ns}\u0000${key}`);
  }
}

/**
 * Notes in the current cached computation (read-cache.ts) that it used `ns`: as a lookup when an entry
 * was found (only a change to an entry can alter it), in full after a miss (a created row may fill it).
 */
function noted<T>(ns: CacheNamespace, value: T): T {
  noteRead(`cache:${ns}`, value === null || value === undefined ? 'full' : 'lookup');
  return value;
}

function notedMany<T>(ns: CacheNamespace, keys: readonly string[], found: Map<string, T>): Map<string, T> {
  noteRead(`cache:${ns}`, keys.every((k) => found.has(k)) ? 'lookup' : 'full');
  return found;
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
  override async getMany<T>(
    _q: Handle,
    _ns: CacheNamespace,
    keys: readonly string[],
    loadMany: (keys: readonly string[]) => Promise<ReadonlyMap<string, T>>,
  ): Promise<Map<string, T>> {
    return new Map(await loadMany([...new Set(keys)]));
  }
  override invalidate(
    _q: Handle,
    ns: CacheNamespace,
    key?: string,
    how: 'changed' | 'created' = 'changed',
  ): void {
    for (const cache of live) cache.invalidateNow(ns, key, how);
  }
}
const unbound = new UnboundCache({ max: 1 });

/**
 * Makes `db` read master data and settings from the database every time, never through a cache: for
 * a long-lived thread of its own (read-threads.ts), which the server's invalidations never reach.
 */
export function readThrough(db: Db): void {
  caches.set(db, unbound);
}

/** The cache of a database (one per Db, so separate runtimes in one process never share entries). */
export function cacheOf(q: Handle): Cache {
  const db = Db.of(q);
  if (!db) return unbound;
  let cache = caches.get(db);
  if (!cache) {
    cache = new Cache({
      onDrop: (ns, created) =>
        ns ? db.versions.bump([`${created ? '+' : ''}cache:${ns}`], true) : db.versions.bumpAll(),
    });
    caches.set(db, cache);
    live.add(cache);
  }
  return cache;
}

/**
 * The row `id` of a cached table, through the cache outside a transaction (inside one, `load` reads
 * it). The row is kept frozen and handed out as a shallow copy: rows are flat.
 */
export async function cachedRow<R extends object>(
  q: Handle,
  table: RowTable,
  id: string,
  load: () => Promise<R | undefined>,
): Promise<R | undefined> {
  const row = await cacheOf(q).get(q, table, id, load, { keep: (r) => r !== undefined, frozen: true });
  return row === undefined ? undefined : { ...row };
}

/** The rows `ids` of a cached table by id, the ones not cached loaded together by `loadMany`. */
export async function cachedRows<R extends { readonly id: string }>(
  q: Handle,
  table: RowTable,
  ids: readonly string[],
  loadMany: (ids: readonly string[]) => Promise<readonly R[]>,
): Promise<Map<string, R>> {
  const rows = await cacheOf(q).getMany(
    q,
    table,
    ids,
    async (missing) => new Map((await loadMany(missing)).map((r) => [r.id, r])),
    { frozen: true },
  );
  for (const [id, row] of rows) rows.set(id, { ...row });
  return rows;
}
