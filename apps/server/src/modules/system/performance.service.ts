import os from 'node:os';
import type { PerformanceReport } from '@takt/contracts';
import { sql } from 'kysely';
import type { AppDeps } from '../../app.ts';
import { cacheOf } from '../../platform/cache/cache.ts';
import { jobStats } from '../../platform/jobs/queue.ts';

const startedAt = new Date(Date.now() - Math.round(process.uptime() * 1000)).toISOString();

/** Latency, slow queries, backlogs, pool, event loop and memory as this process sees them now. */
export async function performanceReport(deps: AppDeps): Promise<PerformanceReport> {
  const { db, metrics, config, bus } = deps;
  const [jobs, outbox] = await Promise.all([
    jobStats(db),
    db.kysely
      .selectFrom('outbox')
      .select([sql<number>`count(*)`.as('n'), (eb) => eb.fn.min('occurred_at').as('oldest')])
      .where('dispatched_at', 'is', null)
      .executeTakeFirst(),
  ]);
  const memory = process.memoryUsage();
  return {
    process: {
      pid: process.pid,
      host: os.hostname(),
      role: config.role,
      workers: config.workers,
      uptimeSeconds: Math.round(process.uptime()),
      startedAt,
      database: db.dialect,
      bus: bus.kind,
    },
    routes: metrics.monitor.routes(),
    slowQueries: { thresholdMs: metrics.monitor.slowQueryMs, ...metrics.monitor.slowQueries() },
    jobs: {
      ready: jobs.ready,
      running: jobs.running,
      dead: jobs.dead,
      oldestReadyAgeSeconds:
        jobs.oldestReadyAgeSeconds === null ? null : Math.round(jobs.oldestReadyAgeSeconds * 10) / 10,
    },
    outbox: {
      pending: Number(outbox?.n ?? 0),
      lagSeconds: outbox?.oldest
        ? Math.max(0, Math.round((Date.now() - Date.parse(String(outbox.oldest))) / 100) / 10)
        : null,
    },
    pool: db.poolStats,
    eventLoop: metrics.monitor.eventLoop(),
    memory: {
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
    },
    cache: cacheOf(db).stats(),
    at: new Date().toISOString(),
  };
}
