import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Db } from '../../platform/db/database.ts';
import { testTargets } from '../../testing/databases.ts';
import {
  ADMIN_PASSWORD,
  adminApi,
  type api,
  type Harness,
  signIn,
  startHarness,
} from '../../testing/harness.ts';
import { bearer, createToken } from '../../testing/tokens.ts';
import { bodyText, type RequestLogRow, RequestLogWriter, redact } from './request-log.writer.ts';
import { pruneRequests } from './request-log.service.ts';

describe('request log redaction', () => {
  it('replaces secrets at any depth and keeps business codes', () => {
    const out = redact({
      login: 'anna',
      password: 'p',
      newPassword: 'q',
      pin: '1234',
      code: 'FG-1',
      nested: [{ apiKey: 'k', secret: 's', authorization: 'Bearer x', totpCode: '123456' }],
    });
    assert.deepEqual(out, {
      login: 'anna',
      password: '[redacted]',
      newPassword: '[redacted]',
      pin: '[redacted]',
      code: 'FG-1',
      nested: [
        { apiKey: '[redacted]', secret: '[redacted]', authorization: '[redacted]', totpCode: '[redacted]' },
      ],
    });
    assert.deepEqual(redact({ code: '123456' }, true), { code: '[redacted]' });
  });

  it('cuts long bodies at the limit and says so', () => {
    const long = bodyText({ note: 'x'.repeat(500) }, 'application/json', 100, false);
    assert.equal(long.truncated, true);
    assert.equal(Buffer.byteLength(long.text!), 100);
    const upload = { stream: Readable.from([Buffer.from('a,b')]), toJSON: () => 'file' };
    assert.deepEqual(bodyText(upload, 'text/csv', 100, false), { text: '"file"', truncated: false });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.equal(bodyText(cyclic, undefined, 100, false).text, '[unserializable]');
    assert.deepEqual(bodyText('{"token":"t"}', 'application/json', 100, false), {
      text: '{"token":"[redacted]"}',
      truncated: false,
    });
  });
});

