import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { testTargets } from '../../testing/databases.ts';
import { type Harness, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`health, readiness, metrics and OpenAPI on ${target.name}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(target, { demo: false });
    });
    after(async () => h.close());

    it('answers /health and /ready', async () => {
      assert.equal((await h.runtime.app.inject('/health')).statusCode, 200);
      const ready = await h.runtime.app.inject('/ready');
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().database, target.name);
    });

    it('exposes Prometheus metrics with the HTTP histogram by route template, jobs, outbox and process metrics', async () => {
      await h.runtime.app.inject('/api/v1/meta');
      const res = await h.runtime.app.inject('/metrics');
      assert.equal(res.statusCode, 200);
      const text = res.body;
      assert.match(
        text,
        /takt_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api\/v1\/meta",status_code="200"\}/,
      );
      assert.match(text, /takt_db_query_duration_seconds_count\{dialect="\w+",outcome="ok"\} \d+/);
      assert.match(text, /takt_jobs\{status="ready"\} \d+/);
      assert.match(text, /takt_jobs_oldest_ready_age_seconds \d/);
      assert.match(text, /takt_outbox_pending \d+/);
      assert.match(text, /takt_outbox_lag_seconds \d/);
      assert.match(text, /takt_sse_clients \d+/);
      assert.match(text, /takt_nodejs_eventloop_lag_seconds \d/);
      assert.match(text, /takt_process_resident_memory_bytes \d+/);
      if (target.name === 'sqlite') {
        // Starting the harness wrote (migrations, the admin): both count, and no more commits than transactions.
        const commits = Number(/takt_sqlite_commits_total (\d+)/.exec(text)?.[1]);
        const transactions = Number(/takt_sqlite_transactions_total (\d+)/.exec(text)?.[1]);
        assert.ok(commits > 0 && transactions >= commits, `${commits} commits, ${transactions} transactions`);
      } else assert.doesNotMatch(text, /takt_sqlite_commits_total \d/);
    });

    it('serves a valid OpenAPI 3.1 document covering the API', async () => {
      const res = await h.runtime.app.inject('/api/openapi.json');
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.equal(doc.openapi, '3.1.0');
      const result = await new Validator().validate(doc);
      assert.equal(result.valid, true, JSON.stringify(result.errors)?.slice(0, 2000));
      assert.ok(doc.paths['/api/v1/items/'] || doc.paths['/api/v1/items']);
      assert.ok(doc.paths['/api/v1/admin/jobs']);
      const docs = await h.runtime.app.inject('/api/docs/');
      assert.equal(docs.statusCode, 200);
      assert.match(docs.body, /swagger/i);
    });

    it('sets security headers and compresses large JSON', async () => {
      const res = await h.runtime.app.inject({
        url: '/api/openapi.json',
        headers: { 'accept-encoding': 'gzip' },
      });
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    });

    it('gives API answers the headers that protect them and pages the whole set', async () => {
      const api = await h.runtime.app.inject('/api/v1/meta');
      assert.equal(api.statusCode, 200);
      assert.equal(api.headers['x-content-type-options'], 'nosniff');
      assert.equal(api.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(api.headers['cross-origin-resource-policy'], 'same-origin');
      assert.match(String(api.headers['content-security-policy']), /default-src 'self'/);
      assert.match(String(api.headers['strict-transport-security']), /max-age=/);
      for (const documentOnly of [
        'origin-agent-cluster',
        'x-dns-prefetch-control',
        'cross-origin-opener-policy',
      ])
        assert.equal(api.headers[documentOnly], undefined, documentOnly);
      // The API's documentation is a page; so is whatever no route answers.
      for (const url of ['/api/docs/', '/no-such-page']) {
        const page = await h.runtime.app.inject(url);
        assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin', url);
        assert.equal(page.headers['x-content-type-options'], 'nosniff', url);
      }
    });

    it('refuses a body larger than the limit with 413 problem+json', async () => {
      const res = await h.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: JSON.stringify({ login: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 413);
      assert.equal(res.json().code, 'BODY_TOO_LARGE');
    });
  });
}
