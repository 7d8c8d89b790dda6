import { type Static, Type } from 'typebox';
import { Timestamp } from './common.ts';

const Ms = Type.Number({ minimum: 0, description: 'milliseconds' });

/** What one server process saw lately (each process of a scaled-out installation reports its own). */
export const PerformanceReport = Type.Object({
  process: Type.Object({
    pid: Type.Integer(),
    host: Type.String(),
    role: Type.Union([Type.Literal('api'), Type.Literal('worker'), Type.Literal('all')]),
    /** Processes configured per host (TAKT_WORKERS). */
    workers: Type.Integer(),
    uptimeSeconds: Type.Number(),
    startedAt: Timestamp,
    database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    bus: Type.Union([Type.Literal('local'), Type.Literal('redis')]),
  }),
  routes: Type.Array(
    Type.Object({
      method: Type.String(),
      route: Type.String(),
      count: Type.Integer(),
      errors: Type.Integer(),
      p50: Ms,
      p95: Ms,
      p99: Ms,
      max: Ms,
    }),
  ),
  slowQueries: Type.Object({
    thresholdMs: Ms,
    total: Type.Integer(),
    recent: Type.Array(
      Type.Object({ sql: Type.String(), durationMs: Ms, at: Timestamp, error: Type.Boolean() }),
    ),
  }),
  jobs: Type.Object({
    ready: Type.Integer(),
    running: Type.Integer(),
    dead: Type.Integer(),
    oldestReadyAgeSeconds: Type.Union([Type.Number(), Type.Null()]),
  }),
  outbox: Type.Object({
    pending: Type.Integer(),
    lagSeconds: Type.Union([Type.Number(), Type.Null()]),
  }),
  pool: Type.Union([
    Type.Object({ total: Type.Integer(), idle: Type.Integer(), waiting: Type.Integer() }),
    Type.Null(),
  ]),
  eventLoop: Type.Object({ p50: Ms, p99: Ms, max: Ms, sinceSeconds: Type.Integer() }),
  memory: Type.Object({
    rss: Type.Integer(),
    heapUsed: Type.Integer(),
    heapTotal: Type.Integer(),
    external: Type.Integer(),
  }),
  cache: Type.Object({
    size: Type.Integer(),
    hits: Type.Integer(),
    misses: Type.Integer(),
    invalidations: Type.Integer(),
    shared: Type.Boolean(),
  }),
  at: Timestamp,
});
export type PerformanceReport = Static<typeof PerformanceReport>;
