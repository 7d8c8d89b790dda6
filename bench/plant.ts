import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { type Config, loadConfig } from '../apps/server/src/platform/config.ts';
import { createRuntime, type Runtime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

/**
 * Takt on a seeded plant's data directory (migrated if needed, no demo loaded, logging off); `overrides`
 * change the configuration, e.g. `databaseUrl` for a plant seeded in PostgreSQL.
 */
export function openPlant(dir: string, overrides: Partial<Config> = {}): Promise<Runtime> {
  const config = loadConfig({
    TAKT_DATA_DIR: dir,
    TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    TAKT_LOG_LEVEL: 'silent',
  });
  return createRuntime({ ...config, ...overrides }, { log: pino({ level: 'silent' }), bootstrap: false });
}

/**
 * Runs `work` and measures the main thread's event loop meanwhile: the wall time, and the longest
 * stall and p99 of perf_hooks' event-loop delay (the clock runs 20 ms before and after, so a stall
 * at either end is seen).
 */
export async function withStalls<T>(
  work: () => Promise<T>,
): Promise<{ result: T; wallMs: number; maxStallMs: number; p99StallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const t0 = performance.now();
  const result = await work();
  const wallMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return { result, wallMs, maxStallMs: delay.max / 1e6, p99StallMs: delay.percentile(99) / 1e6 };
}
