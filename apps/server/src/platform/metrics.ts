import client from 'prom-client';
import { sql } from 'kysely';
import type { Db } from './db/database.ts';
import { jobStats } from './jobs/queue.ts';

/** One registry per app instance (tests build many apps in one process). */
export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  readonly dbDuration: client.Histogram<'dialect' | 'outcome'>;
  readonly sseClients: client.Gauge;
  readonly eventsDispatched: client.Counter;

  constructor(db: Db) {
    const registers = [this.registry];
    client.collectDefaultMetrics({
      register: this.registry,
      prefix: 'takt_',
      eventLoopMonitoringPrecision: 20,
    });
    this.httpDuration = new client.Histogram({
      name: 'takt_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.dbDuration = new client.Histogram({
      name: 'takt_db_query_duration_seconds',
      help: 'Database query duration',
      labelNames: ['dialect', 'outcome'],
      buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.sseClients = new client.Gauge({ name: 'takt_sse_clients', help: 'Open SSE connections', registers });
    this.eventsDispatched = new client.Counter({
      name: 'takt_outbox_events_dispatched_total',
      help: 'Outbox events dispatched by this process',
      registers,
    });
    db.observe((e) => {
      this.dbDuration.observe(
        { dialect: db.dialect, outcome: e.level === 'error' ? 'error' : 'ok' },
        e.queryDurationMillis / 1000,
      );
    });

    const depth = new client.Gauge({
      name: 'takt_jobs',
      help: 'Jobs by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const s = await jobStats(db);
        for (const status of ['ready', 'running', 'done', 'dead'] as const) this.set({ status }, s[status]);
        oldestGauge.set(s.oldestReadyAgeSeconds ?? 0);
      },
    });
    const oldestGauge = new client.Gauge({
      name: 'takt_jobs_oldest_ready_age_seconds',
      help: 'Age of the oldest due job still waiting',
      registers,
    });
    void depth;
    new client.Gauge({
      name: 'takt_outbox_pending',
      help: 'Outbox events not yet dispatched',
      registers,
      async collect() {
        const r = await db.kysely
          .selectFrom('outbox')
          .select([sql<number>`count(*)`.as('n'), (eb) => eb.fn.min('occurred_at').as('oldest')])
          .where('dispatched_at', 'is', null)
          .executeTakeFirst();
        this.set(Number(r?.n ?? 0));
        lagGauge.set(r?.oldest ? Math.max(0, (Date.now() - Date.parse(String(r.oldest))) / 1000) : 0);
      },
    });
    const lagGauge = new client.Gauge({
      name: 'takt_outbox_lag_seconds',
      help: 'Age of the oldest undispatched outbox event',
      registers,
    });
    new client.Gauge({
      name: 'takt_db_pool_connections',
      help: 'Database pool connections (PostgreSQL)',
      labelNames: ['state'],
      registers,
      collect() {
        const s = db.poolStats;
        if (!s) return;
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
  }
}
