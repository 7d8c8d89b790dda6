import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import {
  ADMIN_PASSWORD,
  api,
  type Harness,
  type Session,
  signIn,
  startHarness,
} from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`items API and HTTP conventions on ${target.name}`, () => {
    let h: Harness;
    let admin: Session;
    let call: ReturnType<typeof api>;
    const count = async () =>
      Number(
        (
          await h.runtime.db.kysely
            .selectFrom('items')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      h = await startHarness(target, { demo: true });
      admin = await signIn(h.runtime, 'admin', ADMIN_PASSWORD);
      call = api(h.runtime, admin);
    });
    after(async () => h.close());

    it('creates an item, stores exact decimals and returns it with a location and a request id', async () => {
      const res = await call('POST', '/api/v1/items', {
        code: ' rm-900001 ',
        name: '测试圆钢',
        type: 'raw',
        uom: 'kg',
        safetyStock: '12.345',
        standardCost: '0.07',
      });
      assert.equal(res.statusCode, 201, res.body);
      const item = res.json();
      assert.equal(item.code, 'RM-900001');
      assert.equal(item.safetyStock, '12.345');
      assert.equal(item.standardCost, '0.07');
      assert.equal(item.version, 1);
      assert.match(String(res.headers.location), /^\/api\/v1\/items\//);
      assert.ok(res.headers['x-request-id']);
      const row = await h.runtime.db.kysely
        .selectFrom('items')
        .selectAll()
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.safety_stock), 12345);
      assert.equal(Number(row.standard_cost), 7);
    });

    it('echoes a caller-supplied request id', async () => {
      const res = await call('GET', '/api/v1/items?limit=1', undefined, { 'x-request-id': 'trace-abc-123' });
      assert.equal(res.headers['x-request-id'], 'trace-abc-123');
    });

    it('refuses unknown fields with 400 problem+json naming the field, and writes nothing', async () => {
      const before = await count();
      const res = await call('POST', '/api/v1/items', {
        code: 'X-1',
        name: 'n',
        type: 'raw',
        uom: 'pcs',
        colour: 'red',
      });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      const p = res.json();
      assert.equal(p.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        p.errors.map((e: { field: string }) => e.field),
        ['/colour'],
      );
      assert.equal(await count(), before);
    });

    it('refuses wrong types and missing fields, naming each', async () => {
      const before = await count();
      const res = await call('POST', '/api/v1/items', { code: 5, type: 'raw', uom: 'pcs', safetyStock: 3 });
      assert.equal(res.statusCode, 400);
      const fields = res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort();
      assert.deepEqual(fields, ['/code', '/name', '/safetyStock']);
      assert.equal(await count(), before);
    });

    it('refuses malformed JSON with MALFORMED_JSON', async () => {
      const res = await h.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/items',
        payload: '{"code": "A", ',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'MALFORMED_JSON');
    });

    it('refuses a quantity with more than three decimals instead of rounding it', async () => {
      const res = await call('POST', '/api/v1/items', {
        code: 'X-2',
        name: 'n',
        type: 'raw',
        uom: 'pcs',
        safetyStock: '1.2345',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/safetyStock');
    });

    it('refuses a duplicate code with 409 DUPLICATE_CODE', async () => {
      const res = await call('POST', '/api/v1/items', {
        code: 'fg-100100',
        name: 'again',
        type: 'finished',
        uom: 'pcs',
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'DUPLICATE_CODE');
      assert.equal(res.json().errors[0].field, '/code');
    });

    it('creates exactly one item when the same code is posted concurrently', async () => {
      const body = { code: 'RACE-0001', name: 'race', type: 'raw', uom: 'pcs' };
      const results = await Promise.all(Array.from({ length: 8 }, () => call('POST', '/api/v1/items', body)));
      const codes = results.map((r) => r.statusCode).sort();
      assert.equal(codes.filter((c) => c === 201).length, 1, codes.join(','));
      assert.equal(codes.filter((c) => c === 409).length, 7);
    });

    it('updates with the version read and refuses a stale version with 409', async () => {
      const created = (
        await call('POST', '/api/v1/items', { code: 'VER-0001', name: 'v1', type: 'raw', uom: 'pcs' })
      ).json();
      const ok = await call('PATCH', `/api/v1/items/${created.id}`, { version: 1, name: 'v2' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().version, 2);
      const stale = await call('PATCH', `/api/v1/items/${created.id}`, { version: 1, name: 'v3' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      assert.equal(stale.json().currentVersion, 2);
      const got = await call('GET', `/api/v1/items/${created.id}`);
      assert.equal(got.json().name, 'v2');
      assert.equal(got.headers.etag, 'W/"2"');
    });

    it('pages through a filtered, sorted list with cursors without gaps or repeats', async () => {
      const all: { id: string; name: string }[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/items?sort=-name&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { items: { id: string; name: string }[]; nextCursor: string | null } = (
          await call('GET', url)
        ).json();
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const total = await count();
      assert.equal(all.length, total);
      assert.equal(new Set(all.map((i) => i.id)).size, total);
      const names = all.map((i) => i.name);
      const sorted = [...names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
      assert.deepEqual(names, sorted);

      const raw = (
        await call('GET', `/api/v1/items?type=raw&q=${encodeURIComponent('钢')}&limit=100`)
      ).json();
      assert.ok(raw.items.length >= 3);
      for (const i of raw.items) {
        assert.equal(i.type, 'raw');
        assert.ok(i.name.includes('钢') || i.code.includes('钢'));
      }
    });

    it('refuses a cursor from another sort order', async () => {
      const page = (await call('GET', '/api/v1/items?sort=code&limit=2')).json();
      const res = await call('GET', `/api/v1/items?sort=name&cursor=${page.nextCursor}`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'BAD_CURSOR');
    });

    it('writes an audit entry and an outbox event in the same transaction as the change', async () => {
      const created = (
        await call('POST', '/api/v1/items', { code: 'AUD-0001', name: 'a', type: 'tool', uom: 'pcs' })
      ).json();
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', created.id)
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.action, 'create');
      assert.ok(audit[0]!.request_id);
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('aggregate_id', '=', created.id)
        .execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['item.created'],
      );
      assert.equal(events[0]!.request_id, audit[0]!.request_id);
    });

    it('asks for credentials (401) and for permission (403)', async () => {
      const anon = await api(h.runtime, null)('GET', '/api/v1/items');
      assert.equal(anon.statusCode, 401);
      assert.equal(anon.json().code, 'UNAUTHENTICATED');
      const viewer = await signIn(h.runtime, 'viewer', 'takt-demo');
      const read = await api(h.runtime, viewer)('GET', '/api/v1/items?limit=1');
      assert.equal(read.statusCode, 200);
      const write = await api(h.runtime, viewer)('POST', '/api/v1/items', {
        code: 'V-1',
        name: 'v',
        type: 'raw',
        uom: 'pcs',
      });
      assert.equal(write.statusCode, 403);
      assert.equal(write.json().code, 'PERMISSION_DENIED');
    });

    it('refuses a cookie-authenticated write without the CSRF token', async () => {
      const res = await h.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/items',
        payload: { code: 'C-1', name: 'c', type: 'raw', uom: 'pcs' },
        headers: { cookie: admin.cookie },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'CSRF_FAILED');
    });

    it('answers an unknown API route with 404 problem+json', async () => {
      const res = await call('GET', '/api/v1/nothing-here');
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'ROUTE_NOT_FOUND');
    });
  });
}
