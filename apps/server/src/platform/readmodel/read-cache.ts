import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/database.ts';
import { readTableLinks } from '../db/table-links.ts';
import { ReadSet, type TableVersions, tokenWrite, trackReads } from '../db/table-versions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The answer of this GET may be kept and given again to the same caller until a table it read
     * changes or `readCacheTtlMs` passes (for answers that also depend on the clock).
     */
    readCache?: boolean;
  }
}

export interface ReadCacheOptions {
  /** Upper bound on the age of a kept answer; 0 turns the read cache off. */
  readonly ttlMs: number;
  readonly maxBytes?: number;
}

interface Kept {
  /** Encoded once: a hit writes these bytes as they are. */
  readonly body: Buffer;
  readonly type: string;
  /** Tables read in full, and tables only looked up by key (see table-versions.ts). */
  readonly tables: readonly string[];
  readonly lookedUp: readonly string[];
  readonly epoch: number;
}

interface Pending {
  readonly key: string;
  readonly epoch: number;
  readonly reads: ReadSet;
}

const kPending = Symbol('readCache');
type WithPending = FastifyRequest & { [kPending]?: Pending };

/**
 * Answers repeated reads without running them again, as long as nothing they read has changed.
 *
 * A route opts in with `config.readCache`. The first answer is computed as usual while every table its
 * queries touch is noted (table-versions.ts sees every statement); it is kept by caller and URL with
 * the clock it started at. A later identical request gets the kept body if none of those tables was
 * written since (in this process or, with Redis, in any process) and it is younger than the TTL.
 * Permissions are checked before (onRequest); per-caller keys keep answers that depend on the caller
 * apart. `Cache-Control: no-cache` from the client skips the lookup.
 */
export class ReadCache {
  readonly #versions: TableVersions;
  readonly #kept: LRUCache<string, Kept>;
  #hits = 0;
  #misses = 0;

  constructor(versions: TableVersions, options: ReadCacheOptions) {
    this.#versions = versions;
    this.#kept = new LRUCache<string, Kept>({
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (k) => k.body.length + 200,
      ttl: options.ttlMs,
    });
  }

  get stats(): { hits: number; misses: number; entries: number; bytes: number } {
    return {
      hits: this.#hits,
      misses: this.#misses,
      entries: this.#kept.size,
      bytes: this.#kept.calculatedSize,
    };
  }

  lookup(key: string): Kept | null {
    const kept = this.#kept.get(key);
    if (kept && !this.#versions.staleSince(kept.tables, kept.lookedUp, kept.epoch)) {
      this.#hits++;
      return kept;
    }
    if (kept) this.#kept.delete(key);
    this.#misses++;
    return null;
  }

  keep(key: string, kept: Kept): void {
    // Something it read changed while it was being computed: it is already stale.
    if (this.#versions.staleSince(kept.tables, kept.lookedUp, kept.epoch)) return;
    this.#kept.set(key, kept);
  }

  clear(): void {
    this.#kept.clear();
  }
}

function keyOf(request: FastifyRequest): string | null {
  const actor = request.ctx?.actor;
  if (!actor || actor.id === null) return null;
  return `${actor.type}:${actor.id}\u0000${request.url}`;
}

/**
 * Keeps answers: call before compression is registered, so that the plain JSON body is what is kept
 * (the onSend hooks run in registration order).
 */
export function registerReadCacheKeeper(app: FastifyInstance, cache: ReadCache): void {
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    const pending = (request as WithPending)[kPending];
    if (pending && reply.statusCode === 200 && typeof payload === 'string') {
      // Encoded once: the same bytes are kept and sent (Fastify then needs no second encoding).
      const body = Buffer.from(payload);
      cache.keep(pending.key, {
        body,
        type: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        tables: [...pending.reads.full],
        lookedUp: pending.reads.onlyLookedUp(),
        epoch: pending.epoch,
      });
      return done(null, body);
    }
    done(null, payload);
  });
}

/**
 * Serves kept answers: call after the authentication and rate-limit hooks are registered. Once the
 * app is ready the database's foreign keys are known, and answers that only look rows up along them
 * outlive rows added to those tables.
 */
export function registerReadCacheLookup(app: FastifyInstance, cache: ReadCache, db: Db): void {
  const versions = db.versions;
  app.addHook('onReady', async () => {
    versions.learn(await readTableLinks(db.kysely, db.dialect));
  });
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (request.method !== 'GET' || request.routeOptions.config.readCache !== true) return done();
    const key = keyOf(request);
    if (key === null) return done();
    const noCache = /\bno-cache\b/.test(request.headers['cache-control'] ?? '');
    const kept = noCache ? null : cache.lookup(key);
    if (kept) {
      reply.header('content-type', kept.type).header('x-read-cache', 'hit');
      reply.send(kept.body);
      return;
    }
    reply.header('x-read-cache', 'miss');
    const pending: Pending = { key, epoch: versions.epoch, reads: new ReadSet() };
    (request as WithPending)[kPending] = pending;
    // The handler runs inside this scope: every table its queries read is noted.
    trackReads(pending.reads, done);
  });
}

/**
 * Shares table changes with every process on the same Redis, so their kept answers go stale too.
 * A message carries the write tokens (`+table` for rows only added) and, for processes that know no
 * tokens, the plain table names, which they take as changes.
 */
export class VersionBroadcast {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  readonly #queued = new Set<string>();
  #scheduled = false;
  readonly #off: () => void;

  private constructor(versions: TableVersions, redisUrl: string) {
    this.#pub = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    this.#sub = new Redis(redisUrl);
    this.#sub.on('message', (_channel: string, raw: string) => {
      const m = JSON.parse(raw) as { origin: string; tables: string[]; writes?: string[] };
      if (m.origin !== this.#origin) versions.bump(m.writes ?? m.tables, true);
    });
    // After a reconnection, changes may have been missed: nothing kept before can be trusted.
    this.#sub.on('ready', () => versions.bumpAll());
    this.#off = versions.onBump((writes) => {
      for (const t of writes) this.#queued.add(t);
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        const writes = [...this.#queued];
        this.#queued.clear();
        const tables = [...new Set(writes.map((w) => tokenWrite(w).table))];
        this.#pub
          .publish(CHANNEL, JSON.stringify({ origin: this.#origin, tables, writes }))
          .catch(() => versions.bumpAll());
      });
    });
  }

  static async start(db: Db, redisUrl: string): Promise<VersionBroadcast> {
    const b = new VersionBroadcast(db.versions, redisUrl);
    await b.#sub.subscribe(CHANNEL);
    db.versions.bumpAll();
    return b;
  }

  async close(): Promise<void> {
    this.#off();
    this.#sub.disconnect();
    await this.#pub.quit().catch(() => undefined);
  }
}

const CHANNEL = 'takt:table-versions';
