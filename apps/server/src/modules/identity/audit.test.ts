import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diffRows, isSecretKey } from '../../platform/audit.ts';
import { totpAt } from '../../platform/auth/totp.ts';
import { testTargets } from '../../testing/databases.ts';
import {
  ADMIN_PASSWORD,
  api,
  type Harness,
  type Session,
  signIn,
  startHarness,
} from '../../testing/harness.ts';
import { csvCell, exportAudit } from './audit.service.ts';

describe('audit diff', () => {
  it('masks secret fields by word and keeps look-alikes readable', () => {
    for (const k of [
      'password_hash',
      'pin_hash',
      'pin',
      'totp_secret',
      'token_hash',
      'newPassword',
      'apiToken',
    ]) {
      assert.equal(isSecretKey(k), true, k);
    }
    for (const k of ['shipping_address', 'passes', 'opinion', 'badge', 'totp_enabled', 'prefix']) {
      assert.equal(isSecretKey(k), false, k);
    }
    const diff = diffRows({ pin_hash: 'a', name: 'x' }, { pin_hash: 'b', name: 'y' });
    assert.deepEqual(diff, { pin_hash: { to: '[changed]' }, name: { from: 'x', to: 'y' } });
  });

  it('quotes CSV cells and defuses formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,"b"'), '"a,""b"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell(null), '');
  });
});

