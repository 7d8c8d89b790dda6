import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`list filters on custom fields on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      for (const body of [
        { key: 'grade', kind: 'choice', labelZh: '等级', labelEn: 'Grade', options: ['gold', 'silver'] },
        { key: 'since_on', kind: 'date', labelZh: '合作日期', labelEn: 'Since' },
        { key: 'credit', kind: 'number', labelZh: '信用额度', labelEn: 'Credit' },
        { key: 'note', kind: 'text', labelZh: '备注', labelEn: 'Note' },
      ]) {
        const res = await call('POST', '/api/v1/masterdata/custom-fields', { ...body, entity: 'customers' });
        assert.equal(res.statusCode, 201, res.body);
      }
      for (const [code, customFields] of [
        ['CF-F1', { grade: 'gold', since_on: '2025-01-15', credit: 1000, note: 'Ships by 50% rail' }],
        ['CF-F2', { grade: 'silver', since_on: '2025-01-16', credit: 1000.5, note: 'ships by road' }],
        ['CF-F3', { grade: 'gold', credit: 10 }],
      ] as const) {
        const res = await call('POST', '/api/v1/customers', { code, name: `筛选 ${code}`, customFields });
        assert.equal(res.statusCode, 201, res.body);
      }
    });
    after(async () => h.close());

    const codes = async (query: string) => {
      const res = await call('GET', `/api/v1/customers?sort=code&${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items.map((c: { code: string }) => c.code);
    };
    const problem = async (url: string) => {
      const res = await call('GET', url);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'VALIDATION_FAILED');
      return res.json().errors[0] as { field: string; code: string };
    };

    it('matches choice, date and number values exactly and text by a case-insensitive part', async () => {
      assert.deepEqual(await codes('customField=grade&customValue=gold'), ['CF-F1', 'CF-F3']);
      assert.deepEqual(await codes('customField=since_on&customValue=2025-01-16'), ['CF-F2']);
      assert.deepEqual(await codes('customField=credit&customValue=1000.0'), ['CF-F1']);
      assert.deepEqual(await codes('customField=credit&customValue=1000.50'), ['CF-F2']);
      assert.deepEqual(await codes('customField=credit&customValue=1'), []);
      assert.deepEqual(await codes('customField=note&customValue=SHIPS%20BY'), ['CF-F1', 'CF-F2']);
      assert.deepEqual(await codes('customField=note&customValue=50%25'), ['CF-F1']);
      assert.deepEqual(await codes('customField=note&customValue=_'), []);
      assert.deepEqual(await codes('customField=since_on'), ['CF-F1', 'CF-F2']);
      assert.deepEqual(await codes('customField=grade&customValue=gold&q=CF-F3'), ['CF-F3']);
    });

    it('refuses an unknown key, a value the field cannot hold and a value without a key, naming the parameter', async () => {
      assert.deepEqual(await problem('/api/v1/customers?customField=colour&customValue=red'), {
        field: '/querystring/customField',
        message: 'is not a custom field of customers',
        code: 'unknown',
      });
      const kinds = [
        ['credit', 'lots', 'type'],
        ['since_on', '2025-02-30', 'type'],
        ['grade', 'bronze', 'choice'],
      ];
      for (const [key, value, code] of kinds) {
        const e = await problem(`/api/v1/customers?customField=${key}&customValue=${value}`);
        assert.equal(e.field, '/querystring/customValue');
        assert.equal(e.code, code);
      }
      assert.equal((await problem('/api/v1/customers?customValue=gold')).field, '/querystring/customValue');
      assert.equal(
        (await problem('/api/v1/customers?customField=Bad-Key')).field,
        '/querystring/customField',
      );
    });

    it('checks the key against the entity listed: a customer field is unknown to the other lists', async () => {
      for (const path of ['items', 'suppliers', 'machines', 'work-orders']) {
        const e = await problem(`/api/v1/${path}?customField=grade&customValue=gold`);
        assert.equal(e.field, '/querystring/customField', path);
      }
    });

    it('filters current and archived work orders', async () => {
      const def = await call('POST', '/api/v1/masterdata/custom-fields', {
        entity: 'work_orders',
        key: 'line',
        kind: 'choice',
        labelZh: '产线',
        labelEn: 'Line',
        options: ['L1', 'L2'],
      });
      assert.equal(def.statusCode, 201, def.body);
      const item = (await call('GET', '/api/v1/items?type=finished&limit=1')).json().items[0];
      const ids: string[] = [];
      for (const line of ['L1', 'L2']) {
        const wo = await call('POST', '/api/v1/work-orders', {
          itemId: item.id,
          qty: '3',
          withChildren: false,
          customFields: { line },
        });
        assert.equal(wo.statusCode, 201, wo.body);
        ids.push(wo.json().id);
      }
      const found = await call('GET', '/api/v1/work-orders?customField=line&customValue=L2');
      assert.equal(found.statusCode, 200, found.body);
      assert.deepEqual(
        found.json().items.map((w: { id: string }) => w.id),
        [ids[1]],
      );
      const archived = await call('GET', '/api/v1/work-orders?archived=true&customField=line&customValue=L2');
      assert.equal(archived.statusCode, 200, archived.body);
      assert.deepEqual(archived.json().items, []);
      const bad = await problem('/api/v1/work-orders?customField=line&customValue=L3');
      assert.equal(bad.field, '/querystring/customValue');
    });
  });
}
