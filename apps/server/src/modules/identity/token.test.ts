import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

const inAYear = () => new Date(Date.now() + 365 * 24 * 3600_000).toISOString();

for (const target of await testTargets()) {
  describe(`API tokens on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const bearer = (secret: string) => (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      h.runtime.app.inject({
        method,
        url,
        ...(payload ? { payload } : {}),
        headers: { authorization: `Bearer ${secret}` },
      });
    const create = async (body: object) => {
      const res = await call('POST', '/api/v1/identity/tokens', {
        name: 'erp',
        expiresAt: inAYear(),
        ...body,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { token: { id: string; prefix: string }; secret: string };
    };

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('shows the secret once, stores only its hash and lists the token without it', async () => {
      const { token, secret } = await create({ scopes: ['masterdata:read'] });
      assert.match(secret, /^takt_[\w-]{43}$/);
      assert.ok(secret.startsWith(token.prefix));
      const row = await h.runtime.db.kysely
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', token.id)
        .executeTakeFirstOrThrow();
      assert.equal(JSON.stringify(row).includes(secret), false);
      const list = await call('GET', '/api/v1/identity/tokens?status=active');
      assert.equal(list.body.includes(secret), false);
      assert.ok(list.json().items.some((t: { id: string }) => t.id === token.id));
    });

    it('works within its scope without CSRF, is refused outside it, and records its use', async () => {
      const { token, secret } = await create({ scopes: ['masterdata:read', 'masterdata:create'] });
      const as = bearer(secret);
      assert.equal((await as('GET', '/api/v1/items?limit=1')).statusCode, 200);
      const created = await as('POST', '/api/v1/items', {
        code: 'TOK-1',
        name: 't',
        type: 'raw',
        uom: 'pcs',
      });
      assert.equal(created.statusCode, 201, created.body);
      const denied = await as('GET', '/api/v1/identity/users');
      assert.equal(denied.statusCode, 403);
      assert.equal(
        (await as('PATCH', `/api/v1/items/${created.json().id}`, { version: 1, name: 'x' })).statusCode,
        403,
      );
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', created.json().id)
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_type, 'token');
      assert.equal(audit.actor_id, token.id);
      const listed = (await call('GET', '/api/v1/identity/tokens'))
        .json()
        .items.find((t: { id: string }) => t.id === token.id);
      assert.ok(listed.lastUsedAt);
    });

    it('answers 401 to a revoked, an expired and an unknown token', async () => {
      const { token, secret } = await create({ scopes: ['masterdata:read'] });
      const revoked = await call('POST', `/api/v1/identity/tokens/${token.id}/revoke`);
      assert.equal(revoked.json().status, 'revoked');
      const r = await bearer(secret)('GET', '/api/v1/items?limit=1');
      assert.equal(r.statusCode, 401);
      assert.equal(r.json().code, 'TOKEN_REVOKED');
      assert.equal((await call('POST', `/api/v1/identity/tokens/${token.id}/revoke`)).statusCode, 409);

      const old = await create({ scopes: ['masterdata:read'] });
      await h.runtime.db.kysely
        .updateTable('api_tokens')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', old.token.id)
        .execute();
      const e = await bearer(old.secret)('GET', '/api/v1/items?limit=1');
      assert.equal(e.statusCode, 401);
      assert.equal(e.json().code, 'TOKEN_EXPIRED');
      const expired = (await call('GET', '/api/v1/identity/tokens?status=expired')).json().items;
      assert.ok(expired.some((t: { id: string }) => t.id === old.token.id));

      const u = await bearer('takt_not-a-real-token')('GET', '/api/v1/items?limit=1');
      assert.equal(u.statusCode, 401);
      assert.equal(u.json().code, 'UNAUTHENTICATED');
    });

    it('refuses a scope wider than the creator holds, unknown scopes and bad expiries, naming the field', async () => {
      await call('POST', '/api/v1/identity/roles', {
        name: 'integrator',
        permissions: ['admin:read', 'admin:create', 'masterdata:read'],
      });
      await call('POST', '/api/v1/identity/users', {
        login: 'integrator',
        displayName: 'Integrator',
        password: 'integrate-1',
        roles: ['integrator'],
      });
      const clerk = api(h.runtime, await signIn(h.runtime, 'integrator', 'integrate-1'));
      const wide = await clerk('POST', '/api/v1/identity/tokens', {
        name: 'too wide',
        scopes: ['masterdata:read', 'masterdata:delete'],
        expiresAt: inAYear(),
      });
      assert.equal(wide.statusCode, 403);
      assert.equal(wide.json().code, 'SCOPE_TOO_WIDE');
      assert.equal(wide.json().errors[0].field, '/scopes/1');
      const ok = await clerk('POST', '/api/v1/identity/tokens', {
        name: 'fine',
        scopes: ['masterdata:read'],
        expiresAt: inAYear(),
      });
      assert.equal(ok.statusCode, 201);
      const unknown = await call('POST', '/api/v1/identity/tokens', {
        name: 'x',
        scopes: ['sales:dance'],
        expiresAt: inAYear(),
      });
      assert.equal(unknown.json().errors[0].field, '/scopes/0');
      const past = await call('POST', '/api/v1/identity/tokens', {
        name: 'x',
        scopes: ['sales:read'],
        expiresAt: '2020-01-01T00:00:00Z',
      });
      assert.equal(past.statusCode, 400);
      assert.equal(past.json().errors[0].field, '/expiresAt');
    });

    it('loses the rights its creator loses', async () => {
      await call('POST', '/api/v1/identity/users', {
        login: 'temp.admin',
        displayName: 'Temp',
        password: 'temp-admin-1',
        roles: ['admin'],
      });
      const temp = api(h.runtime, await signIn(h.runtime, 'temp.admin', 'temp-admin-1'));
      const { secret } = (
        await temp('POST', '/api/v1/identity/tokens', {
          name: 't',
          scopes: ['masterdata:read'],
          expiresAt: inAYear(),
        })
      ).json();
      assert.equal((await bearer(secret)('GET', '/api/v1/items?limit=1')).statusCode, 200);
      const u = (await call('GET', '/api/v1/identity/users?q=temp.admin')).json().items[0];
      await call('PATCH', `/api/v1/identity/users/${u.id}`, { version: u.version, roles: ['warehouse'] });
      assert.equal(
        (await bearer(secret)('GET', '/api/v1/items?limit=1')).statusCode,
        200,
        'warehouse reads master data',
      );
      await call('PATCH', `/api/v1/identity/users/${u.id}`, { version: u.version + 1, active: false });
      assert.equal((await bearer(secret)('GET', '/api/v1/items?limit=1')).statusCode, 401);
    });

    it('cannot create tokens itself or use sign-in only routes', async () => {
      const { secret } = await create({ scopes: ['*'] });
      const res = await bearer(secret)('POST', '/api/v1/identity/tokens', {
        name: 'child',
        scopes: ['masterdata:read'],
        expiresAt: inAYear(),
      });
      assert.equal(res.statusCode, 403);
      assert.equal((await bearer(secret)('POST', '/api/v1/auth/logout-all')).statusCode, 403);
    });

    it('is rate limited on its own', async () => {
      const { secret } = await create({ scopes: ['masterdata:read'], rateLimitPerMinute: 3 });
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await bearer(secret)('GET', '/api/v1/items?limit=1')).statusCode);
      assert.deepEqual(codes, [200, 200, 200, 429, 429]);
      const limited = await bearer(secret)('GET', '/api/v1/items?limit=1');
      assert.equal(limited.json().code, 'RATE_LIMITED');
      assert.equal((await call('GET', '/api/v1/items?limit=1')).statusCode, 200, 'others are not affected');
    });
  });
}
