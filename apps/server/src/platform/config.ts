import path from 'node:path';
import { READ_TIMEOUT_MS } from './db/read-threads.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type Role = 'api' | 'worker' | 'all';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `postgres://…` selects PostgreSQL; null selects SQLite in the data dir. */
  readonly databaseUrl: string | null;
  readonly redisUrl: string | null;
  /** `nats://…` (JetStream) or `amqp://…` (RabbitMQ): every event is also published there. */
  readonly brokerUrl: string | null;
  readonly logLevel: LogLevel;
  readonly role: Role;
  /** Processes per host (`TAKT_WORKERS`); more than one needs PostgreSQL and Redis. */
  readonly workers: number;
  /**
   * Listening sockets on the HTTP port (`TAKT_HTTP_ACCEPTORS`, Linux only): libuv takes one new
   * connection per socket and turn of the event loop, so a busy server with one socket let new
   * clients wait seconds (see platform/http/listen.ts).
   */
  readonly httpAcceptors: number;
  /** With TAKT_WORKERS>1: port where the primary serves the metrics of all its processes summed up. */
  readonly metricsPort: number | null;
  /** Work orders and stock moves closed longer than this many days move to the archive tables. */
  readonly archiveAfterDays: number;
  readonly demo: boolean;
  /** With the demo: work orders in every state, a published schedule, reports, an exception, inspections. */
  readonly demoActivity: boolean;
  readonly adminPassword: string | null;
  readonly webDist: string;
  /** Cookies get `Secure` and the `__Host-` prefix when served over HTTPS (or behind a proxy that says so). */
  readonly secureCookies: boolean;
  /** Proxies whose X-Forwarded-For is believed: false, true (any), or addresses/CIDRs. */
  readonly trustProxy: boolean | string[];
  /** Sign-in attempts per minute and client address. */
  readonly loginRateLimit: number;
  /** Requests per minute of one signed-in user (API tokens carry their own limit). */
  readonly userRateLimit: number;
  /** Days the API request log keeps its rows. */
  readonly requestLogDays: number;
  /** Bytes of a request or response body kept in the request log (mutating calls only). */
  readonly requestLogBodyBytes: number;
  /** Longest time a read answer is given again while nothing it read changed; 0 turns that off. */
  readonly readCacheTtlMs: number;
  /** PostgreSQL connections each process keeps open at most (TAKT_DB_POOL_SIZE, default 10). */
  readonly dbPoolSize: number;
  /** Longest a long read of an SQLite file may run on a read thread (TAKT_READ_TIMEOUT_MS, default 5 min). */
  readonly readTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const ROLES: readonly Role[] = ['api', 'worker', 'all'];

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name}=${JSON.stringify(raw)} must be one of 1, 0, true, false`);
  return fallback;
}

/** Reads and validates configuration; every bad value is reported at once with its variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];

  let port = 3000;
  if (env.PORT !== undefined && env.PORT !== '') {
    const n = Number(env.PORT);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      problems.push(`PORT=${JSON.stringify(env.PORT)} must be an integer from 0 to 65535`);
    } else port = n;
  }

  let databaseUrl: string | null = null;
  if (env.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      problems.push(
        'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite)',
      );
    } else {
      try {
        new URL(env.DATABASE_URL);
        databaseUrl = env.DATABASE_URL;
      } catch {
        problems.push('DATABASE_URL is not a valid URL');
      }
    }
  }

  let redisUrl: string | null = null;
  if (env.REDIS_URL) {
    if (!/^rediss?:\/\//.test(env.REDIS_URL))
      problems.push('REDIS_URL must start with redis:// or rediss://');
    else redisUrl = env.REDIS_URL;
  }

  let brokerUrl: string | null = null;
  if (env.TAKT_BROKER_URL) {
    if (!/^(nats|amqps?):\/\/[^\s]+$/.test(env.TAKT_BROKER_URL))
      problems.push('TAKT_BROKER_URL must start with nats://, amqp:// or amqps://');
    else brokerUrl = env.TAKT_BROKER_URL;
  }

  const logLevel = (env.TAKT_LOG_LEVEL || 'info') as LogLevel;
  if (!LEVELS.includes(logLevel)) problems.push(`TAKT_LOG_LEVEL must be one of ${LEVELS.join(', ')}`);

  const role = (env.TAKT_ROLE || 'all') as Role;
  if (!ROLES.includes(role)) problems.push(`TAKT_ROLE must be one of ${ROLES.join(', ')}`);

  const adminPassword = env.TAKT_ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 8) {
    problems.push('TAKT_ADMIN_PASSWORD must have at least 8 characters');
  }

  const demo = bool(env, 'TAKT_DEMO', true, problems);
  const demoActivity = bool(env, 'TAKT_DEMO_ACTIVITY', true, problems);
  const secureCookies = bool(env, 'TAKT_SECURE_COOKIES', false, problems);
  const positive = (name: string, fallback: number) => {
    const raw = env[name];
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      problems.push(`${name} must be a whole number of at least 1`);
      return fallback;
    }
    return n;
  };
  const userRateLimit = positive('TAKT_USER_RATE_LIMIT', 1200);
  const requestLogDays = positive('TAKT_REQUEST_LOG_DAYS', 14);
  const requestLogBodyBytes = positive('TAKT_REQUEST_LOG_BODY_BYTES', 16_384);
  let readCacheTtlMs = 10_000;
  if (env.TAKT_READ_CACHE_TTL_MS) {
    readCacheTtlMs = Number(env.TAKT_READ_CACHE_TTL_MS);
    if (!Number.isInteger(readCacheTtlMs) || readCacheTtlMs < 0) {
      problems.push(
        'TAKT_READ_CACHE_TTL_MS must be a whole number of milliseconds (0 turns the read cache off)',
      );
      readCacheTtlMs = 10_000;
    }
  }
  const dbPoolSize = positive('TAKT_DB_POOL_SIZE', 10);
  const readTimeoutMs = positive('TAKT_READ_TIMEOUT_MS', READ_TIMEOUT_MS);
  const workers = positive('TAKT_WORKERS', 1);
  if (workers > 1 && !databaseUrl) {
    problems.push(
      'TAKT_WORKERS>1 needs PostgreSQL (DATABASE_URL): the embedded SQLite database has a single writer',
    );
  }
  if (workers > 1 && !redisUrl) {
    problems.push(
      'TAKT_WORKERS>1 needs REDIS_URL: processes share live events and cache invalidations through Redis',
    );
  }
  const archiveAfterDays = positive('TAKT_ARCHIVE_AFTER_DAYS', 365);
  const httpAcceptors = positive('TAKT_HTTP_ACCEPTORS', 32);
  let metricsPort: number | null = null;
  if (env.TAKT_METRICS_PORT) {
    const n = Number(env.TAKT_METRICS_PORT);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      problems.push('TAKT_METRICS_PORT must be an integer from 1 to 65535');
    } else metricsPort = n;
  }
  let loginRateLimit = 20;
  if (env.TAKT_LOGIN_RATE_LIMIT) {
    const n = Number(env.TAKT_LOGIN_RATE_LIMIT);
    if (!Number.isInteger(n) || n < 1)
      problems.push('TAKT_LOGIN_RATE_LIMIT must be a whole number of at least 1');
    else loginRateLimit = n;
  }
  const rawProxy = (env.TAKT_TRUST_PROXY ?? '').trim();
  const trustProxy: boolean | string[] =
    rawProxy === '' || rawProxy === '0' || rawProxy === 'false'
      ? false
      : rawProxy === '1' || rawProxy === 'true'
        ? true
        : rawProxy.split(',').map((p) => p.trim());

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }

  const root = path.resolve(import.meta.dirname, '../../../..');
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(cwd, env.TAKT_DATA_DIR || './data'),
    databaseUrl,
    redisUrl,
    brokerUrl,
    logLevel,
    role,
    workers,
    httpAcceptors,
    metricsPort,
    archiveAfterDays,
    demo,
    demoActivity,
    adminPassword,
    webDist: path.resolve(root, env.TAKT_WEB_DIST || 'apps/web/dist'),
    secureCookies,
    trustProxy,
    loginRateLimit,
    userRateLimit,
    requestLogDays,
    requestLogBodyBytes,
    readCacheTtlMs,
    dbPoolSize,
    readTimeoutMs,
  };
}
