import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { api, type Harness, type Session, signIn, startHarness } from '../../testing/harness.ts';
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

    it('signs the demo manager in with the manager role and only read permissions', async () => {
      const me = (await call('GET', '/api/v1/auth/session')).json();
      assert.deepEqual(me.user.roles, ['manager']);
      const perms: string[] = me.user.permissions;
      assert.ok(perms.length >= 9, perms.join(','));
      assert.deepEqual(
        perms.filter((p) => !p.endsWith(':read')),
        [],
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

    it('answers 403 to every write, acknowledging alerts and exceptions included', async () => {
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
        if (SELF_SERVICE.has(key)) continue;
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
