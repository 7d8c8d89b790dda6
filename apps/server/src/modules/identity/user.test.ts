import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`users, roles and teams API on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const user = (login: string, extra: object = {}) => ({
      login,
      displayName: `用户 ${login}`,
      password: 'long-enough-1',
      roles: ['viewer'],
      ...extra,
    });

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('creates a user with contact data, team, badge and PIN, and never returns the secrets', async () => {
      const team = (await call('POST', '/api/v1/identity/teams', { name: '机加工一班' })).json();
      const res = await call(
        'POST',
        '/api/v1/identity/users',
        user('Li.Na', {
          email: 'li.na@example.com',
          phone: '+86 138 0000 0000',
          teamId: team.id,
          badge: 'e5001',
          pin: '5566',
        }),
      );
      assert.equal(res.statusCode, 201, res.body);
      const u = res.json();
      assert.equal(u.login, 'li.na');
      assert.equal(u.badge, 'E5001');
      assert.equal(u.hasPin, true);
      assert.equal(u.teamId, team.id);
      assert.equal(u.version, 1);
      for (const secret of ['long-enough-1', '5566', 'argon2'])
        assert.equal(res.body.includes(secret), false);
      const row = await h.runtime.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('id', '=', u.id)
        .executeTakeFirstOrThrow();
      assert.match(row.pin_hash!, /^\$argon2id\$/);
      const listed = (await call('GET', `/api/v1/identity/users?teamId=${team.id}`)).json();
      assert.deepEqual(
        listed.items.map((i: { login: string }) => i.login),
        ['li.na'],
      );
    });

    it('names each invalid field', async () => {
      const res = await call('POST', '/api/v1/identity/users', {
        login: 'a b',
        displayName: '',
        password: 'short',
        roles: ['viewer'],
        pin: '12',
        email: 'nope',
        extra: 1,
      });
      assert.equal(res.statusCode, 400);
      const fields = res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort();
      assert.deepEqual(fields, ['/displayName', '/email', '/extra', '/login', '/password', '/pin']);
      const roles = await call(
        'POST',
        '/api/v1/identity/users',
        user('ghost', { roles: ['viewer', 'wizard'] }),
      );
      assert.equal(roles.statusCode, 400);
      assert.equal(roles.json().errors[0].field, '/roles/1');
      const team = await call('POST', '/api/v1/identity/users', user('ghost', { teamId: 'no-such-team' }));
      assert.equal(team.json().errors[0].field, '/teamId');
    });

    it('refuses a duplicate login (any case) and a duplicate badge with 409', async () => {
      const login = await call('POST', '/api/v1/identity/users', user('PLANNER'));
      assert.equal(login.statusCode, 409);
      assert.equal(login.json().code, 'DUPLICATE_LOGIN');
      assert.equal(login.json().errors[0].field, '/login');
      const badge = await call(
        'POST',
        '/api/v1/identity/users',
        user('new.op', { badge: 'E1001', pin: '1111' }),
      );
      assert.equal(badge.statusCode, 409);
      assert.equal(badge.json().code, 'DUPLICATE_BADGE');
      assert.equal(badge.json().errors[0].field, '/badge');
    });

    it('updates with the version read and refuses a stale one', async () => {
      const u = (await call('POST', '/api/v1/identity/users', user('versioned'))).json();
      const ok = await call('PATCH', `/api/v1/identity/users/${u.id}`, {
        version: 1,
        roles: ['planner', 'quality'],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json().roles, ['planner', 'quality']);
      const stale = await call('PATCH', `/api/v1/identity/users/${u.id}`, { version: 1, displayName: 'x' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      assert.equal(stale.json().currentVersion, 2);
    });

    it('deactivates instead of deleting, which ends the sessions and blocks sign-in', async () => {
      const u = (await call('POST', '/api/v1/identity/users', user('leaver'))).json();
      const session = await signIn(h.runtime, 'leaver', 'long-enough-1');
      const res = await call('PATCH', `/api/v1/identity/users/${u.id}`, { version: 1, active: false });
      assert.equal(res.json().active, false);
      assert.equal((await api(h.runtime, session)('GET', '/api/v1/items?limit=1')).statusCode, 401);
      await assert.rejects(signIn(h.runtime, 'leaver', 'long-enough-1'));
      const del = await call('DELETE', `/api/v1/identity/users/${u.id}`);
      assert.equal(del.statusCode, 404, 'there is no delete for users');
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', u.id)
        .execute();
      assert.ok(audit.some((a) => a.action === 'deactivate'));
    });

    it('keeps at least one active administrator', async () => {
      const me = (await call('GET', '/api/v1/identity/users?q=admin&role=admin')).json().items;
      assert.equal(me.length, 1);
      const res = await call('PATCH', `/api/v1/identity/users/${me[0].id}`, {
        version: me[0].version,
        active: false,
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'LAST_ADMIN');
    });

    it('creates a custom role whose permission matrix grants exactly its rights', async () => {
      const role = await call('POST', '/api/v1/identity/roles', {
        name: 'qc-lead',
        description: '质检组长',
        permissions: ['quality:read', 'quality:approve', 'masterdata:read'],
      });
      assert.equal(role.statusCode, 201, role.body);
      await call('POST', '/api/v1/identity/users', user('qc.lead', { roles: ['qc-lead'] }));
      const session = await signIn(h.runtime, 'qc.lead', 'long-enough-1');
      const lead = api(h.runtime, session);
      const me = (await lead('GET', '/api/v1/auth/session')).json();
      assert.deepEqual(me.user.permissions, ['masterdata:read', 'quality:approve', 'quality:read']);
      assert.equal((await lead('GET', '/api/v1/items?limit=1')).statusCode, 200);
      assert.equal(
        (await lead('POST', '/api/v1/items', { code: 'Q-1', name: 'q', type: 'raw', uom: 'pcs' })).statusCode,
        403,
      );

      const changed = await call('PATCH', `/api/v1/identity/roles/${role.json().id}`, {
        version: 1,
        permissions: ['quality:read'],
      });
      assert.equal(changed.json().version, 2);
      assert.equal(
        (await lead('GET', '/api/v1/items?limit=1')).statusCode,
        403,
        'a changed role applies at once',
      );
      const listed = (await call('GET', '/api/v1/identity/roles')).json();
      assert.ok(listed.some((r: { name: string; builtIn: boolean }) => r.name === 'admin' && r.builtIn));
      assert.ok(listed.some((r: { name: string; builtIn: boolean }) => r.name === 'qc-lead' && !r.builtIn));
      const catalog = (await call('GET', '/api/v1/identity/permissions')).json();
      assert.ok(catalog.modules.includes('shopfloor') && catalog.actions.includes('approve'));
      assert.deepEqual(catalog.special, ['alerts:acknowledge']);
    });

    it('refuses duplicate role names, built-in names and unknown permissions', async () => {
      const body = { name: 'buyer-2', permissions: ['purchasing:read'] };
      assert.equal((await call('POST', '/api/v1/identity/roles', body)).statusCode, 201);
      const dup = await call('POST', '/api/v1/identity/roles', body);
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().code, 'DUPLICATE_NAME');
      assert.equal(dup.json().errors[0].field, '/name');
      const builtIn = await call('POST', '/api/v1/identity/roles', { name: 'planner', permissions: [] });
      assert.equal(builtIn.json().code, 'DUPLICATE_NAME');
      const unknown = await call('POST', '/api/v1/identity/roles', {
        name: 'odd',
        permissions: ['sales:read', 'sales:fly'],
      });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().errors[0].field, '/permissions/1');
    });

    it('deletes only a role nobody holds', async () => {
      const role = (
        await call('POST', '/api/v1/identity/roles', { name: 'temp-role', permissions: ['reports:read'] })
      ).json();
      const holder = (
        await call('POST', '/api/v1/identity/users', user('temp.holder', { roles: ['temp-role'] }))
      ).json();
      const busy = await call('DELETE', `/api/v1/identity/roles/${role.id}`);
      assert.equal(busy.statusCode, 409);
      assert.equal(busy.json().code, 'ROLE_IN_USE');
      await call('PATCH', `/api/v1/identity/users/${holder.id}`, { version: 1, roles: ['viewer'] });
      assert.equal((await call('DELETE', `/api/v1/identity/roles/${role.id}`)).statusCode, 204);
      assert.equal((await call('GET', `/api/v1/identity/roles/${role.id}`)).statusCode, 404);
    });

    it('lets nobody grant rights they do not hold, through a role or a role assignment', async () => {
      await call('POST', '/api/v1/identity/roles', {
        name: 'user-admin',
        permissions: ['admin:read', 'admin:create', 'admin:update', 'masterdata:read'],
      });
      await call('POST', '/api/v1/identity/users', user('hr.clerk', { roles: ['user-admin'] }));
      const clerk = api(h.runtime, await signIn(h.runtime, 'hr.clerk', 'long-enough-1'));
      const role = await clerk('POST', '/api/v1/identity/roles', {
        name: 'sneaky',
        permissions: ['sales:delete'],
      });
      assert.equal(role.statusCode, 403);
      assert.equal(role.json().code, 'SCOPE_TOO_WIDE');
      assert.equal(role.json().errors[0].field, '/permissions/0');
      const assign = await clerk('POST', '/api/v1/identity/users', user('boss', { roles: ['admin'] }));
      assert.equal(assign.statusCode, 403);
      assert.equal(assign.json().errors[0].field, '/roles/0');
      const fine = await clerk('POST', '/api/v1/identity/users', user('intern', { roles: [] }));
      assert.equal(fine.statusCode, 201, fine.body);
    });

    it('renames and deactivates teams with versions and refuses a duplicate team name', async () => {
      const t = (await call('POST', '/api/v1/identity/teams', { name: '装配班' })).json();
      const dup = await call('POST', '/api/v1/identity/teams', { name: '装配班' });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().errors[0].field, '/name');
      const off = await call('PATCH', `/api/v1/identity/teams/${t.id}`, {
        version: 1,
        active: false,
        name: '装配二班',
      });
      assert.equal(off.json().active, false);
      assert.equal(
        (await call('PATCH', `/api/v1/identity/teams/${t.id}`, { version: 1, name: 'x' })).statusCode,
        409,
      );
      const list = (await call('GET', '/api/v1/identity/teams')).json();
      assert.ok(list.some((x: { name: string }) => x.name === '装配二班'));
    });
  });
}
