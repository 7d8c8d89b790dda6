import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { bootstrap } from '../../bootstrap.ts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-data.ts';

for (const target of await testTargets()) {
  describe(`demo accounts with public credentials on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const login = (l: string, password: string) =>
      h.runtime.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: l, password } });
    const badge = (b: string, pin: string) =>
      h.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/auth/terminal-login',
        payload: { badge: b, pin },
      });
    const userByLogin = async (l: string) =>
      (await call('GET', `/api/v1/identity/users?q=${l}&active=true&limit=50`))
        .json()
        .items.find((u: { login: string }) => u.login === l) ??
      (await call('GET', `/api/v1/identity/users?q=${l}&limit=50`))
        .json()
        .items.find((u: { login: string }) => u.login === l);

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('reports every demo account of a fresh demo plant, and warns at start', async () => {
      const res = await call('GET', '/api/v1/admin/demo-accounts');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.count, DEMO_USERS.length);
      assert.deepEqual(
        body.accounts.map((a: { login: string }) => a.login).sort(),
        DEMO_USERS.map((u) => u.login).sort(),
      );
      const operator = body.accounts.find((a: { login: string }) => a.login === 'operator');
      assert.equal(operator.publicPassword, true);
      assert.equal(operator.publicPin, true);
      assert.equal(body.accounts.find((a: { login: string }) => a.login === 'planner').publicPin, false);

      const lines: string[] = [];
      const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
      await bootstrap(h.runtime.db, h.runtime.config, log, undefined);
      // A restart checks in the background (Argon2 takes its time), then warns once.
      for (let i = 0; i < 200 && lines.length === 0; i++) await sleep(25);
      assert.equal(lines.length, 1);
      const warning = JSON.parse(lines[0]!);
      assert.equal(warning.level, 40);
      assert.match(warning.msg, /takt-demo/);
      assert.match(warning.msg, /TAKT_DEMO=0/);
    });

    it('forbids both to a non-admin', async () => {
      const viewer = api(h.runtime, await signIn(h.runtime, 'viewer', DEMO_PASSWORD));
      assert.equal((await viewer('GET', '/api/v1/admin/demo-accounts')).statusCode, 403);
      const res = await viewer('POST', '/api/v1/admin/demo-accounts/deactivate');
      assert.equal(res.statusCode, 403);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal((await call('GET', '/api/v1/admin/demo-accounts')).json().count, DEMO_USERS.length);
    });

    it('deactivates those with the public password, ends their sessions and keeps changed ones', async () => {
      // Two demo users became real: new passwords; operator2 still has the documented badge PIN.
      for (const l of ['planner', 'operator2']) {
        const u = await userByLogin(l);
        const r = await call('POST', `/api/v1/identity/users/${u.id}/password`, {
          newPassword: 'a-real-password-1',
          mustChangePassword: false,
        });
        assert.equal(r.statusCode, 200, r.body);
      }
      const listed = (await call('GET', '/api/v1/admin/demo-accounts')).json();
      assert.equal(listed.count, DEMO_USERS.length - 1);
      assert.ok(!listed.accounts.some((a: { login: string }) => a.login === 'planner'));
      const op2 = listed.accounts.find((a: { login: string }) => a.login === 'operator2');
      assert.deepEqual([op2.publicPassword, op2.publicPin], [false, true]);

      const supervisor = api(h.runtime, await signIn(h.runtime, 'supervisor', DEMO_PASSWORD));
      assert.equal((await supervisor('GET', '/api/v1/auth/session')).statusCode, 200);

      const res = await call('POST', '/api/v1/admin/demo-accounts/deactivate');
      assert.equal(res.statusCode, 200, res.body);
      const done = res.json();
      assert.deepEqual(
        done.deactivated.sort(),
        DEMO_USERS.map((u) => u.login)
          .filter((l) => l !== 'planner' && l !== 'operator2')
          .sort(),
      );
      assert.deepEqual(done.pinsRemoved, ['operator2']);

      assert.deepEqual((await call('GET', '/api/v1/admin/demo-accounts')).json(), { count: 0, accounts: [] });
      // No sign-in with the public credentials any more; the open session ended.
      assert.equal((await login('supervisor', DEMO_PASSWORD)).statusCode, 401);
      assert.equal((await login('operator', DEMO_PASSWORD)).statusCode, 401);
      assert.equal((await badge('E1001', '1234')).statusCode, 401);
      assert.equal((await badge('E1002', '2345')).statusCode, 401);
      assert.equal((await supervisor('GET', '/api/v1/auth/session')).statusCode, 401);
      // The changed accounts and the administrator go on.
      assert.equal((await login('planner', 'a-real-password-1')).statusCode, 200);
      assert.equal((await login('operator2', 'a-real-password-1')).statusCode, 200);
      assert.equal((await login('admin', ADMIN_PASSWORD)).statusCode, 200);
      const planner = await userByLogin('planner');
      assert.equal(planner.active, true);
      const op2After = await userByLogin('operator2');
      assert.deepEqual([op2After.active, op2After.hasPin, op2After.badge], [true, false, 'E1002']);

      // Deactivated, not deleted: the rows stay, audited one by one.
      const sup = await userByLogin('supervisor');
      assert.equal(sup.active, false);
      const audit = (
        await call('GET', `/api/v1/identity/audit?entityType=user&entityId=${sup.id}&action=deactivate`)
      ).json();
      assert.equal(audit.items.length, 1);
    });

    it('changes nothing the second time', async () => {
      const before = (await call('GET', '/api/v1/identity/users?limit=100')).json().items;
      const res = await call('POST', '/api/v1/admin/demo-accounts/deactivate');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { deactivated: [], pinsRemoved: [] });
      const after = (await call('GET', '/api/v1/identity/users?limit=100')).json().items;
      assert.deepEqual(after, before);
    });
  });
}