describe('request log buffer', () => {
  it('while a long write holds the database, keeps the newest rows and drops the oldest in bulk', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-reqlog-'));
    const db = Db.open({ url: null, sqliteFile: path.join(dir, 'takt.db') });
    t.after(async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await db.migrate();
    const writer = new RequestLogWriter(db, undefined, { flushMs: 60_000, maxRows: 1000, maxBuffered: 100 });
    const row = (n: number): RequestLogRow => ({
      id: `r-${String(n).padStart(5, '0')}`,
      at: new Date(1_800_000_000_000 + n).toISOString(),
      actor_kind: 'anonymous',
      actor_id: null,
      actor_name: null,
      method: 'GET',
      path: `/api/v1/items?n=${n}`,
      route: '/api/v1/items',
      status: 200,
      duration_us: 100,
      request_id: `req-${n}`,
      ip: null,
      user_agent: null,
      idempotency_key: null,
      request_body: null,
      response_body: null,
      truncated: 0,
    });
    // A long write (an import) holds the writer: a flush meanwhile waits for it.
    let release = () => {};
    const held = db.transaction(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await new Promise((r) => setTimeout(r, 20));
    const flushed = writer.flush();
    for (let n = 0; n < 1000; n++) writer.add(row(n));
    const { buffered, dropped } = writer.backlog;
    assert.ok(buffered <= 100 && buffered >= 90, `buffered ${buffered}`);
    assert.equal(buffered + dropped, 1000);
    release();
    await held;
    await flushed;
    await writer.close();
    const kept = await db.kysely.selectFrom('request_log').select('id').orderBy('id').execute();
    assert.equal(kept.length, buffered);
    // The newest rows are the ones kept, in order.
    assert.equal(kept.at(-1)!.id, 'r-00999');
    assert.equal(kept[0]!.id, `r-${String(1000 - buffered).padStart(5, '0')}`);
  });
});

for (const target of await testTargets()) {
  describe(`the API request log on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let tokenId: string;
    let secret: string;
    before(async () => {
      h = await startHarness(target, { demo: true });
      call = await adminApi(h.runtime);
      ({ id: tokenId, secret } = await createToken(h, call, {
        name: 'crm-sync',
        scopes: ['integration:read', 'integration:create'],
        rateLimitPerMinute: 40,
      }));
    });
    after(async () => h.close());

    it('writes one row per call with the caller, route and redacted bodies', async () => {
      const as = bearer(h, secret);
      assert.equal((await as('GET', '/api/v1/integration/monitor')).statusCode, 200);
      const made = await h.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/integration/webhooks/subscriptions',
        headers: { authorization: `Bearer ${secret}`, 'idempotency-key': 'req-log-0001' },
        payload: { name: 'logged hook', url: 'https://example.com/hook', eventTypes: ['item.*'] },
      });
      assert.equal(made.statusCode, 201);
      // A sign-in with a password in its body.
      await signIn(h.runtime, 'admin', ADMIN_PASSWORD);
      await h.runtime.app.requestLog.flush();

      const rows = await h.runtime.db.kysely
        .selectFrom('request_log')
        .selectAll()
        .where('actor_id', '=', tokenId)
        .orderBy('id')
        .execute();
      assert.equal(rows.length, 2);
      assert.equal(rows[0]!.method, 'GET');
      assert.equal(rows[0]!.route, '/api/v1/integration/monitor');
      assert.equal(rows[0]!.actor_kind, 'token');
      assert.equal(rows[0]!.actor_name, 'crm-sync');
      assert.equal(rows[0]!.request_body, null, 'reads keep no bodies');
      assert.equal(rows[1]!.status, 201);
      assert.equal(rows[1]!.idempotency_key, 'req-log-0001');
      assert.equal(JSON.parse(rows[1]!.request_body!).name, 'logged hook');
      assert.equal(JSON.parse(rows[1]!.response_body!).name, 'logged hook');
      assert.equal(JSON.parse(rows[1]!.response_body!).secret, '[redacted]');
      assert.ok(rows[1]!.duration_us > 0);

      const login = await h.runtime.db.kysely
        .selectFrom('request_log')
        .selectAll()
        .where('path', '=', '/api/v1/auth/login')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(login.request_body!).password, '[redacted]');
      assert.equal(JSON.parse(login.request_body!).login, 'admin');
      assert.equal(JSON.parse(login.response_body!).csrfToken, '[redacted]');
      const tokenRow = await h.runtime.db.kysely
        .selectFrom('request_log')
        .selectAll()
        .where('path', '=', '/api/v1/identity/tokens')
        .where('method', '=', 'POST')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(tokenRow.response_body!).secret, '[redacted]');
    });

    it('searches by caller, path, status, method, time and duration, page by page', async () => {
      for (let i = 0; i < 5; i++) await call('GET', `/api/v1/nothing/marker-${i}`);
      await h.runtime.app.requestLog.flush();

      const byToken = (await call('GET', `/api/v1/integration/requests?actorId=${tokenId}`)).json();
      assert.equal(byToken.items.length, 2);
      assert.deepEqual(byToken.items[0].actor, { kind: 'token', id: tokenId, name: 'crm-sync' });

      const paths: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `/api/v1/integration/requests?pathContains=%2Fnothing%2Fmarker&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await call('GET', q)).json();
        paths.push(...page.items.map((r: { path: string }) => r.path));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(
        paths,
        [4, 3, 2, 1, 0].map((i) => `/api/v1/nothing/marker-${i}`),
      );

      const missing = (await call('GET', '/api/v1/integration/requests?statusClass=4xx&method=GET')).json();
      assert.ok(missing.items.some((r: { path: string }) => r.path === '/api/v1/nothing/marker-0'));
      assert.ok(missing.items.every((r: { status: number }) => r.status >= 400 && r.status < 500));
      const created = (await call('GET', '/api/v1/integration/requests?status=201&method=POST')).json();
      assert.ok(created.items.every((r: { status: number }) => r.status === 201));
      assert.ok(created.items.length >= 1);

      const future = new Date(Date.now() + 60_000).toISOString();
      const none = (
        await call('GET', `/api/v1/integration/requests?from=${encodeURIComponent(future)}`)
      ).json();
      assert.equal(none.items.length, 0);
      const slow = (await call('GET', '/api/v1/integration/requests?minDurationMs=600000')).json();
      assert.equal(slow.items.length, 0);
      const bad = await call('GET', '/api/v1/integration/requests?statusClass=6xx');
      assert.equal(bad.statusCode, 400);
    });

    it('shows bodies only to callers with admin:read', async () => {
      const page = (await call('GET', `/api/v1/integration/requests?actorId=${tokenId}&method=POST`)).json();
      const id = page.items[0].id;
      const full = (await call('GET', `/api/v1/integration/requests/${id}`)).json();
      assert.equal(full.bodiesVisible, true);
      assert.equal(JSON.parse(full.requestBody).name, 'logged hook');
      const asToken = await bearer(h, secret)('GET', `/api/v1/integration/requests/${id}`);
      assert.equal(asToken.statusCode, 200);
      assert.equal(asToken.json().bodiesVisible, false);
      assert.equal(asToken.json().requestBody, null);
      assert.equal((await call('GET', '/api/v1/integration/requests/nope')).statusCode, 404);
    });

    it('prunes rows older than the retention and keeps the rest', async () => {
      await h.runtime.app.requestLog.flush();
      const old = new Date(Date.now() - 20 * 86_400_000).toISOString();
      await h.runtime.db.kysely
        .updateTable('request_log')
        .set({ at: old })
        .where('actor_id', '=', tokenId)
        .execute();
      const before = await h.runtime.db.kysely
        .selectFrom('request_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      // Two rows per statement: the last of the three goes in a second round.
      assert.equal(await pruneRequests(h.runtime.db, 14, Date.now(), 2), 3);
      const after = await h.runtime.db.kysely
        .selectFrom('request_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n) - 3);
      const schedule = await h.runtime.db.kysely
        .selectFrom('job_schedules')
        .selectAll()
        .where('name', '=', 'request-log-prune')
        .executeTakeFirst();
      assert.equal(schedule?.job_name, 'integration.request_log.prune');
    });

    it('limits an API token on its own with 429 problem+json and Retry-After', async () => {
      const codes: number[] = [];
      let limited: Awaited<ReturnType<ReturnType<typeof bearer>>> | null = null;
      for (let i = 0; i < 45; i++) {
        const res = await bearer(h, secret)('GET', '/api/v1/integration/monitor');
        codes.push(res.statusCode);
        if (res.statusCode === 429) limited = res;
      }
      assert.ok(codes.includes(429), codes.join(','));
      assert.ok(limited);
      assert.equal(limited.json().code, 'RATE_LIMITED');
      assert.match(String(limited.headers['content-type']), /application\/problem\+json/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal((await call('GET', '/api/v1/integration/monitor')).statusCode, 200);
    });
  });
}
