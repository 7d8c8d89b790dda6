import client from 'prom-client';
import { sql } from 'kysely';
import type { Db } from './db/database.ts';
import { cacheOf } from './cache/cache.ts';
import { jobStats } from './jobs/queue.ts';
import { HttpDurations } from './monitoring/http-durations.ts';
import { Monitor } from './monitoring/monitor.ts';

/** One registry per app instance (tests build many apps in one process). */
export class Metrics {
  readonly registry = new client.Registry();
  /** Filled through `request()` (its `record`), not `observe`. */
  readonly httpDuration: HttpDurations;
  readonly dbDuration: client.Histogram<'dialect' | 'outcome'>;
  readonly sseClients: client.Gauge;
  readonly eventsDispatched: client.Counter;
  readonly slowQueries: client.Counter;
  /** Recent per-route latency, slow queries and event-loop delay of this process (performance page). */
  readonly monitor = new Monitor();

  /** Records a finished request: its route template (or `unmatched`), status and duration in ms. */
  request(method: string, route: string, status: number, ms: number): void {
    this.httpDuration.record(method, route, status, ms / 1000);
    this.monitor.request(method, route, status, ms);
  }

  constructor(db: Db) {
    const registers = [this.registry];
    client.collectDefaultMetrics({
      register: this.registry,
      prefix: 'takt_',
      eventLoopMonitoringPrecision: 20,
    });
    this.httpDuration = new HttpDurations({
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
    this.slowQueries = new client.Counter({
      name: 'takt_db_slow_queries_total',
      help: `Queries slower than ${this.monitor.slowQueryMs} ms`,
      registers,
    });
    // Every query lands here: its labelled series is looked up once, not hashed per query (the error
    // series only once an error happened, so it is not exported before).
    const queryOk = this.dbDuration.labels({ dialect: db.dialect, outcome: 'ok' });
    let queryError: typeof queryOk | null = null;
    db.observe((e) => {
      if (e.level === 'error') {
        queryError ??= this.dbDuration.labels({ dialect: db.dialect, outcome: 'error' });
        queryError.observe(e.queryDurationMillis / 1000);
      } else queryOk.observe(e.queryDurationMillis / 1000);
      if (this.monitor.query(e.query.sql, e.queryDurationMillis, e.level === 'error')) this.slowQueries.inc();
    });

    const depth = new client.Gauge({
      name: 'takt_jobs',
      aggregator: 'max',
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
      aggregator: 'max',
      help: 'Age of the oldest due job still waiting',
      registers,
    });
    void depth;
    new client.Gauge({
      name: 'takt_outbox_pending',
      aggregator: 'max',
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
      aggregator: 'max',
      help: 'Age of the oldest undispatched outbox event',
      registers,
    });
    new client.Gauge({
      name: 'takt_ready',
      aggregator: 'min',
      help: '1 when the database answers and every migration is applied (as /ready), else 0',
      registers,
      async collect() {
        try {
          this.set((await db.pendingMigrations()).length === 0 ? 1 : 0);
        } catch {
          this.set(0);
        }
      },
    });
    const seen = { hits: 0, misses: 0 };
    const lookups = new client.Counter({
      name: 'takt_cache_lookups_total',
      help: 'Master-data cache lookups by result (hit or miss)',
      labelNames: ['result'],
      registers,
      collect() {
        const s = cacheOf(db).stats();
        lookups.inc({ result: 'hit' }, Math.max(0, s.hits - seen.hits));
        lookups.inc({ result: 'miss' }, Math.max(0, s.misses - seen.misses));
        seen.hits = s.hits;
        seen.misses = s.misses;
      },
    });
    new client.Gauge({
      name: 'takt_cache_entries',
      help: 'Entries in the master-data cache',
      registers,
      collect() {
        this.set(cacheOf(db).stats().size);
      },
    });
    // SQLite files only: PostgreSQL and databases in memory export neither.
    if (db.commitCounts) {
      for (const [name, field, help] of [
        ['takt_sqlite_commits_total', 'commits', 'COMMITs of the SQLite writer (SQLite files only)'],
        [
          'takt_sqlite_transactions_total',
          'transactions',
          'Write transactions committed on SQLite; more than takt_sqlite_commits_total when group commits shared COMMITs',
        ],
        [
          'takt_sqlite_wal_catchups_total',
          'catchUps',
          'Checkpoints the SQLite writer ran between transactions so that a long write-ahead log starts again',
        ],
      ] as const) {
        let seen = 0;
        const counter = new client.Counter({
          name,
          help,
          registers,
          collect() {
            const now = db.commitCounts?.[field] ?? seen;
            counter.inc(Math.max(0, now - seen));
            seen = now;
          },
        });
      }
    }
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
