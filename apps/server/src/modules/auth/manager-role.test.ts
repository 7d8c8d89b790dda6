import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { api, type Harness, type Session, signIn, startHarness } from '../../testing/harness.ts';
import { raiseAlert } from '../../platform/alerts.ts';
import { DEMO_PASSWORD } from '../demo/demo-data.ts';

/** What a plant manager opens on the phone: every area of the plant. */
const AREAS = {
  floor: '/api/v1/shopfloor/floor',
  dispatch: '/api/v1/shopfloor/dispatch-list',
  workOrders: '/api/v1/work-orders',
  schedule: '/api/v1/scheduling/runs',
  inventory: '/api/v1/inventory/balances',
  sales: '/api/v1/sales-orders',
  purchasing: '/api/v1/purchase-orders',
  latePurchases: '/api/v1/purchase-orders/late',
  quality: '/api/v1/quality/inspections',
  production: '/api/v1/reports/production',
  delivery: '/api/v1/reports/delivery',
  utilisation: '/api/v1/reports/utilisation',
  stock: '/api/v1/reports/inventory',
  exceptions: '/api/v1/exceptions',
  alerts: '/api/v1/alerts',
  items: '/api/v1/items',
  machines: '/api/v1/machines',
};
/** Administration and the integration hub stay closed; the performance page is an administrator's. */
const CLOSED = [
  '/api/v1/system/performance',
  '/api/v1/identity/users',
  '/api/v1/admin/jobs',
  '/api/v1/integration/reconciliation/runs',
  '/api/v1/integration/webhooks/subscriptions',
];
const SELF_SERVICE = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/terminal-login',
  'POST /api/v1/auth/logout-all',
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/totp/setup',
  'POST /api/v1/auth/totp/confirm',
  'POST /api/v1/auth/totp/disable',
]);

/** The writes a manager may do: acknowledge an alert or an exception (tested on their own above). */
const ACKNOWLEDGE = new Set(['POST /api/v1/alerts/{id}/ack', 'PATCH /api/v1/exceptions/{id}']);

