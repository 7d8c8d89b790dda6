import zlib from 'node:zlib';
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
  /**
   * The body as compressed for a client's `Accept-Encoding` (by that header's exact text: browsers
   * send one constant string), filled in by the first compressed answer: later hits send it as it is
   * instead of compressing the body again, which costs more than the rest of a hit.
   */
  readonly encoded: Map<string, { readonly encoding: string; readonly body: Buffer }>;
  readonly type: string;
  /** Tables read in full, and tables only looked up by key (see table-versions.ts). */
  readonly tables: readonly string[];
  readonly lookedUp: readonly string[];
  /** Partitions of tables read (see table-versions.ts, notePartitionRead). */
  readonly partitions: readonly string[];
  readonly epoch: number;
}

interface Pending {
  readonly key: string;
  readonly epoch: number;
  readonly reads: ReadSet;
  /** Tells requests waiting for this answer that it is there (or will not be). */
  readonly ended: () => void;
}

/** How long a request that misses waits for an identical one being computed before it computes itself. */
const WAIT_FOR_IDENTICAL_MS = 2_000;

const kPending = Symbol('readCache');
/** The kept answer a request was given or made, for the compressed copy (registerReadCacheCompressed). */
const kKept = Symbol('readCacheKept');
type WithPending = FastifyRequest & { [kPending]?: Pending; [kKept]?: Kept };

/** Compressed copies kept per answer (one per distinct `Accept-Encoding` text). */
const ENCODINGS_KEPT = 2;

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
  #compressedHits = 0;

  readonly #ttlMs: number;
  /** Answers being computed, by key: identical requests meanwhile wait for them instead of computing too. */
  readonly #computing = new Map<string, Promise<void>>();

  constructor(versions: TableVersions, options: ReadCacheOptions) {
    this.#versions = versions;
    this.#ttlMs = options.ttlMs;
    this.#kept = new LRUCache<string, Kept>({
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      // Room for the compressed copies too (JSON shrinks to a fifth or less; at most ENCODINGS_KEPT).
      sizeCalculation: (k) => Math.ceil(k.body.length * 1.3) + 200,
      ttl: options.ttlMs,
      // Read the clock on every call: by default lru-cache reuses a reading until a 1 ms timer clears
      // it, which a busy event loop delays, so ages were measured against a clock that had stopped.
      ttlResolution: 0,
    });
  }

  get stats(): { hits: number; misses: number; compressedHits: number; entries: number; bytes: number } {
    return {
      hits: this.#hits,
      misses: this.#misses,
      compressedHits: this.#compressedHits,
      entries: this.#kept.size,
      bytes: this.#kept.calculatedSize,
    };
  }

  lookup(key: string): Kept | null {
    const kept = this.#kept.get(key);
    if (kept && !this.#stale(kept)) {
      this.#hits++;
      return kept;
    }
    if (kept) this.#kept.delete(key);
    this.#misses++;
    return null;
  }

  keep(key: string, kept: Kept): boolean {
    // Something it read changed while it was being computed: it is already stale.
    if (this.#stale(kept)) return false;
    // Each answer lives between ¾ of the TTL and all of it: answers kept in one burst (a fresh
    // process, a shift's first minute) then do not all expire in the same instant and come back as
    // one wave of misses.
    this.#kept.set(key, kept, { ttl: Math.round(this.#ttlMs * (0.75 + 0.25 * Math.random())) });
    return true;
  }

  /** Whether something the answer was computed from changed since. */
  #stale(kept: Kept): boolean {
    return this.#versions.staleSince(kept.tables, kept.lookedUp, kept.epoch, kept.partitions);
  }

  /** Counts a hit answered with a compressed copy. */
  noteCompressedHit(): void {
    this.#compressedHits++;
  }

  /**
   * The answer to `key` being computed now, if any: a request that misses waits for it (at most
   * WAIT_FOR_IDENTICAL_MS) and then looks again, instead of computing the same answer at the same time.
   */
  computing(key: string): Promise<void> | null {
    return this.#computing.get(key) ?? null;
  }

  /** Notes that `key` is being computed; the returned function ends that (kept or not). */
  startComputing(key: string): () => void {
    let end!: () => void;
    const done = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.#computing.set(key, done);
    return () => {
      if (this.#computing.get(key) === done) this.#computing.delete(key);
      end();
    };
  }

  clear(): void {
    this.#kept.clear();
  }

  /** Milliseconds `key` has left to live (0 when not kept). */
  remainingMs(key: string): number {
    return Math.max(0, this.#kept.getRemainingTTL(key));
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
    if (!pending) return done(null, payload);
    if (reply.statusCode === 200 && typeof payload === 'string') {
      // Encoded once: the same bytes are kept and sent (Fastify then needs no second encoding).
      const body = Buffer.from(payload);
      const kept: Kept = {
        body,
        type: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        tables: [...pending.reads.full],
        lookedUp: pending.reads.onlyLookedUp(),
        partitions: [...pending.reads.partitions],
        epoch: pending.epoch,
        encoded: new Map(),
      };
      if (cache.keep(pending.key, kept)) (request as WithPending)[kKept] = kept;
      pending.ended();
      return done(null, body);
    }
    pending.ended();
    done(null, payload);
  });
}

