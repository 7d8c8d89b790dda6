import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to port 3000, ./data, SQLite and info logs', () => {
    const c = loadConfig({}, '/srv/takt');
    assert.equal(c.port, 3000);
    assert.equal(c.dataDir, '/srv/takt/data');
    assert.equal(c.databaseUrl, null);
    assert.equal(c.redisUrl, null);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.demo, true);
  });

  it('selects PostgreSQL from a postgres:// DATABASE_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/takt', REDIS_URL: 'redis://cache:6379' });
    assert.equal(c.databaseUrl, 'postgres://u@db:5432/takt');
    assert.equal(c.redisUrl, 'redis://cache:6379');
  });

  it('reports every bad value at once, naming the variable', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          TAKT_LOG_LEVEL: 'loud',
          TAKT_DEMO: 'maybe',
          REDIS_URL: 'http://x',
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        for (const name of ['PORT', 'DATABASE_URL', 'TAKT_LOG_LEVEL', 'TAKT_DEMO', 'REDIS_URL']) {
          assert.match(err.message, new RegExp(name));
        }
        return true;
      },
    );
  });

  it('refuses a port out of range and a short admin password', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
    assert.throws(() => loadConfig({ TAKT_ADMIN_PASSWORD: 'short' }), /TAKT_ADMIN_PASSWORD/);
  });

  it('runs several processes per host only on PostgreSQL with Redis', () => {
    assert.equal(loadConfig({}).workers, 1);
    assert.throws(() => loadConfig({ TAKT_WORKERS: '4' }), /TAKT_WORKERS>1 needs PostgreSQL.*single writer/s);
    assert.throws(
      () => loadConfig({ TAKT_WORKERS: '4', DATABASE_URL: 'postgres://u@db/takt' }),
      /TAKT_WORKERS>1 needs REDIS_URL/,
    );
    const c = loadConfig({
      TAKT_WORKERS: '4',
      TAKT_METRICS_PORT: '9464',
      DATABASE_URL: 'postgres://u@db/takt',
      REDIS_URL: 'redis://cache:6379',
    });
    assert.equal(c.workers, 4);
    assert.equal(c.metricsPort, 9464);
    assert.throws(() => loadConfig({ TAKT_WORKERS: '0' }), /TAKT_WORKERS must be a whole number/);
    assert.equal(loadConfig({}).dbPoolSize, 10);
    assert.equal(loadConfig({ TAKT_DB_POOL_SIZE: '25' }).dbPoolSize, 25);
    assert.throws(() => loadConfig({ TAKT_DB_POOL_SIZE: '0' }), /TAKT_DB_POOL_SIZE must be a whole number/);
    assert.equal(loadConfig({}).archiveAfterDays, 365);
    assert.equal(loadConfig({ TAKT_ARCHIVE_AFTER_DAYS: '90' }).archiveAfterDays, 90);
    assert.equal(loadConfig({}).readTimeoutMs, 300_000);
    assert.equal(loadConfig({ TAKT_READ_TIMEOUT_MS: '60000' }).readTimeoutMs, 60_000);
    assert.throws(
      () => loadConfig({ TAKT_READ_TIMEOUT_MS: '1.5' }),
      /TAKT_READ_TIMEOUT_MS must be a whole number/,
    );
  });
});