for (const target of await testTargets()) {
  describe(`the manager role on ${target.name}`, () => {
    let h: Harness;
    let session: Session;
    let call: ReturnType<typeof api>;
    before(async () => {
      h = await startHarness(target, { demo: true });
      session = await signIn(h.runtime, 'manager', DEMO_PASSWORD);
      call = api(h.runtime, session);
    });
    after(async () => h.close());

    it('signs the demo manager in with the manager role, read permissions and alerts:acknowledge', async () => {
      const me = (await call('GET', '/api/v1/auth/session')).json();
      assert.deepEqual(me.user.roles, ['manager']);
      const perms: string[] = me.user.permissions;
      assert.ok(perms.length >= 10, perms.join(','));
      assert.deepEqual(
        perms.filter((p) => !p.endsWith(':read')),
        ['alerts:acknowledge'],
      );
      assert.ok(!perms.some((p) => p.startsWith('admin:') || p.startsWith('integration:')));
    });

    it('reads every area of the plant', async () => {
      const refused: string[] = [];
      for (const [area, url] of Object.entries(AREAS)) {
        const res = await call('GET', url);
        if (res.statusCode !== 200) refused.push(`${area} ${url} → ${res.statusCode}`);
      }
      assert.deepEqual(refused, []);
      const orders = (await call('GET', AREAS.sales)).json();
      assert.ok((orders.items ?? orders).length > 0, 'the demo sales orders are visible');
    });

    it('is refused administration, the integration hub and the performance page', async () => {
      for (const url of CLOSED) assert.equal((await call('GET', url)).statusCode, 403, url);
    });

    it('acknowledges an alert, which a viewer may not, and still cannot edit a work order', async () => {
      const raise = (title: string) =>
        h.runtime.db.transaction((tx) =>
          raiseAlert(tx, null, { severity: 'warning', kind: 'test', title, dedupeKey: `test:${title}` }),
        );
      const id = await raise('经理确认');
      assert.ok(id, 'raised');
      const res = await call('POST', `/api/v1/alerts/${id}/ack`);
      assert.equal(res.statusCode, 200, res.body);
      assert.ok((res.json() as { acknowledgedAt: string | null }).acknowledgedAt, 'acknowledged');
      const row = await h.runtime.db.kysely
        .selectFrom('alerts')
        .select('acknowledged_by')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.acknowledged_by, 'manager');

      const viewer = api(h.runtime, await signIn(h.runtime, 'viewer', DEMO_PASSWORD));
      const other = await raise('只读用户');
      const refused = await viewer('POST', `/api/v1/alerts/${other}/ack`);
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().permission, 'alerts:acknowledge');

      // Refused before the work order is looked up: the manager lacks production:update.
      const edit = await call(
        'PATCH',
        '/api/v1/work-orders/00000000-0000-7000-8000-000000000000/custom-fields',
        {
          version: 1,
          values: {},
        },
      );
      assert.equal(edit.statusCode, 403, edit.body);
      assert.equal(edit.json().permission, 'production:update');
    });

    it('acknowledges an exception but neither assigns nor resolves it; a viewer does neither', async () => {
      const supervisor = api(h.runtime, await signIn(h.runtime, 'supervisor', DEMO_PASSWORD));
      const raised = await supervisor('POST', '/api/v1/exceptions', { kind: 'tooling', note: '夹具松动' });
      assert.equal(raised.statusCode, 201, raised.body);
      const ex = raised.json() as { id: string; version: number; state: string };
      assert.equal(ex.state, 'open');

      const viewer = api(h.runtime, await signIn(h.runtime, 'viewer', DEMO_PASSWORD));
      const byViewer = await viewer('PATCH', `/api/v1/exceptions/${ex.id}`, {
        version: ex.version,
        action: 'acknowledge',
      });
      assert.equal(byViewer.statusCode, 403, byViewer.body);
      assert.equal(byViewer.json().permission, 'alerts:acknowledge');

      for (const action of ['assign', 'resolve'] as const) {
        const res = await call('PATCH', `/api/v1/exceptions/${ex.id}`, {
          version: ex.version,
          action,
          owner: '郑宏',
          resolution: '已紧固',
        });
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().permission, 'production:update');
      }
      // Naming an owner while acknowledging is assigning.
      const withOwner = await call('PATCH', `/api/v1/exceptions/${ex.id}`, {
        version: ex.version,
        action: 'acknowledge',
        owner: '郑宏',
      });
      assert.equal(withOwner.statusCode, 403, withOwner.body);
      assert.equal(withOwner.json().permission, 'production:update');
      const ack = await call('PATCH', `/api/v1/exceptions/${ex.id}`, {
        version: ex.version,
        action: 'acknowledge',
      });
      assert.equal(ack.statusCode, 200, ack.body);
      assert.equal((ack.json() as { state: string }).state, 'acknowledged');
      // Seen by the manager, not taken on: it stays for someone who can resolve it.
      assert.equal((ack.json() as { owner: string | null }).owner, null);
      // Still the supervisor's to resolve.
      const resolved = await supervisor('PATCH', `/api/v1/exceptions/${ex.id}`, {
        version: (ack.json() as { version: number }).version,
        action: 'resolve',
        resolution: '已紧固',
      });
      assert.equal(resolved.statusCode, 200, resolved.body);
    });

    it('answers 403 to every other write, resolving exceptions included', async () => {
      const doc = (await h.runtime.app.inject('/api/openapi.json')).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const writes = Object.entries(doc.paths).flatMap(([p, methods]) =>
        Object.keys(methods)
          .filter((m) => m !== 'get')
          .map((m) => ({ method: m.toUpperCase(), template: p.replace(/\/$/, '') })),
      );
      const keys = new Set(writes.map((w) => `${w.method} ${w.template}`));
      assert.ok(keys.has('POST /api/v1/alerts/{id}/ack'));
      assert.ok(keys.has('PATCH /api/v1/exceptions/{id}'));
      const allowed: string[] = [];
      for (const w of writes) {
        const key = `${w.method} ${w.template}`;
        if (SELF_SERVICE.has(key) || ACKNOWLEDGE.has(key)) continue;
        const res = await h.runtime.app.inject({
          method: w.method as 'POST',
          url: w.template.replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000'),
          payload: {},
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        });
        if (res.statusCode !== 403) allowed.push(`${key} → ${res.statusCode}`);
      }
      assert.deepEqual(allowed, []);
      assert.ok(writes.length > 50, `only ${writes.length} writes walked`);
    });
  });
}
