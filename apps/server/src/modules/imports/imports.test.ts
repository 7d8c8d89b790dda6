import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { csvLine } from './csv.ts';
import { ITEM_HEADERS } from './item-columns.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csv = (rows: readonly (readonly string[])[]) => `\uFEFF${rows.map((r) => csvLine(r)).join('')}`;
const EN = ['Code', 'Name', 'Spec', 'Type', 'UoM', 'Standard cost'];

for (const target of await testTargets()) {
  describe(`item import and export on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let n = 0;
    const prefix = () => `IMP${++n}-`;
    const count = async () =>
      Number(
        (
          await h.runtime.db.kysely
            .selectFrom('items')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const importFile = (body: string | Buffer, query = '', type = 'text/csv') =>
      call('POST', `/api/v1/items/import${query}`, body, { 'content-type': type });
    const item = async (code: string) =>
      h.runtime.db.kysely.selectFrom('items').selectAll().where('code', '=', code).executeTakeFirst();

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('writes nothing when one row among 10,000 is bad, and reports that row and column', async () => {
      const p = prefix();
      const rows = Array.from({ length: 10_000 }, (_, i) => [
        `${p}${i}`,
        `part ${i}`,
        '',
        'raw',
        'pcs',
        '1.5',
      ]);
      rows[4321]![5] = '1.234';
      const before = await count();
      const res = await importFile(csv([EN, ...rows]));
      assert.equal(res.statusCode, 422, res.body);
      const body = res.json();
      assert.equal(body.status, 'invalid');
      assert.equal(body.rows, 10_000);
      assert.equal(body.errorCount, 1);
      assert.deepEqual(body.errors[0], {
        row: 4323,
        column: '标准成本 Standard cost',
        value: '1.234',
        message: body.errors[0].message,
      });
      assert.equal(await count(), before);
      const report = await call('GET', body.errorReport);
      assert.equal(report.statusCode, 200);
      assert.match(report.body, /4323,标准成本 Standard cost,1\.234,/);
      const status = (await call('GET', `/api/v1/items/import/${body.id}`)).json();
      assert.equal(status.status, 'invalid');
    });

    it('writes no item, audit entry or event when a code near the end exists already', async () => {
      const p = prefix();
      const seeded = await importFile(csv([EN, [`${p}X`, 'existing', '', 'raw', 'pcs', '1']]));
      assert.equal(seeded.statusCode, 200, seeded.body);
      const rows = Array.from({ length: 3_000 }, (_, i) => [`${p}${i}`, `part ${i}`, '', 'raw', 'pcs', '1']);
      rows[2_900] = [`${p}X`, 'again', '', 'raw', 'pcs', '1'];
      const tally = async () =>
        Promise.all(
          (['items', 'audit_log', 'outbox'] as const).map(async (table) =>
            Number(
              (
                await h.runtime.db.kysely
                  .selectFrom(table)
                  .select((eb) => eb.fn.countAll().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          ),
        );
      const before = await tally();
      const res = await importFile(csv([EN, ...rows]));
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual(
        res.json().errors.map((e: { row: number; message: string }) => `${e.row}:${e.message}`),
        ['2902:an item with this code exists already'],
      );
      assert.deepEqual(await tally(), before);
    });

    it('writes nothing on a dry run', async () => {
      const p = prefix();
      const before = await count();
      const res = await importFile(csv([EN, [`${p}1`, 'a', '', 'raw', 'pcs', '1']]), '?dryRun=true');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'validated');
      assert.equal(await count(), before);
    });

    it('updates existing codes on upsert and refuses them on insert', async () => {
      const p = prefix();
      const first = await importFile(
        csv([EN, [`${p}A`, 'old', '', 'raw', 'kg', '1'], [`${p}B`, 'b', '', 'raw', 'kg', '2']]),
      );
      assert.equal(first.json().inserted, 2, first.body);
      const again = await importFile(csv([EN, [`${p}A`, 'new', '', 'raw', 'kg', '1']]));
      assert.equal(again.statusCode, 422);
      assert.match(again.json().errors[0].message, /exists already/);
      const up = await importFile(
        csv([EN, [`${p}A`, 'new', 'M8', 'finished', 'kg', '3.25'], [`${p}C`, 'c', '', 'raw', 'kg', '0']]),
        '?mode=upsert',
      );
      assert.equal(up.statusCode, 200, up.body);
      assert.deepEqual([up.json().inserted, up.json().updated], [1, 1]);
      const a = (await item(`${p}A`))!;
      assert.deepEqual(
        [a.name, a.spec, a.type, Number(a.standard_cost), a.version],
        ['new', 'M8', 'finished', 325, 2],
      );
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', a.id)
        .execute();
      assert.deepEqual(audit.map((x) => x.action).sort(), ['create', 'update']);
    });

    it('understands Chinese headers in any order, Chinese labels and full-width codes', async () => {
      const p = prefix();
      const wide = `ＦＷ－${p.replace(/[A-Z0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}００１`;
      const file = csv([
        ['单位', '追溯方式', '编码', '类型', '名称', '默认仓库'],
        ['个', '批次', wide, '半成品', '支架', 'wh-rm'],
      ]);
      const res = await importFile(file);
      assert.equal(res.statusCode, 200, res.body);
      const row = (await item(`FW-${p}001`))!;
      assert.ok(row, 'code normalised to half-width');
      assert.deepEqual([row.type, row.tracking, row.uom, row.name], ['semi_finished', 'lot', '个', '支架']);
      assert.ok(row.default_warehouse_id);
    });

    it('reports duplicates within the file and unknown labels', async () => {
      const p = prefix();
      const res = await importFile(
        csv([
          EN,
          [`${p}1`, 'a', '', 'raw', 'pcs', '1'],
          [`${p.toLowerCase()}1`, 'b', '', '原料', 'pcs', '1'],
          [` ${p}1`, 'c', '', 'raw', 'pcs', '1'],
        ]),
      );
      assert.equal(res.statusCode, 422);
      const errors = res.json().errors.map((e: { row: number; message: string }) => `${e.row}:${e.message}`);
      assert.equal(errors.length, 2);
      assert.match(errors[0], /^3:.*not a known item type/);
      assert.equal(errors[1], '4:duplicates row 2');
    });

    it('keeps quotes, commas and newlines inside CSV fields', async () => {
      const p = prefix();
      const name = 'Bolt, "hex"\nM8 =x';
      const res = await importFile(csv([EN, [`${p}Q`, name, '=1+1', 'raw', 'pcs', '1']]));
      assert.equal(res.statusCode, 200, res.body);
      const row = (await item(`${p}Q`))!;
      assert.deepEqual([row.name, row.spec], [name, '=1+1']);
    });

    it('gives the same items back after an export and an import of it', async () => {
      const p = prefix();
      await importFile(
        csv([
          [...ITEM_HEADERS],
          [
            `${p}R1`,
            '圆钢, "45#"',
            'Φ20\n长 6m',
            'raw',
            'kg',
            'lot',
            '12.345',
            '6.80',
            'WH-RM',
            '7',
            '0',
            '1000',
            '0.5',
            'true',
          ],
          [`${p}R2`, 'x', '', 'tool', 'set', 'serial', '0', '0', '', '0', '3', '0', '0', 'false'],
        ]),
      );
      const csv1 = await call('GET', '/api/v1/items/export?format=csv');
      assert.equal(csv1.statusCode, 200);
      assert.ok(csv1.body.startsWith(`\uFEFF${ITEM_HEADERS[0]}`));
      assert.ok(csv1.body.includes(`${p}R1`));
      for (const format of ['xlsx', 'csv'] as const) {
        const file = await call('GET', `/api/v1/items/export?format=${format}`);
        const type = format === 'xlsx' ? XLSX : 'text/csv';
        assert.equal(String(file.headers['content-type']).split(';')[0], type);
        const res = await importFile(file.rawPayload, '?mode=upsert', type);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().inserted, 0);
        const again = await call('GET', '/api/v1/items/export?format=csv');
        assert.equal(again.body, csv1.body);
      }
      const filtered = await call('GET', `/api/v1/items/export?format=csv&q=${p}R&type=tool`);
      assert.equal(filtered.body.trim().split('\r\n').length, 2);
    });

    it('serves templates with the bilingual headers and one example row', async () => {
      const tpl = await call('GET', '/api/v1/items/import/template?format=csv');
      assert.equal(tpl.body.trim().split('\r\n').length, 2);
      assert.ok(tpl.body.includes('编码 Code,名称 Name'));
      const xlsx = await call('GET', '/api/v1/items/import/template');
      const res = await importFile(xlsx.rawPayload, '?dryRun=true', XLSX);
      assert.equal(res.json().status, 'validated', res.body);
    });

    it('streams the export without a content length', async () => {
      const p = prefix();
      const rows = Array.from({ length: 3000 }, (_, i) => [
        `${p}${i}`,
        `streamed ${i}`,
        '',
        'raw',
        'pcs',
        '1',
      ]);
      assert.equal((await importFile(csv([EN, ...rows]))).statusCode, 200);
      for (const format of ['csv', 'xlsx']) {
        const res = await call('GET', `/api/v1/items/export?format=${format}`);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-length'], undefined);
        if (format === 'csv') assert.ok(res.body.split('\r\n').length > 3000);
      }
    });
  });
}
