import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { totpAt } from '../../platform/auth/totp.ts';
import { cacheOf } from '../../platform/cache/cache.ts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, type Session, startHarness } from '../../testing/harness.ts';
import type { Runtime } from '../../runtime.ts';

let ipSeq = 0;
/** A client address of its own per call, so the per-IP sign-in limit does not interfere between tests. */
const freshIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

async function post(rt: Runtime, url: string, payload: object, ip = freshIp()) {
  return rt.app.inject({ method: 'POST', url, payload, headers: { 'x-forwarded-for': ip } });
}

function sessionOf(res: LightMyRequestResponse): Session {
  assert.equal(res.statusCode, 200, res.body);
  const raw = res.headers['set-cookie'];
  const cookie = (Array.isArray(raw) ? raw[0]! : String(raw)).split(';')[0]!;
  return { cookie, csrf: res.json().csrfToken };
}

const signIn = async (rt: Runtime, login: string, password: string, totp?: string) =>
  sessionOf(await post(rt, '/api/v1/auth/login', { login, password, ...(totp ? { totp } : {}) }));

for (const target of await testTargets()) {
  describe(`sign-in, sessions and second factor on ${target.name}`, () => {
    let h: Harness;
    let admin: ReturnType<typeof api>;
    const newUser = async (login: string, extra: object = {}) => {
      const res = await admin('POST', '/api/v1/identity/users', {
        login,
        displayName: login,
        password: 'first-pass-1',
        roles: ['planner'],
        ...extra,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; version: number };
    };
    const auditOf = (entityId: string) =>
      h.runtime.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', entityId)
        .orderBy('at')
        .execute();

    before(async () => {
      h = await startHarness(target, { demo: true });
      admin = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('slows down and then locks an account after ten wrong passwords in a row, and audits the lock', async () => {
      const user = await newUser('lock.me');
      const codes: string[] = [];
      const took: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = Date.now();
        const res = await post(h.runtime, '/api/v1/auth/login', { login: 'lock.me', password: `wrong-${i}` });
        took.push(Date.now() - started);
        assert.equal(res.statusCode, 401);
        codes.push(res.json().code);
      }
      assert.deepEqual(codes, [...Array(9).fill('BAD_CREDENTIALS'), 'ACCOUNT_LOCKED']);
      assert.ok(took[8]! > took[0]! + 500, `no growing delay: ${took.join(', ')} ms`);
      const right = await post(h.runtime, '/api/v1/auth/login', {
        login: 'lock.me',
        password: 'first-pass-1',
      });
      assert.equal(right.statusCode, 401);
      assert.equal(right.json().code, 'ACCOUNT_LOCKED');
      const lock = (await auditOf(user.id)).find((a) => a.action === 'lock');
      assert.ok(lock, 'the lock is audited');
      assert.equal(JSON.parse(lock.diff).locked.to, true);
      // An administrator's password reset lifts the lock.
      const reset = await admin('POST', `/api/v1/identity/users/${user.id}/password`, {
        newPassword: 'second-pass-2',
        mustChangePassword: false,
      });
      assert.equal(reset.statusCode, 200, reset.body);
      await signIn(h.runtime, 'lock.me', 'second-pass-2');
    });

    it('changes the own password with the current one and ends the other sessions but not this one', async () => {
      const user = await newUser('change.me');
      const here = await signIn(h.runtime, 'change.me', 'first-pass-1');
      const there = await signIn(h.runtime, 'change.me', 'first-pass-1');
      const res = await api(h.runtime, here)('POST', '/api/v1/auth/password', {
        currentPassword: 'first-pass-1',
        newPassword: 'brand-new-pass',
      });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal((await api(h.runtime, here)('GET', '/api/v1/items?limit=1')).statusCode, 200);
      assert.equal((await api(h.runtime, there)('GET', '/api/v1/items?limit=1')).statusCode, 401);
      const old = await post(h.runtime, '/api/v1/auth/login', {
        login: 'change.me',
        password: 'first-pass-1',
      });
      assert.equal(old.statusCode, 401);
      await signIn(h.runtime, 'change.me', 'brand-new-pass');
      assert.ok((await auditOf(user.id)).some((a) => a.action === 'password_change'));
    });

    it('refuses a password change with a wrong current password or a too short new one, naming the field', async () => {
      await newUser('careful');
      const me = api(h.runtime, await signIn(h.runtime, 'careful', 'first-pass-1'));
      const wrong = await me('POST', '/api/v1/auth/password', {
        currentPassword: 'not-it',
        newPassword: 'brand-new-pass',
      });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().code, 'WRONG_PASSWORD');
      assert.equal(wrong.json().errors[0].field, '/currentPassword');
      const short = await me('POST', '/api/v1/auth/password', {
        currentPassword: 'first-pass-1',
        newPassword: 'x',
      });
      assert.equal(short.statusCode, 400);
      assert.equal(short.json().errors[0].field, '/newPassword');
    });

    it('signs the user out everywhere', async () => {
      const user = await newUser('everywhere');
      const a = await signIn(h.runtime, 'everywhere', 'first-pass-1');
      const b = await signIn(h.runtime, 'everywhere', 'first-pass-1');
      const res = await api(h.runtime, a)('POST', '/api/v1/auth/logout-all');
      assert.equal(res.statusCode, 204);
      for (const s of [a, b]) {
        assert.equal((await api(h.runtime, s)('GET', '/api/v1/items?limit=1')).statusCode, 401);
      }
      assert.ok((await auditOf(user.id)).some((e) => e.action === 'logout_all'));
    });

    it('refuses a session kept in memory at once after sign-out, a role change, deactivation or a password reset', async () => {
      const user = await newUser('cached.user');
      const cache = cacheOf(h.runtime.db);
      const versionOf = async () =>
        ((await admin('GET', `/api/v1/identity/users/${user.id}`)).json() as { version: number }).version;
      const warm = async (s: Session) => {
        assert.equal((await api(h.runtime, s)('GET', '/api/v1/items?limit=1')).statusCode, 200);
        const hits = cache.stats().hits;
        assert.equal((await api(h.runtime, s)('GET', '/api/v1/items?limit=1')).statusCode, 200);
        assert.ok(cache.stats().hits > hits, 'the second request is served from memory');
      };
      const status = async (s: Session) =>
        (await api(h.runtime, s)('GET', '/api/v1/items?limit=1')).statusCode;

      const first = await signIn(h.runtime, 'cached.user', 'first-pass-1');
      await warm(first);
      assert.equal((await api(h.runtime, first)('POST', '/api/v1/auth/logout')).statusCode, 204);
      assert.equal(await status(first), 401, 'signed out');

      const second = await signIn(h.runtime, 'cached.user', 'first-pass-1');
      await warm(second);
      const demoted = await admin('PATCH', `/api/v1/identity/users/${user.id}`, {
        version: await versionOf(),
        roles: [],
      });
      assert.equal(demoted.statusCode, 200, demoted.body);
      assert.equal(await status(second), 403, 'the roles no longer grant item reads');
      const restored = await admin('PATCH', `/api/v1/identity/users/${user.id}`, {
        version: await versionOf(),
        roles: ['planner'],
      });
      assert.equal(restored.statusCode, 200, restored.body);
      assert.equal(await status(second), 200);

      const reset = await admin('POST', `/api/v1/identity/users/${user.id}/password`, {
        newPassword: 'second-pass-2',
        mustChangePassword: false,
      });
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal(await status(second), 401, 'a password reset ends the sessions');

      const third = await signIn(h.runtime, 'cached.user', 'second-pass-2');
      await warm(third);
      const off = await admin('PATCH', `/api/v1/identity/users/${user.id}`, {
        version: await versionOf(),
        active: false,
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(await status(third), 401, 'deactivated');
    });

    it('makes a user choose a new password after an admin reset and allows nothing else until then', async () => {
      const user = await newUser('forgetful');
      const before = await signIn(h.runtime, 'forgetful', 'first-pass-1');
      const reset = await admin('POST', `/api/v1/identity/users/${user.id}/password`, {
        newPassword: 'temporary-123',
      });
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal(reset.json().mustChangePassword, true);
      assert.equal((await api(h.runtime, before)('GET', '/api/v1/items?limit=1')).statusCode, 401);

      const res = await post(h.runtime, '/api/v1/auth/login', {
        login: 'forgetful',
        password: 'temporary-123',
      });
      assert.equal(res.json().pending, 'password_change');
      const me = api(h.runtime, sessionOf(res));
      const blocked = await me('GET', '/api/v1/items?limit=1');
      assert.equal(blocked.statusCode, 403);
      assert.equal(blocked.json().code, 'PASSWORD_CHANGE_REQUIRED');
      const changed = await me('POST', '/api/v1/auth/password', {
        currentPassword: 'temporary-123',
        newPassword: 'my-own-secret',
      });
      assert.equal(changed.statusCode, 204, changed.body);
      assert.equal((await me('GET', '/api/v1/items?limit=1')).statusCode, 200);
      assert.equal((await me('GET', '/api/v1/auth/session')).json().pending, null);
    });

    it('sets up a TOTP second factor, then needs a valid, unused code at sign-in', async () => {
      const user = await newUser('two.factor');
      const me = api(h.runtime, await signIn(h.runtime, 'two.factor', 'first-pass-1'));
      const setup = await me('POST', '/api/v1/auth/totp/setup');
      assert.equal(setup.statusCode, 200, setup.body);
      const { secret, otpauthUri } = setup.json();
      assert.match(secret, /^[A-Z2-7]{32}$/);
      assert.ok(otpauthUri.startsWith('otpauth://totp/Takt%3Atwo.factor?secret='));
      const now = Date.now() / 1000;
      const bad = await me('POST', '/api/v1/auth/totp/confirm', { code: totpAt(secret, now - 300) });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().errors[0].field, '/code');
      const ok = await me('POST', '/api/v1/auth/totp/confirm', { code: totpAt(secret, now) });
      assert.equal(ok.statusCode, 204, ok.body);

      const without = await post(h.runtime, '/api/v1/auth/login', {
        login: 'two.factor',
        password: 'first-pass-1',
      });
      assert.equal(without.statusCode, 401);
      assert.equal(without.json().code, 'TOTP_REQUIRED');
      const replay = await post(h.runtime, '/api/v1/auth/login', {
        login: 'two.factor',
        password: 'first-pass-1',
        totp: totpAt(secret, now),
      });
      assert.equal(replay.json().code, 'TOTP_INVALID', 'the code used to confirm cannot sign in again');
      const next = totpAt(secret, now + 30);
      await signIn(h.runtime, 'two.factor', 'first-pass-1', next);
      const again = await post(h.runtime, '/api/v1/auth/login', {
        login: 'two.factor',
        password: 'first-pass-1',
        totp: next,
      });
      assert.equal(again.json().code, 'TOTP_INVALID');
      const got = (await admin('GET', `/api/v1/identity/users/${user.id}`)).json();
      assert.equal(got.totpEnabled, true);
      assert.equal(JSON.stringify(got).includes(secret), false);
      const removed = await admin('DELETE', `/api/v1/identity/users/${user.id}/totp`);
      assert.equal(removed.json().totpEnabled, false);
      await signIn(h.runtime, 'two.factor', 'first-pass-1');
    });

    it('signs an operator in at a terminal with badge and PIN, limited to shop-floor work', async () => {
      const res = await post(h.runtime, '/api/v1/auth/terminal-login', { badge: 'e1002', pin: '2345' });
      const body = res.json();
      assert.equal(body.kind, 'terminal');
      assert.equal(body.user.login, 'operator2');
      for (const p of body.user.permissions)
        assert.match(p, /^(shopfloor:\w+|masterdata:read|production:read|quality:(read|create))$/);
      const terminal = api(h.runtime, sessionOf(res));
      assert.equal((await terminal('GET', '/api/v1/items?limit=1')).statusCode, 200);
      assert.equal((await terminal('GET', '/api/v1/identity/users')).statusCode, 403);
      const pw = await terminal('POST', '/api/v1/auth/password', {
        currentPassword: 'takt-demo',
        newPassword: 'x'.repeat(9),
      });
      assert.equal(pw.statusCode, 403, 'a terminal session cannot change the password');

      // A supervisor's badge gives a terminal session only shop-floor rights too.
      const sup = await admin('GET', '/api/v1/identity/users?q=supervisor');
      const s = sup.json().items[0];
      await admin('PATCH', `/api/v1/identity/users/${s.id}`, {
        version: s.version,
        badge: 'S2001',
        pin: '908172',
      });
      const supTerminal = await post(h.runtime, '/api/v1/auth/terminal-login', {
        badge: 'S2001',
        pin: '908172',
      });
      assert.ok(supTerminal.json().user.permissions.every((p: string) => !p.startsWith('sales:')));
    });

    it('locks a badge after five wrong PINs and audits it, while the password still works', async () => {
      const user = await newUser('badge.holder', { roles: ['operator'], badge: 'E7001', pin: '4321' });
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await post(h.runtime, '/api/v1/auth/terminal-login', { badge: 'E7001', pin: '0000' });
        codes.push(res.json().code);
      }
      assert.deepEqual(codes, [
        'BAD_CREDENTIALS',
        'BAD_CREDENTIALS',
        'BAD_CREDENTIALS',
        'BAD_CREDENTIALS',
        'ACCOUNT_LOCKED',
      ]);
      const right = await post(h.runtime, '/api/v1/auth/terminal-login', { badge: 'E7001', pin: '4321' });
      assert.equal(right.json().code, 'ACCOUNT_LOCKED');
      assert.ok((await auditOf(user.id)).some((a) => a.action === 'lock_badge'));
      await signIn(h.runtime, 'badge.holder', 'first-pass-1');
      const unknown = await post(h.runtime, '/api/v1/auth/terminal-login', { badge: 'NOPE1', pin: '1234' });
      assert.equal(unknown.json().code, 'BAD_CREDENTIALS');
    });

    it('ends a terminal session after 15 idle minutes', async () => {
      const terminal = sessionOf(
        await post(h.runtime, '/api/v1/auth/terminal-login', { badge: 'E1003', pin: '3456' }),
      );
      assert.equal((await api(h.runtime, terminal)('GET', '/api/v1/items?limit=1')).statusCode, 200);
      const sixteenMinutesAgo = new Date(Date.now() - 16 * 60_000).toISOString();
      await h.runtime.db.kysely
        .updateTable('sessions')
        .set({ last_seen_at: sixteenMinutesAgo })
        .where('kind', '=', 'terminal')
        .execute();
      // Sixteen real minutes would have outlasted the few seconds a process keeps a session in memory.
      cacheOf(h.runtime.db).invalidateNow('sessions');
      assert.equal((await api(h.runtime, terminal)('GET', '/api/v1/items?limit=1')).statusCode, 401);
    });

    it('requires administrators to enrol a second factor when the installation says so', async () => {
      await newUser('second.admin', { roles: ['admin'] });
      const other = api(h.runtime, await signIn(h.runtime, 'second.admin', 'first-pass-1'));
      const current = (await admin('GET', '/api/v1/identity/settings')).json();
      const on = await admin('PATCH', '/api/v1/identity/settings', {
        version: current.version,
        requireAdminTotp: true,
      });
      assert.equal(on.json().requireAdminTotp, true);

      const blocked = await other('GET', '/api/v1/identity/users');
      assert.equal(blocked.statusCode, 403);
      assert.equal(blocked.json().code, 'TOTP_ENROLMENT_REQUIRED');
      assert.equal((await other('GET', '/api/v1/auth/session')).json().pending, 'totp_enrolment');
      const { secret } = (await other('POST', '/api/v1/auth/totp/setup')).json();
      const code = totpAt(secret, Date.now() / 1000);
      assert.equal((await other('POST', '/api/v1/auth/totp/confirm', { code })).statusCode, 204);
      assert.equal((await other('GET', '/api/v1/identity/users')).statusCode, 200);
      const off = await other('POST', '/api/v1/auth/totp/disable', { currentPassword: 'first-pass-1' });
      assert.equal(off.statusCode, 409, 'an administrator cannot drop the required factor');

      // Operators are not administrators: the requirement leaves them alone.
      const op = await signIn(h.runtime, 'operator', 'takt-demo');
      assert.equal((await api(h.runtime, op)('GET', '/api/v1/items?limit=1')).statusCode, 200);
    });
  });
}