for (const target of await testTargets()) {
  describe(`audit trail on ${target.name}`, () => {
    let h: Harness;
    let adminSession: Session;
    let call: ReturnType<typeof api>;
    let n = 0;

    before(async () => {
      h = await startHarness(target, { demo: true });
      adminSession = await signIn(h.runtime, 'admin', ADMIN_PASSWORD);
      call = api(h.runtime, adminSession);
    });
    after(async () => h.close());

    /** A fresh signed-in user for self-service routes. */
    const freshUser = async () => {
      const login = `walker${++n}`;
      const res = await call('POST', '/api/v1/identity/users', {
        login,
        displayName: login,
        password: 'walker-pass-1',
        roles: ['viewer'],
      });
      return { id: res.json().id as string, session: await signIn(h.runtime, login, 'walker-pass-1') };
    };
    const created = async (url: string, body: object) => {
      const res = await call('POST', url, body);
      assert.ok(res.statusCode < 300, res.body);
      return res.json();
    };
    const user = () =>
      created('/api/v1/identity/users', {
        login: `target${++n}`,
        displayName: 't',
        password: 'target-pass-1',
        roles: [],
      });
    const inAYear = () => new Date(Date.now() + 365 * 24 * 3600_000).toISOString();

    type Call = { url: string; payload?: object; session?: Session };
    const FIXTURES: Record<string, () => Promise<Call>> = {
      'POST /api/v1/identity/users': async () => ({
        url: '/api/v1/identity/users',
        payload: { login: `new${++n}`, displayName: 'n', password: 'new-pass-123', roles: ['viewer'] },
      }),
      'PATCH /api/v1/identity/users/{id}': async () => {
        const u = await user();
        return { url: `/api/v1/identity/users/${u.id}`, payload: { version: 1, displayName: 'changed' } };
      },
      'POST /api/v1/identity/users/{id}/password': async () => ({
        url: `/api/v1/identity/users/${(await user()).id}/password`,
        payload: { newPassword: 'reset-pass-123' },
      }),
      'DELETE /api/v1/identity/users/{id}/totp': async () => ({
        url: `/api/v1/identity/users/${(await user()).id}/totp`,
      }),
      'POST /api/v1/identity/roles': async () => ({
        url: '/api/v1/identity/roles',
        payload: { name: `role-${++n}`, permissions: ['sales:read'] },
      }),
      'PATCH /api/v1/identity/roles/{id}': async () => {
        const r = await created('/api/v1/identity/roles', { name: `role-${++n}`, permissions: [] });
        return {
          url: `/api/v1/identity/roles/${r.id}`,
          payload: { version: 1, permissions: ['sales:read'] },
        };
      },
      'DELETE /api/v1/identity/roles/{id}': async () => {
        const r = await created('/api/v1/identity/roles', { name: `role-${++n}`, permissions: [] });
        return { url: `/api/v1/identity/roles/${r.id}` };
      },
      'POST /api/v1/identity/teams': async () => ({
        url: '/api/v1/identity/teams',
        payload: { name: `team ${++n}` },
      }),
      'PATCH /api/v1/identity/teams/{id}': async () => {
        const t = await created('/api/v1/identity/teams', { name: `team ${++n}` });
        return { url: `/api/v1/identity/teams/${t.id}`, payload: { version: 1, active: false } };
      },
      'PATCH /api/v1/identity/settings': async () => {
        const s = (await call('GET', '/api/v1/identity/settings')).json();
        return { url: '/api/v1/identity/settings', payload: { version: s.version, requireAdminTotp: false } };
      },
      'POST /api/v1/identity/tokens': async () => ({
        url: '/api/v1/identity/tokens',
        payload: { name: 'walk', scopes: ['sales:read'], expiresAt: inAYear() },
      }),
      'POST /api/v1/identity/tokens/{id}/revoke': async () => {
        const t = await created('/api/v1/identity/tokens', {
          name: 'walk',
          scopes: ['sales:read'],
          expiresAt: inAYear(),
        });
        return { url: `/api/v1/identity/tokens/${t.token.id}/revoke` };
      },
      'POST /api/v1/items': async () => ({
        url: '/api/v1/items',
        payload: { code: `WALK-${++n}`, name: 'walk', type: 'raw', uom: 'pcs' },
      }),
      'POST /api/v1/items/import': async () => ({
        url: '/api/v1/items/import',
        payload: `Code,Name,Type,UoM\r\nWALK-${++n},walk,raw,pcs\r\n` as unknown as object,
      }),
      'PATCH /api/v1/items/{id}': async () => {
        const i = await created('/api/v1/items', {
          code: `WALK-${++n}`,
          name: 'walk',
          type: 'raw',
          uom: 'pcs',
        });
        return { url: `/api/v1/items/${i.id}`, payload: { version: i.version, name: 'walked' } };
      },
      'DELETE /api/v1/items/{id}': async () => {
        const i = await created('/api/v1/items', {
          code: `WALK-${++n}`,
          name: 'walk',
          type: 'raw',
          uom: 'pcs',
        });
        return { url: `/api/v1/items/${i.id}` };
      },
      'POST /api/v1/auth/logout-all': async () => ({
        url: '/api/v1/auth/logout-all',
        session: (await freshUser()).session,
      }),
      'POST /api/v1/auth/password': async () => ({
        url: '/api/v1/auth/password',
        payload: { currentPassword: 'walker-pass-1', newPassword: 'walker-pass-2' },
        session: (await freshUser()).session,
      }),
      'POST /api/v1/auth/totp/setup': async () => ({
        url: '/api/v1/auth/totp/setup',
        session: (await freshUser()).session,
      }),
      'POST /api/v1/auth/totp/confirm': async () => {
        const { session } = await freshUser();
        const { secret } = (await api(h.runtime, session)('POST', '/api/v1/auth/totp/setup')).json();
        return {
          url: '/api/v1/auth/totp/confirm',
          payload: { code: totpAt(secret, Date.now() / 1000) },
          session,
        };
      },
      'POST /api/v1/auth/totp/disable': async () => {
        const { session } = await freshUser();
        const me = api(h.runtime, session);
        const { secret } = (await me('POST', '/api/v1/auth/totp/setup')).json();
        await me('POST', '/api/v1/auth/totp/confirm', { code: totpAt(secret, Date.now() / 1000) });
        return { url: '/api/v1/auth/totp/disable', payload: { currentPassword: 'walker-pass-1' }, session };
      },
    };
    const PUBLIC = new Set(['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/auth/terminal-login']);

    it('writes an audit entry, with the request id, for every mutating identity, auth and item operation', async () => {
      const doc = (await h.runtime.app.inject('/api/openapi.json')).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
        Object.keys(methods)
          .filter((m) => m !== 'get' && m !== 'head')
          .filter(
            () =>
              p.startsWith('/api/v1/identity/') ||
              p.startsWith('/api/v1/items') ||
              (p.startsWith('/api/v1/auth/') && !PUBLIC.has(p)),
          )
          .map((m) => `${m.toUpperCase()} ${p.replace(/\/$/, '')}`),
      );
      assert.ok(ops.length >= 20, ops.join('\n'));
      const missing = ops.filter((op) => !FIXTURES[op]);
      assert.deepEqual(missing, [], 'every mutating operation needs a fixture here');
      const silent: string[] = [];
      for (const op of ops) {
        const fixture = await FIXTURES[op]!();
        const requestId = `audit-walk-${++n}`;
        const [method] = op.split(' ');
        const res = await api(h.runtime, fixture.session ?? adminSession)(
          method as 'POST',
          fixture.url,
          fixture.payload,
          { 'x-request-id': requestId },
        );
        assert.ok(res.statusCode < 300, `${op} → ${res.statusCode} ${res.body}`);
        const entries = await h.runtime.db.kysely
          .selectFrom('audit_log')
          .select(['actor_id', 'ip'])
          .where('request_id', '=', requestId)
          .execute();
        if (entries.length === 0 || !entries[0]!.actor_id || !entries[0]!.ip) silent.push(op);
      }
      assert.deepEqual(silent, []);
    });

    it('searches by entity, action, actor and time, newest first, in cursor pages without gaps', async () => {
      const start = new Date().toISOString();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await created('/api/v1/identity/teams', { name: `paged ${i}` })).id);
      }
      const end = new Date(Date.now() + 1).toISOString();
      const seen: { entityId: string; at: string; actorName: string }[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `entityType=team&action=create&from=${start}&to=${end}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { items: typeof seen; nextCursor: string | null } = (
          await call('GET', `/api/v1/identity/audit?${q}`)
        ).json();
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(
        seen.map((e) => e.entityId),
        [...ids].reverse(),
      );
      assert.ok(seen.every((e) => e.actorName === 'admin'));
      const one = (await call('GET', `/api/v1/identity/audit?entityType=team&entityId=${ids[0]}`)).json();
      assert.equal(one.items.length, 1);
      assert.deepEqual(one.items[0].diff.name, { to: 'paged 0' });
      const adminId = (await call('GET', '/api/v1/auth/session')).json().user.id;
      const mine = (await call('GET', `/api/v1/identity/audit?actorId=${adminId}&limit=500`)).json();
      assert.ok(mine.items.length >= 5);
      assert.ok(mine.items.every((e: { actorId: string }) => e.actorId === adminId));
      const bad = await call('GET', '/api/v1/identity/audit?cursor=nonsense');
      assert.equal(bad.statusCode, 400);
    });

    it('exports every matching entry as streamed CSV', async () => {
      const total = Number(
        (
          await h.runtime.db.kysely
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const res = await call('GET', '/api/v1/identity/audit/export');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="audit-/);
      const lines = res.body.split('\r\n').filter(Boolean);
      assert.equal(
        lines[0],
        'at,actor_type,actor_id,actor_name,ip,user_agent,entity_type,entity_id,action,diff,request_id,id',
      );
      assert.equal(lines.length, total + 1);
      // Small batches give the same rows: the export pages through the table.
      let streamed = '';
      for await (const chunk of exportAudit(h.runtime.db, {}, 7)) streamed += chunk;
      assert.equal(streamed, res.body);
      const filtered = await call('GET', '/api/v1/identity/audit/export?entityType=role');
      assert.ok(
        filtered.body
          .split('\r\n')
          .slice(1, -1)
          .every((l) => l.includes(',role,')),
      );
    });

    it('is append-only: the database refuses to change or delete entries', async () => {
      const db = h.runtime.db.kysely;
      await assert.rejects(db.updateTable('audit_log').set({ action: 'forged' }).execute(), /append-only/);
      await assert.rejects(db.deleteFrom('audit_log').execute(), /append-only/);
      const routes = (await h.runtime.app.inject('/api/openapi.json')).json().paths['/api/v1/identity/audit'];
      assert.deepEqual(Object.keys(routes), ['get']);
    });
  });
}
