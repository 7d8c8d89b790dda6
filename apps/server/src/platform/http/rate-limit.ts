import type { FastifyReply } from 'fastify';
import { AppError } from '../errors.ts';

/** Keys kept before expired windows are swept (and, if still full, the oldest dropped). */
const MAX_KEYS = 10_000;

interface Window {
  start: number;
  count: number;
}

/**
 * Fixed-window request limits per key, in this process: a key's window opens with its first request
 * and lasts `windowMs`; within it at most `max` requests pass. Each answer carries
 * `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (seconds); a refused one also
 * `retry-after`, and fails with RATE_LIMITED (429).
 */
export class RateLimiter {
  readonly #windowMs: number;
  readonly #windows = new Map<string, Window>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Counts a request of `key`, sets the headers on `reply`, and returns the refusal when over `max`. */
  hit(key: string, max: number, reply: FastifyReply, now = Date.now()): AppError | null {
    let w = this.#windows.get(key);
    if (!w) {
      if (this.#windows.size >= MAX_KEYS) this.#sweep(now);
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    } else if (w.start + this.#windowMs <= now) {
      w.start = now;
      w.count = 0;
    }
    w.count++;
    const reset = Math.ceil((w.start + this.#windowMs - now) / 1000);
    reply.header('x-ratelimit-limit', max);
    if (w.count <= max) {
      reply.header('x-ratelimit-remaining', max - w.count);
      reply.header('x-ratelimit-reset', reset);
      return null;
    }
    reply.header('x-ratelimit-remaining', 0);
    reply.header('x-ratelimit-reset', reset);
    reply.header('retry-after', reset);
    return new AppError('RATE_LIMITED', `Rate limit exceeded, retry in ${reset} s`);
  }

  get size(): number {
    return this.#windows.size;
  }

  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (w.start + this.#windowMs <= now) this.#windows.delete(key);
    // Still (nearly) full of live windows: drop the oldest keys (insertion order) to stay bounded.
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < MAX_KEYS * 0.9) break;
      this.#windows.delete(key);
    }
  }
}
