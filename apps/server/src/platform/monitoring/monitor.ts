import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Durations (ms) of the latest requests of one route; percentiles come from this window. */
const WINDOW = 1024;
/** Routes tracked at most (route templates, so this bounds memory, not traffic). */
const MAX_ROUTES = 500;
const SLOW_KEPT = 50;

export interface RouteLatency {
  readonly method: string;
  readonly route: string;
  readonly count: number;
  readonly errors: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface SlowQuery {
  readonly sql: string;
  readonly durationMs: number;
  readonly at: string;
  readonly error: boolean;
}

class Ring {
  readonly values = new Float64Array(WINDOW);
  filled = 0;
  next = 0;
  count = 0;
  errors = 0;

  add(ms: number, error: boolean): void {
    this.values[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
    this.filled = Math.min(WINDOW, this.filled + 1);
    this.count++;
    if (error) this.errors++;
  }

  sorted(): Float64Array {
    return this.values.slice(0, this.filled).sort();
  }
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * What this process saw lately: request latency per route (the last 1024 requests of each), queries
 * slower than a threshold (the last 50, with their SQL) and event-loop delay. Per process: with several
 * processes each one reports its own.
 */
export class Monitor {
  readonly slowQueryMs: number;
  readonly #routes = new Map<string, Ring>();
  readonly #slow: SlowQuery[] = [];
  readonly #loop: ReturnType<typeof monitorEventLoopDelay>;
  #loopSince = Date.now();
  #slowTotal = 0;

  constructor(options: { slowQueryMs?: number } = {}) {
    this.slowQueryMs = options.slowQueryMs ?? 100;
    this.#loop = monitorEventLoopDelay({ resolution: 20 });
    this.#loop.enable();
  }

  /** Records an API request (static files and unmatched paths are left out). */
  request(method: string, route: string, status: number, ms: number): void {
    if (!route.startsWith('/api/')) return;
    const key = `${method} ${route}`;
    let ring = this.#routes.get(key);
    if (!ring) {
      if (this.#routes.size >= MAX_ROUTES) return;
      ring = new Ring();
      this.#routes.set(key, ring);
    }
    ring.add(ms, status >= 500);
  }

  /** Records a query if it was slow; returns whether it was. */
  query(sql: string, ms: number, error: boolean): boolean {
    if (ms < this.slowQueryMs) return false;
    this.#slowTotal++;
    this.#slow.push({ sql: sql.slice(0, 2000), durationMs: round(ms), at: new Date().toISOString(), error });
    if (this.#slow.length > SLOW_KEPT) this.#slow.shift();
    return true;
  }

  routes(): RouteLatency[] {
    const out: RouteLatency[] = [];
    for (const [key, ring] of this.#routes) {
      const sorted = ring.sorted();
      const space = key.indexOf(' ');
      out.push({
        method: key.slice(0, space),
        route: key.slice(space + 1),
        count: ring.count,
        errors: ring.errors,
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? 0),
      });
    }
    return out.sort((a, b) => b.p95 - a.p95);
  }

  slowQueries(): { readonly total: number; readonly recent: SlowQuery[] } {
    return { total: this.#slowTotal, recent: [...this.#slow].reverse() };
  }

  /** Event-loop delay (ms) since the last minute began; the window restarts every minute. */
  eventLoop(): { p50: number; p99: number; max: number; sinceSeconds: number } {
    const h = this.#loop;
    const ms = (ns: number) => (Number.isFinite(ns) ? round(ns / 1e6) : 0);
    const out = {
      p50: ms(h.percentile(50)),
      p99: ms(h.percentile(99)),
      max: ms(h.max),
      sinceSeconds: Math.round((Date.now() - this.#loopSince) / 1000),
    };
    if (Date.now() - this.#loopSince > 60_000) {
      h.reset();
      this.#loopSince = Date.now();
    }
    return out;
  }

  close(): void {
    this.#loop.disable();
  }
}
