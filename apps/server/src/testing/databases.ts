import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Real databases for data tests — never mocks. SQLite always; PostgreSQL whenever it is reachable
 * (`TAKT_TEST_DATABASE_URL`, default the local server). With TAKT_REQUIRE_SERVICES=1 an unreachable
 * PostgreSQL fails the run instead of skipping.
 */
export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** `postgres://…` for PostgreSQL, null for SQLite. */
  readonly url: string | null;
  /** Data directory (SQLite file lives there). */
  readonly dataDir: string;
  drop(): Promise<void>;
}

export interface TestTarget {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

const ADMIN_URL = process.env.TAKT_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const servicesRequired = process.env.TAKT_REQUIRE_SERVICES === '1';

let pgReachable: Promise<boolean> | null = null;

async function checkPostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const sqliteTarget: TestTarget = {
  name: 'sqlite',
  async create() {
    const dataDir = tempDir('takt-test-');
    return {
      name: 'sqlite',
      url: null,
      dataDir,
      async drop() {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const postgresTarget: TestTarget = {
  name: 'postgres',
  async create() {
    const name = `takt_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const dataDir = tempDir('takt-test-pg-');
    return {
      name: 'postgres',
      url: url.toString(),
      dataDir,
      async drop() {
        fs.rmSync(dataDir, { recursive: true, force: true });
        const c = new pg.Client({ connectionString: ADMIN_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  },
};

/** The databases every data test runs on. */
export async function testTargets(): Promise<TestTarget[]> {
  pgReachable ??= checkPostgres();
  const reachable = await pgReachable;
  if (!reachable && servicesRequired) {
    throw new Error(`PostgreSQL is required (TAKT_REQUIRE_SERVICES=1) but not reachable at ${ADMIN_URL}`);
  }
  return reachable ? [sqliteTarget, postgresTarget] : [sqliteTarget];
}

export async function redisUrlIfReachable(): Promise<string | null> {
  const url = process.env.TAKT_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  const { Redis } = await import('ioredis');
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await r.connect();
    await r.ping();
    return url;
  } catch {
    if (servicesRequired)
      throw new Error(`Redis is required (TAKT_REQUIRE_SERVICES=1) but not reachable at ${url}`);
    return null;
  } finally {
    r.disconnect();
  }
}