/**
 * Keeps the compressed copy of a kept answer as the compression hook made it: call after compression
 * is registered. Compression adds its onSend hook to each route as the route is added; this one is
 * added to the routes that keep answers, after it, so it sees the compressed bytes.
 */
export function registerReadCacheCompressed(app: FastifyInstance): void {
  const keepCompressed = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: OnSendDone,
  ) => {
    const kept = (request as WithPending)[kKept];
    const encoding = reply.getHeader('content-encoding');
    const accepts = request.headers['accept-encoding'];
    if (
      kept &&
      typeof encoding === 'string' &&
      typeof accepts === 'string' &&
      kept.encoded.size < ENCODINGS_KEPT &&
      !kept.encoded.has(accepts)
    ) {
      // Bodies up to the compression hook's limit come compressed; larger ones as a compressing
      // stream, which this answer keeps: the copy is made here, once.
      const body = Buffer.isBuffer(payload) ? payload : compressOnce(encoding, kept.body);
      if (body) kept.encoded.set(accepts, { encoding, body });
    }
    done(null, payload);
  };
  app.addHook('onRoute', (route) => {
    if ((route.config as { readCache?: boolean } | undefined)?.readCache !== true) return;
    const hooks = route.onSend;
    route.onSend = Array.isArray(hooks)
      ? [...hooks, keepCompressed]
      : hooks
        ? [hooks, keepCompressed]
        : [keepCompressed];
  });
}

type OnSendDone = (err: Error | null, payload?: unknown) => void;

/** The body compressed as the compression hook does (its settings), or null for an encoding it lacks. */
function compressOnce(encoding: string, body: Buffer): Buffer | null {
  switch (encoding) {
    case 'br':
      return zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
    case 'gzip':
      return zlib.gzipSync(body);
    case 'deflate':
      return zlib.deflateSync(body);
    case 'zstd':
      return zlib.zstdCompressSync(body);
    default:
      return null;
  }
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
    if (noCache) return compute(request, reply, key, done);
    const kept = cache.lookup(key);
    if (kept) return serve(request, reply, kept);
    const identical = cache.computing(key);
    if (!identical) return compute(request, reply, key, done);
    // The same answer is being computed for the same caller: wait for it rather than compute it twice.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, WAIT_FOR_IDENTICAL_MS);
    });
    void Promise.race([identical, waited]).then(() => {
      clearTimeout(timer);
      const now = cache.lookup(key);
      if (now) serve(request, reply, now);
      else compute(request, reply, key, done);
    });
  });

  function serve(request: FastifyRequest, reply: FastifyReply, kept: Kept): void {
    reply.header('content-type', kept.type).header('x-read-cache', 'hit');
    const accepts = request.headers['accept-encoding'];
    const copy =
      typeof accepts === 'string' && request.headers['x-no-compression'] === undefined
        ? kept.encoded.get(accepts)
        : undefined;
    if (copy) {
      // Already compressed: the compression hook sees the encoding and leaves it alone.
      cache.noteCompressedHit();
      reply.header('content-encoding', copy.encoding).header('vary', 'accept-encoding');
      reply.send(copy.body);
      return;
    }
    (request as WithPending)[kKept] = kept;
    reply.send(kept.body);
  }

  function compute(request: FastifyRequest, reply: FastifyReply, key: string, done: (err?: Error) => void) {
    reply.header('x-read-cache', 'miss');
    const pending: Pending = {
      key,
      epoch: versions.epoch,
      reads: new ReadSet(),
      ended: cache.startComputing(key),
    };
    (request as WithPending)[kPending] = pending;
    // Should the answer never reach onSend (the connection went first), waiters stop waiting anyway.
    reply.raw.once('close', pending.ended);
    // The handler runs inside this scope: every table its queries read is noted.
    trackReads(pending.reads, done);
  }
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
