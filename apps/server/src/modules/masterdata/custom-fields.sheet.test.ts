import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csv = (rows: readonly (readonly string[])[]) => `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const lines = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));

for (const target of await testTargets()) {
  describe(`custom field columns in customer, supplier and machine sheets on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let workCenter = '';

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const base = {
        kind: 'choice',
        labelZh: '等级',
        labelEn: 'Grade',
        options: ['gold', 'silver'],
        position: 1,
      };
      for (const body of [
        { ...base, entity: 'customers', key: 'grade', required: true },
        {
          entity: 'customers',
          key: 'since_on',
          kind: 'date',
          labelZh: '合作日期',
          labelEn: 'Since',
          position: 2,
        },
        {
          entity: 'customers',
          key: 'credit',
          kind: 'number',
          labelZh: '信用额度',
          labelEn: 'Credit',
          position: 3,
        },
        { ...base, entity: 'suppliers', key: 'grade' },
        { ...base, entity: 'machines', key: 'grade' },
        {
          entity: 'machines',
          key: 'asset_no',
          kind: 'text',
          labelZh: '资产编号',
          labelEn: 'Asset no',
          position: 2,
        },
      ]) {
        const res = await call('POST', '/api/v1/masterdata/custom-fields', body);
        assert.equal(res.statusCode, 201, res.body);
      }
      workCenter = (await call('GET', '/api/v1/work-centers?limit=1')).json().items[0].code;
    });
    after(async () => h.close());

    const importFile = (entity: string, body: string | Buffer, query = '', type = 'text/csv') =>
      call('POST', `/api/v1/${entity}/import${query}`, body, { 'content-type': type });
    const customer = async (code: string) =>
      (await call('GET', `/api/v1/customers?q=${code}`)).json().items[0];

    it('puts the custom columns with both labels into the template, whose example row imports', async () => {
      const tpl = await call('GET', '/api/v1/customers/import/template?format=csv');
      assert.equal(tpl.statusCode, 200);
      const [head, example] = lines(tpl.body);
      assert.deepEqual(head!.slice(-3), [
        '等级 Grade [grade]',
        '合作日期 Since [since_on]',
        '信用额度 Credit [credit]',
      ]);
      assert.deepEqual(example!.slice(-3), ['gold', '2026-01-31', '1']);
      for (const entity of ['customers', 'suppliers', 'machines']) {
        const xlsx = await call('GET', `/api/v1/${entity}/import/template`);
        assert.equal(String(xlsx.headers['content-type']), XLSX);
        const res = await importFile(entity, xlsx.rawPayload, '?dryRun=true&mode=upsert', XLSX);
        assert.equal(
          res.statusCode === 200 ||
            res.json().errors.every((e: { message: string }) => /existing|exists/.test(e.message)),
          true,
          `${entity}: ${res.body}`,
        );
      }
    });

    it('refuses a wrong kind, a choice not offered and a missing required value by row and column, writing nothing', async () => {
      const res = await importFile(
        'customers',
        csv([
          ['Code', 'Name', 'Grade', 'Since', 'Credit'],
          ['CF-C1', '定制客户一', 'bronze', '2026-02-30', 'lots'],
          ['CF-C2', '定制客户二', '', '2026-02-01', '10'],
        ]),
      );
      assert.equal(res.statusCode, 422, res.body);
      const errors = res
        .json()
        .errors.map((e: { row: number; column: string; value: string }) => [e.row, e.column, e.value]);
      assert.deepEqual(errors, [
        [2, '等级 Grade [grade]', 'bronze'],
        [2, '合作日期 Since [since_on]', '2026-02-30'],
        [2, '信用额度 Credit [credit]', 'lots'],
        [3, '等级 Grade [grade]', ''],
      ]);
      const noColumn = await importFile(
        'customers',
        csv([
          ['Code', 'Name'],
          ['CF-C3', '定制客户三'],
        ]),
      );
      assert.equal(noColumn.statusCode, 422);
      assert.equal(noColumn.json().errors[0].column, '等级 Grade [grade]');
      assert.equal(noColumn.json().errors[0].message, 'is required');
      assert.equal(await customer('CF-C1'), undefined);
      assert.equal(await customer('CF-C3'), undefined);
    });

    it('imports customer values, keeps them when an update leaves the columns out, and exports them', async () => {
      const first = await importFile(
        'customers',
        csv([
          ['Code', 'Name', 'Contact', '等级', 'since_on', 'Credit 信用额度'],
          ['CF-C4', '定制客户四', '王', 'gold', '2025-12-01', '5000.50'],
          ['CF-C4', '定制客户四', '李', 'gold', '2025-12-01', '5000.50'],
        ]),
      );
      assert.equal(first.statusCode, 200, first.body);
      const created = await customer('CF-C4');
      assert.deepEqual(created.customFields, { grade: 'gold', since_on: '2025-12-01', credit: 5000.5 });
      assert.equal(created.contacts.length, 2);

      const update = await importFile(
        'customers',
        csv([
          ['Code', 'Name', 'Grade', 'Credit'],
          ['CF-C4', '定制客户四', 'silver', ''],
        ]),
        '?mode=upsert',
      );
      assert.equal(update.statusCode, 200, update.body);
      assert.equal(update.json().updated, 1);
      assert.deepEqual((await customer('CF-C4')).customFields, { grade: 'silver', since_on: '2025-12-01' });
      const plain = await importFile(
        'customers',
        csv([
          ['Code', 'Name'],
          ['CF-C4', '定制客户四改'],
        ]),
        '?mode=upsert',
      );
      assert.equal(plain.statusCode, 200, plain.body);
      const kept = await customer('CF-C4');
      assert.equal(kept.name, '定制客户四改');
      assert.deepEqual(kept.customFields, { grade: 'silver', since_on: '2025-12-01' });

      const exported = lines((await call('GET', '/api/v1/customers/export?format=csv')).body);
      const head = exported[0]!;
      const rows = exported.filter((r) => r[0] === 'CF-C4');
      assert.equal(rows.length, 2);
      assert.equal(rows[0]![head.indexOf('等级 Grade [grade]')], 'silver');
      assert.equal(rows[0]![head.indexOf('合作日期 Since [since_on]')], '2025-12-01');
      assert.equal(rows[0]![head.indexOf('信用额度 Credit [credit]')], '');
    });

    it('imports and exports supplier and machine values the same way', async () => {
      const sup = await importFile(
        'suppliers',
        csv([
          ['Code', 'Name', 'Grade'],
          ['CF-S1', '定制供应商', 'silver'],
        ]),
      );
      assert.equal(sup.statusCode, 200, sup.body);
      const supplier = (await call('GET', '/api/v1/suppliers?customField=grade&customValue=silver')).json();
      assert.deepEqual(
        supplier.items.map((s: { code: string; customFields: object }) => [s.code, s.customFields]),
        [['CF-S1', { grade: 'silver' }]],
      );
      const badMachine = await importFile(
        'machines',
        csv([
          ['Code', 'Name', 'Work center', 'Grade', 'Asset no'],
          ['CF-M1', '定制设备', workCenter, 'platinum', 'A-1'],
        ]),
      );
      assert.equal(badMachine.statusCode, 422);
      assert.deepEqual(
        badMachine.json().errors.map((e: { column: string }) => e.column),
        ['等级 Grade [grade]'],
      );
      const machine = await importFile(
        'machines',
        csv([
          ['Code', 'Name', 'Work center', 'Grade', 'Asset no'],
          ['CF-M1', '定制设备', workCenter, 'gold', 'A-1'],
        ]),
      );
      assert.equal(machine.statusCode, 200, machine.body);
      const m = (await call('GET', '/api/v1/machines?q=CF-M1')).json().items[0];
      assert.deepEqual(m.customFields, { grade: 'gold', asset_no: 'A-1' });
      for (const [entity, code, expected] of [
        ['suppliers', 'CF-S1', ['silver']],
        ['machines', 'CF-M1', ['gold', 'A-1']],
      ] as const) {
        const rows = lines((await call('GET', `/api/v1/${entity}/export?format=csv`)).body);
        const head = rows[0]!;
        const row = rows.find((r) => r[0] === code)!;
        assert.ok(head.includes('等级 Grade [grade]'), head.join(','));
        assert.deepEqual(row.slice(head.indexOf('等级 Grade [grade]')), expected);
      }
    });
  });
}
