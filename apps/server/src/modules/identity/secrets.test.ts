import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { totpAt } from '../../platform/auth/totp.ts';
import { createRuntime, type Runtime } from '../../runtime.ts';
import { type TestDatabase, testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, testConfig } from '../../testing/harness.ts';

/**
 * Passwords, PINs, TOTP secrets and tokens go in, and must never come out: not in the logs (captured at
 * trace level), not in responses other than the one-time displays, not in the audit trail.
 */
for (const target of await testTargets()) {
  describe(`secrets stay secret on ${target.name}`, () => {
    let database: TestDatabase;
    let rt: Runtime;
    const logs: string[] = [];
    const responses: string[] = [];
    const oneTime: string[] = [];

    before(async () => {
      database = await target.create();
      const sink = new Writable({
        write(chunk, _enc, done) {
          logs.push(String(chunk));
          done();
        },
      });
      rt = await createRuntime(testConfig(database, { demo: true, logLevel: 'trace' }), {
        log: pino({ level: 'trace' }, sink),
      });
      rt.start();
    });
    after(async () => {
      await rt.close();
      await database.drop();
    });

    it('never shows passwords, PINs, TOTP secrets or tokens outside their one-time display', async () => {
      const record = <T extends { body: string }>(res: T) => {
        responses.push(res.body);
        return res;
      };
      const login = async (payload: object) =>
        record(await rt.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload }));
      const cookieOf = (res: { headers: Record<string, unknown>; json(): { csrfToken: string } }) => {
        const raw = res.headers['set-cookie'];
        return {
          cookie: String(Array.isArray(raw) ? raw[0] : raw).split(';')[0]!,
          csrf: res.json().csrfToken,
        };
      };

      const adminRes = await login({ login: 'admin', password: ADMIN_PASSWORD });
      const admin = cookieOf(adminRes);
      const call = async (...args: Parameters<ReturnType<typeof api>>) =>
        record(await api(rt, admin)(...args));
      await login({ login: 'admin', password: 'Wrong-Horse-Battery-9' });

      const userPassword = 'Correct-Staple-4711';
      const pin = '864209';
      await call('POST', '/api/v1/identity/users', {
        login: 'secretive',
        displayName: 'S',
        password: userPassword,
        roles: ['operator'],
        badge: 'E9009',
        pin,
      });
      const u = (await call('GET', '/api/v1/identity/users?q=secretive')).json().items[0];
      const newPin = '975310';
      await call('PATCH', `/api/v1/identity/users/${u.id}`, { version: u.version, pin: newPin });
      record(
        await rt.app.inject({
          method: 'POST',
          url: '/api/v1/auth/terminal-login',
          payload: { badge: 'E9009', pin: newPin },
        }),
      );
      record(
        await rt.app.inject({
          method: 'POST',
          url: '/api/v1/auth/terminal-login',
          payload: { badge: 'E9009', pin },
        }),
      );

      const userRes = await login({ login: 'secretive', password: userPassword });
      const me = api(rt, cookieOf(userRes));
      const sessionToken = cookieOf(userRes).cookie.split('=')[1]!;
      const setup = await me('POST', '/api/v1/auth/totp/setup');
      const { secret } = setup.json();
      oneTime.push(setup.body);
      record(await me('POST', '/api/v1/auth/totp/confirm', { code: totpAt(secret, Date.now() / 1000) }));
      const changed = 'Another-Long-Pass-5';
      record(
        await me('POST', '/api/v1/auth/password', { currentPassword: userPassword, newPassword: changed }),
      );
      await login({ login: 'secretive', password: changed, totp: totpAt(secret, Date.now() / 1000 + 30) });
      await call('POST', `/api/v1/identity/users/${u.id}/password`, { newPassword: 'Reset-By-Admin-77' });

      const created = await api(rt, admin)('POST', '/api/v1/identity/tokens', {
        name: 'erp',
        scopes: ['masterdata:read'],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      oneTime.push(created.body);
      const token = created.json().secret as string;
      record(
        await rt.app.inject({
          method: 'GET',
          url: '/api/v1/items?limit=1',
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      await call('GET', '/api/v1/identity/tokens');
      await call('GET', `/api/v1/identity/users/${u.id}`);
      await call('GET', '/api/v1/identity/audit?limit=500');
      await call('GET', '/api/v1/identity/audit/export');

      const audit = JSON.stringify(await rt.db.kysely.selectFrom('audit_log').selectAll().execute());
      const sessions = JSON.stringify(await rt.db.kysely.selectFrom('sessions').selectAll().execute());
      const secrets = {
        adminPassword: ADMIN_PASSWORD,
        wrongPassword: 'Wrong-Horse-Battery-9',
        userPassword,
        changed,
        reset: 'Reset-By-Admin-77',
        pin,
        newPin,
        totpSecret: secret,
        token,
        tokenBody: token.slice(5),
        sessionToken,
      };
      assert.ok(logs.length > 20, 'the logs were captured');
      const leaks: string[] = [];
      for (const [name, value] of Object.entries(secrets)) {
        if (logs.some((l) => l.includes(value))) leaks.push(`${name} in logs`);
        if (responses.some((r) => r.includes(value))) leaks.push(`${name} in a response`);
        if (audit.includes(value)) leaks.push(`${name} in the audit trail`);
        if (name !== 'sessionToken' && sessions.includes(value)) leaks.push(`${name} in sessions`);
      }
      if (sessions.includes(sessionToken)) leaks.push('session token stored in clear');
      assert.deepEqual(leaks, []);
      assert.ok(
        oneTime[0]!.includes(secret) && oneTime[1]!.includes(token),
        'the one-time displays show them',
      );
      assert.ok(audit.includes('[changed]'), 'the audit trail records that secrets changed');
    });
  });
}
