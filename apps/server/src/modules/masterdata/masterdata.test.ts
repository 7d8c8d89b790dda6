import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`code rules and the compliance report on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('reports nothing on the demo factory, whose codes follow the default rules', async () => {
      const res = await call('GET', '/api/v1/masterdata/compliance');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().violations, []);
      assert.deepEqual(res.json().duplicateGroups, []);
    });

    it('lists the built-in rule of every entity with version 0', async () => {
      const rules = (await call('GET', '/api/v1/masterdata/code-rules')).json();
      assert.deepEqual(
        rules.map((r: { entity: string }) => r.entity),
        ['items', 'customers', 'suppliers', 'warehouses', 'employees', 'tools'],
      );
      assert.ok(rules.every((r: { version: number; custom: boolean }) => r.version === 0 && !r.custom));
    });

    it('normalises a full-width, lower-case code with spaces before storing it', async () => {
      const res = await call('POST', '/api/v1/customers', { code: ' ｃ－ ９００１ ', name: '全角客户' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().code, 'C-9001');
      const again = await call('POST', '/api/v1/customers', { code: 'c-9001', name: '另一个' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'DUPLICATE_CODE');
    });

    it('refuses a code against the rule with 400 naming /code, the pattern and an example', async () => {
      const put = await call('PUT', '/api/v1/masterdata/code-rules/suppliers', {
        version: 0,
        pattern: 'S-\\d{4}',
        description: 'S, a dash, 4 digits',
        example: 's-0001',
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().version, 1);
      assert.equal(put.json().example, 'S-0001');
      const res = await call('POST', '/api/v1/suppliers', { code: 'GYS-12', name: '不合规供应商' });
      assert.equal(res.statusCode, 400);
      const p = res.json();
      assert.equal(p.code, 'VALIDATION_FAILED');
      assert.equal(p.errors[0].field, '/code');
      assert.equal(p.errors[0].code, 'CODE_PATTERN_MISMATCH');
      assert.match(p.detail, /S-\\d\{4\}/);
      assert.match(p.detail, /S-0001/);
      const ok = await call('POST', '/api/v1/suppliers', { code: 'ｓ－１２３４', name: '合规供应商' });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().code, 'S-1234');
    });

    it('refuses a rule whose pattern does not compile or whose example breaks it', async () => {
      const bad = await call('PUT', '/api/v1/masterdata/code-rules/tools', {
        version: 0,
        pattern: '([A-Z',
        example: 'A',
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().errors[0].field, '/pattern');
      const example = await call('PUT', '/api/v1/masterdata/code-rules/tools', {
        version: 0,
        pattern: 'MD-\\d{4}',
        example: 'TOOL-1',
      });
      assert.equal(example.statusCode, 400);
      assert.equal(example.json().errors[0].field, '/example');
    });

    it('refuses a stale rule version with 409 and writes an audit entry per change', async () => {
      const body = { pattern: 'E\\d{4}', example: 'E1001' };
      const first = await call('PUT', '/api/v1/masterdata/code-rules/employees', { ...body, version: 0 });
      assert.equal(first.statusCode, 200, first.body);
      const stale = await call('PUT', '/api/v1/masterdata/code-rules/employees', { ...body, version: 0 });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      const audits = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'code_rule')
        .where('entity_id', '=', 'employees')
        .execute();
      assert.equal(audits.length, 1);
    });

    it('lets only administrators change a code rule', async () => {
      const planner = api(h.runtime, await signIn(h.runtime, 'planner', 'takt-demo'));
      const read = await planner('GET', '/api/v1/masterdata/code-rules/items');
      assert.equal(read.statusCode, 200);
      const res = await planner('PUT', '/api/v1/masterdata/code-rules/items', {
        version: 0,
        pattern: '.*',
        example: 'X',
      });
      assert.equal(res.statusCode, 403);
    });

    it('finds codes that break a tightened rule and suspected duplicates', async () => {
      await call('POST', '/api/v1/items', {
        code: 'DUP-1',
        name: '六角螺栓',
        spec: 'M8×25',
        type: 'purchased',
        uom: 'pcs',
      });
      await call('POST', '/api/v1/items', {
        code: 'DUP-2',
        name: '六角螺栓 ',
        spec: 'm8*25',
        type: 'purchased',
        uom: 'pcs',
      });
      await call('POST', '/api/v1/items', {
        code: 'odd.9',
        name: '旧编码零件',
        type: 'purchased',
        uom: 'pcs',
      });
      await call('POST', '/api/v1/customers', { code: 'C-9101', name: '苏州汇川精密机械有限公司' });
      // Rows written before normalisation existed (an old import).
      const now = new Date().toISOString();
      await h.runtime.db.kysely
        .insertInto('warehouses')
        .values({
          id: 'legacy-wh',
          code: 'wh-old',
          name: '旧仓',
          address: '',
          active: 1,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await h.runtime.db.kysely
        .insertInto('warehouses')
        .values({
          id: 'legacy-wh2',
          code: 'WH-OLD',
          name: '旧仓2',
          address: '',
          active: 1,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const tighten = await call('PUT', '/api/v1/masterdata/code-rules/items', {
        version: 0,
        pattern: '(FG|SF|RM|PP|CM|TL|DUP)-\\d+',
        example: 'FG-100100',
      });
      assert.equal(tighten.statusCode, 200, tighten.body);

      const report = (await call('GET', '/api/v1/masterdata/compliance')).json();
      const v = (entity: string) =>
        report.violations
          .filter((x: { entity: string }) => x.entity === entity)
          .map((x: { code: string }) => x.code);
      assert.deepEqual(v('items'), ['ODD.9']);
      const odd = report.violations.find((x: { code: string }) => x.code === 'ODD.9');
      assert.equal(odd.problem, 'pattern');
      assert.match(odd.message, /FG-100100/);
      assert.deepEqual(v('suppliers'), []);
      assert.deepEqual(v('warehouses'), ['wh-old']);
      const wrong = report.violations.find((x: { code: string }) => x.code === 'wh-old');
      assert.equal(wrong.problem, 'not_normalised');
      const groups = report.duplicateGroups.map(
        (g: { entity: string; kind: string; codes: string[] }) =>
          `${g.entity}/${g.kind}: ${g.codes.join(',')}`,
      );
      assert.ok(groups.includes('items/name: DUP-1,DUP-2'), groups.join(' | '));
      assert.ok(groups.includes('customers/name: C-0001,C-9101'), groups.join(' | '));
      assert.ok(groups.includes('warehouses/code: WH-OLD,wh-old'), groups.join(' | '));
    });
  });
}
