import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

type Line = { componentItemId: string; qtyPer: string; scrapBp?: number };

for (const target of await testTargets()) {
  describe(`BOMs on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const ids = new Map<string, string>();

    const item = async (code: string, type = 'semi_finished') => {
      const res = await call('POST', '/api/v1/items', { code, name: `件 ${code}`, type, uom: 'pcs' });
      assert.equal(res.statusCode, 201, res.body);
      ids.set(code, res.json().id);
      return res.json().id as string;
    };
    const line = (code: string, qtyPer: string, scrapBp = 0): Line => ({
      componentItemId: ids.get(code)!,
      qtyPer,
      scrapBp,
    });
    const create = (parent: string, lines: Line[], label = 'V1') =>
      call('POST', '/api/v1/boms', { itemId: ids.get(parent), versionLabel: label, lines });
    const activeBom = async (parent: string, lines: Line[], label = 'V1') => {
      const res = await create(parent, lines, label);
      assert.equal(res.statusCode, 201, res.body);
      const act = await call('POST', `/api/v1/boms/${res.json().id}/activate`, { version: 1 });
      assert.equal(act.statusCode, 200, act.body);
      return act.json();
    };

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      for (const c of ['T-A', 'T-B', 'T-C', 'T-D', 'T-E', 'T-P', 'T-Q']) await item(c);
      await item('T-RM', 'raw');
      // T-A → T-B → T-C → T-RM, and T-A → T-C directly as well.
      await activeBom('T-C', [line('T-RM', '0.75', 250)]);
      await activeBom('T-B', [line('T-C', '3')]);
      await activeBom('T-A', [line('T-B', '2', 500), line('T-C', '1')]);
    });
    after(async () => h.close());

    it('refuses a BOM that uses its own item with 409 BOM_CYCLE', async () => {
      const res = await create('T-D', [line('T-D', '1')]);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'BOM_CYCLE');
      assert.deepEqual(res.json().cycle, ['T-D', 'T-D']);
    });

    it('refuses a deep cycle through three levels, naming the path of item codes', async () => {
      const res = await create('T-RM', [line('T-A', '1')]);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'BOM_CYCLE');
      const cycle: string[] = res.json().cycle;
      assert.equal(cycle[0], cycle.at(-1));
      for (const code of ['T-A', 'T-C', 'T-RM']) assert.ok(cycle.includes(code), cycle.join(' → '));
      assert.match(res.json().detail, /T-RM/);
    });

    it('checks activation against the structure as it is then, not as it was when the draft was saved', async () => {
      const p = (await create('T-P', [line('T-Q', '1')])).json();
      const q = (await create('T-Q', [line('T-P', '1')])).json();
      assert.equal(p.status, 'draft');
      assert.equal(q.status, 'draft');
      assert.equal((await call('POST', `/api/v1/boms/${p.id}/activate`, { version: 1 })).statusCode, 200);
      const res = await call('POST', `/api/v1/boms/${q.id}/activate`, { version: 1 });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'BOM_CYCLE');
      assert.deepEqual(res.json().cycle, ['T-Q', 'T-P', 'T-Q']);
      assert.equal((await call('GET', `/api/v1/boms/${q.id}`)).json().status, 'draft');
    });

    it('keeps exactly one active version per item and archives the previous one', async () => {
      const v2 = (await create('T-B', [line('T-C', '4')], 'V2')).json();
      const res = await call('POST', `/api/v1/boms/${v2.id}/activate`, { version: 1 });
      assert.equal(res.statusCode, 200, res.body);
      const all = (await call('GET', `/api/v1/boms?itemId=${ids.get('T-B')}`)).json().items;
      assert.deepEqual(
        all.map((b: { versionLabel: string; status: string }) => `${b.versionLabel}:${b.status}`).sort(),
        ['V1:archived', 'V2:active'],
      );
      // Back to V1 for the other tests.
      const v1 = all.find((b: { versionLabel: string }) => b.versionLabel === 'V1');
      assert.equal(
        (await call('POST', `/api/v1/boms/${v1.id}/activate`, { version: v1.version })).statusCode,
        200,
      );
    });

    it('leaves one active version when two versions are activated at the same time', async () => {
      const drafts = [];
      for (const label of ['R1', 'R2', 'R3', 'R4'])
        drafts.push((await create('T-D', [line('T-RM', '1')], label)).json());
      const results = await Promise.allSettled(
        drafts.map((d) => call('POST', `/api/v1/boms/${d.id}/activate`, { version: 1 })),
      );
      const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.statusCode : 0));
      assert.ok(
        codes.every((c) => c === 200 || c === 409),
        codes.join(','),
      );
      const active = await h.runtime.db.kysely
        .selectFrom('boms')
        .select('version_label')
        .where('item_id', '=', ids.get('T-D')!)
        .where('status', '=', 'active')
        .execute();
      assert.equal(active.length, 1);
    });

    it('lets the database itself refuse a second active row for an item', async () => {
      const now = new Date().toISOString();
      const row = (id: string, label: string) => ({
        id,
        item_id: ids.get('T-C')!,
        item_code: 'T-C',
        version_label: label,
        effective_from: null,
        effective_to: null,
        status: 'active' as const,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await assert.rejects(h.runtime.db.kysely.insertInto('boms').values(row('manual-1', 'X9')).execute());
    });

    it('explodes three levels with exact quantities, scrap included and rounded up per level', async () => {
      const a = (await call('GET', `/api/v1/boms?itemId=${ids.get('T-A')}&status=active`)).json().items[0];
      const res = await call('GET', `/api/v1/boms/${a.id}/explode?qty=7`);
      assert.equal(res.statusCode, 200, res.body);
      const rows = res
        .json()
        .lines.map((l: { level: number; path: string[]; requiredQty: string }) => [
          l.level,
          l.path.join('>'),
          l.requiredQty,
        ]);
      // 7 A → B: 7×2×1.05 = 14.7; C: 14.7×3 = 44.1; RM: 44.1×0.75×1.025 = 33.901875 → 33.902.
      // A → C directly: 7; RM: 7×0.75×1.025 = 5.38125 → 5.382.
      assert.deepEqual(rows, [
        [1, 'T-A>T-B', '14.7'],
        [2, 'T-A>T-B>T-C', '44.1'],
        [3, 'T-A>T-B>T-C>T-RM', '33.902'],
        [1, 'T-A>T-C', '7'],
        [2, 'T-A>T-C>T-RM', '5.382'],
      ]);
      assert.equal(res.json().lines[0].uom, 'pcs');
      const bad = await call('GET', `/api/v1/boms/${a.id}/explode?qty=1.0001`);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().errors[0].field, '/querystring/qty');
    });

    it('answers where-used over three levels with paths and the quantity per parent', async () => {
      const res = await call('GET', `/api/v1/items/${ids.get('T-RM')}/where-used`);
      assert.equal(res.statusCode, 200, res.body);
      const rows = res
        .json()
        .usages.map(
          (u: { level: number; path: string[]; qtyPer: string }) =>
            `${u.level} ${u.path.join('<')} ${u.qtyPer}`,
        )
        .sort();
      assert.deepEqual(
        rows.filter((r: string) => !r.includes('T-D') && !r.includes('T-E')),
        ['1 T-RM<T-C 0.75', '2 T-RM<T-C<T-A 1', '2 T-RM<T-C<T-B 3', '3 T-RM<T-C<T-B<T-A 2'],
      );
    });

    it('refuses a stale version and edits of an active version’s lines', async () => {
      const draft = (await create('T-E', [line('T-RM', '1')], 'S1')).json();
      const ok = await call('PATCH', `/api/v1/boms/${draft.id}`, { version: 1, effectiveFrom: '2026-01-01' });
      assert.equal(ok.statusCode, 200, ok.body);
      const stale = await call('PATCH', `/api/v1/boms/${draft.id}`, {
        version: 1,
        effectiveTo: '2026-12-31',
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      const active = (await call('GET', `/api/v1/boms?itemId=${ids.get('T-C')}&status=active`)).json()
        .items[0];
      const frozen = await call('PATCH', `/api/v1/boms/${active.id}`, { version: active.version, lines: [] });
      assert.equal(frozen.json().code, 'INVALID_STATE');
      const noDelete = await call('DELETE', `/api/v1/boms/${active.id}`);
      assert.equal(noDelete.json().code, 'IN_USE');
    });

    it('names each invalid line field', async () => {
      const res = await call('POST', '/api/v1/boms', {
        itemId: ids.get('T-E'),
        versionLabel: 'BAD',
        lines: [
          { componentItemId: 'missing', qtyPer: '1' },
          { componentItemId: ids.get('T-RM'), qtyPer: '0', position: 10 },
          { componentItemId: ids.get('T-RM'), qtyPer: 'x', scrapBp: 20000 },
        ],
      });
      assert.equal(res.statusCode, 400);
      const fields = res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort();
      assert.deepEqual(fields, ['/lines/2/qtyPer', '/lines/2/scrapBp']);
      const semantic = await call('POST', '/api/v1/boms', {
        itemId: ids.get('T-E'),
        versionLabel: 'BAD',
        lines: [
          { componentItemId: 'missing', qtyPer: '1' },
          { componentItemId: ids.get('T-RM'), qtyPer: '0', position: 10 },
        ],
      });
      assert.deepEqual(
        semantic
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
        ['/lines/0/componentItemId', '/lines/1/position', '/lines/1/qtyPer'],
      );
    });

    it('writes an audit entry and an event for every mutation', async () => {
      const d = (await create('T-E', [line('T-RM', '2')], 'AUD')).json();
      await call('PATCH', `/api/v1/boms/${d.id}`, { version: 1, effectiveFrom: '2026-02-01' });
      await call('POST', `/api/v1/boms/${d.id}/archive`, { version: 2 });
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', d.id)
        .orderBy('at')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['create', 'update', 'archive'],
      );
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', d.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['bom.created', 'bom.updated', 'bom.archived'],
      );
    });
  });
}
