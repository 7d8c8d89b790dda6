import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`customers on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('creates a customer with tier, contacts and address', async () => {
      const res = await call('POST', '/api/v1/customers', {
        code: 'C-2001',
        name: ' 南京金鼎机电有限公司 ',
        tier: 'A',
        address: '江苏省南京市江宁区',
        contacts: [{ name: '王磊', phone: ' 13800001111 ', email: '' }],
      });
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json();
      assert.equal(c.name, '南京金鼎机电有限公司');
      assert.deepEqual(c.contacts, [{ name: '王磊', phone: '13800001111' }]);
      assert.equal(c.tier, 'A');
      assert.match(String(res.headers.location), new RegExp(`/api/v1/customers/${c.id}$`));
    });

    it('creates exactly one customer when the same code arrives eight times at once', async () => {
      const results = await Promise.all(
        ['C-3001', 'c-3001', 'Ｃ－３００１', ' C-3001', 'c－3001', 'C-3001 ', 'ｃ-3001', 'C-3001'].map(
          (code) => call('POST', '/api/v1/customers', { code, name: '并发客户' }),
        ),
      );
      const codes = results.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 201).length, 1, codes.join(','));
      assert.equal(codes.filter((c) => c === 409).length, 7, codes.join(','));
      const rows = await h.runtime.db.kysely
        .selectFrom('customers')
        .select('code')
        .where('code', '=', 'C-3001')
        .execute();
      assert.equal(rows.length, 1);
    });

    it('pages through customers by name without gaps or repeats and filters by tier', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/customers?sort=-name&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { items: { id: string; name: string }[]; nextCursor: string | null } = (
          await call('GET', url)
        ).json();
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      const total = (await call('GET', '/api/v1/customers?limit=500')).json().items.length;
      assert.equal(seen.length, total);
      assert.equal(new Set(seen).size, total);
      const tierA = (await call('GET', '/api/v1/customers?tier=A&limit=500')).json().items;
      assert.ok(tierA.length >= 3);
      assert.ok(tierA.every((c: { tier: string }) => c.tier === 'A'));
    });

    it('updates with the version read, refuses a stale one, and audits every change', async () => {
      const c = (await call('POST', '/api/v1/customers', { code: 'C-4001', name: '版本客户' })).json();
      const ok = await call('PATCH', `/api/v1/customers/${c.id}`, { version: 1, tier: 'C' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().version, 2);
      const stale = await call('PATCH', `/api/v1/customers/${c.id}`, { version: 1, tier: 'A' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      assert.equal(stale.json().currentVersion, 2);
      const off = await call('PATCH', `/api/v1/customers/${c.id}`, { version: 2, active: false });
      assert.equal(off.json().active, false);
      const history = (await call('GET', `/api/v1/customers/${c.id}/history`)).json();
      assert.deepEqual(
        history.items.map((e: { action: string }) => e.action),
        ['create', 'update', 'deactivate'],
      );
      assert.deepEqual(history.items[1].diff.tier, { from: 'B', to: 'C' });
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', c.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['customer.created', 'customer.updated', 'customer.updated'],
      );
      const inactive = (await call('GET', '/api/v1/customers?active=false')).json().items;
      assert.deepEqual(
        inactive.map((i: { code: string }) => i.code),
        ['C-4001'],
      );
    });

    it('deletes a customer nothing refers to', async () => {
      const c = (await call('POST', '/api/v1/customers', { code: 'C-5001', name: '临时客户' })).json();
      assert.equal((await call('DELETE', `/api/v1/customers/${c.id}`)).statusCode, 204);
      assert.equal((await call('GET', `/api/v1/customers/${c.id}`)).statusCode, 404);
    });

    it('lets a viewer read but not write', async () => {
      const viewer = api(h.runtime, await signIn(h.runtime, 'viewer', 'takt-demo'));
      assert.equal((await viewer('GET', '/api/v1/customers')).statusCode, 200);
      assert.equal(
        (await viewer('POST', '/api/v1/customers', { code: 'C-6001', name: 'v' })).statusCode,
        403,
      );
    });
  });
}
