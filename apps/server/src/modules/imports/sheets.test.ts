import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { csvLine } from './csv.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csv = (rows: readonly (readonly string[])[]) => `\uFEFF${rows.map((r) => csvLine(r)).join('')}`;
type Table = 'customers' | 'suppliers' | 'warehouses' | 'locations' | 'employees' | 'tools';
type Sheet = Table | 'work-centers' | 'machines' | 'boms' | 'routings';

/** One file per entity that fills every column, with child lines where the entity has them. */
function sample(p: string): Record<Sheet, string[][]> {
  return {
    customers: [
      ['Code', 'Name', 'Tier', 'Address', 'Contact', 'Phone', 'Email', 'Active'],
      [`${p}C1`, '华东机械, "东区"', 'A', '苏州', '王经理', '0512-1', 'wang@example.com', 'true'],
      [`${p}C1`, '华东机械, "东区"', 'A', '苏州', '李工', '', '', 'true'],
      [`${p}C2`, 'Beta GmbH', 'c', '', '', '', '', 'false'],
    ],
    suppliers: [
      [
        'Code',
        'Name',
        'Lead days',
        'Address',
        'Contact',
        'Phone',
        'Email',
        'Active',
        'Item code',
        'Supplier part no',
        'Price',
        'Currency',
        'Item lead days',
        'MOQ',
      ],
      [
        `${p}S1`,
        '宝钢',
        '7',
        '上海',
        '李工',
        '021',
        '',
        'true',
        `${p}I1`,
        'BG-1',
        '6.80',
        'CNY',
        '5',
        '1000',
      ],
      [`${p}S1`, '宝钢', '7', '上海', '', '', '', 'true', `${p}I2`, '', '12.5', 'usd', '', '0.5'],
      [`${p}S2`, 'Solo', '0', '', '', '', '', 'true', '', '', '', '', '', ''],
    ],
    warehouses: [
      ['Code', 'Name', 'Address', 'Active'],
      [`${p}W1`, '原材料仓', '一号厂房', 'true'],
      [`${p}W2`, 'FG', '', 'true'],
    ],
    locations: [
      ['Warehouse', 'Code', 'Name', 'Kind', 'Active'],
      [`${p}W1`, 'A-01', 'A 区', 'storage', 'true'],
      [`${p}W1`, 'Q-01', '隔离区', '隔离', 'true'],
      [`${p}W2`, 'A-01', 'Dock', 'shipping', 'false'],
    ],
    employees: [
      ['Code', 'Name', 'Team', 'Shift', 'Badge', 'Skills', 'Active'],
      [`${p}E1`, '张伟', '冲压一组', '白班', `${p}B1`, 'PRESS:4; WELD:2', 'true'],
      [`${p}E2`, 'Li', '', '', '', '', 'true'],
    ],
    tools: [
      ['Code', 'Name', 'Kind', 'Qty available', 'Setup family', 'Usage limit', 'Items', 'Machines', 'Active'],
      [`${p}T1`, '支架冲压模', '模具', '2', 'BRK', '200000', `${p}I1; ${p}I2`, 'pr-01; PR-02', 'true'],
      [`${p}T2`, 'Gauge', 'fixture', '1', '', '', '', '', 'true'],
    ],
    'work-centers': [
      ['Code', 'Name', 'Kind', 'Calendar', 'Active'],
      [`${p}WC1`, 'CNC 组', 'CNC车床组', '', 'true'],
      [`${p}WC2`, 'Saw', '', '', 'false'],
    ],
    machines: [
      ['Code', 'Name', 'Work center', 'Capacity', 'Efficiency %', 'Hourly cost', 'Calendar', 'Active'],
      [`${p}M1`, '车床 1', `${p}WC1`, '2', '95.5', '120', '', 'true'],
      [`${p}M2`, 'Saw 1', `${p}WC2`, '1', '100', '0', '', 'true'],
    ],
    boms: [
      [
        'Item',
        'Version',
        'Effective from',
        'Effective to',
        'Position',
        'Component',
        'Qty per',
        'Scrap %',
        'Operation seq',
      ],
      [`${p}I1`, 'V1', '2026-01-01', '2026-12-31', '10', `${p}I2`, '1.25', '2.5', '10'],
      [`${p}I1`, 'V1', '2026-01-01', '2026-12-31', '', `${p}I3`, '4', '', ''],
      [`${p}I3`, 'A', '', '', '', `${p}I2`, '0.001', '0', ''],
    ],
    routings: [
      [
        'Item',
        'Version',
        'Effective from',
        'Effective to',
        'Seq',
        'Operation',
        'Work center',
        'Setup min',
        'Run min per unit',
        'Transfer batch',
        'Skill',
        'Skill level',
        'Tool',
        'Wait min',
        'Overlap',
        'Inspection',
        'Predecessors',
        'Alternative machines',
      ],
      [
        `${p}I1`,
        'R1',
        '',
        '',
        '10',
        '下料',
        `${p}WC2`,
        '15',
        '0.5',
        '',
        '',
        '',
        '',
        '0',
        'false',
        'false',
        '-',
        '',
      ],
      [
        `${p}I1`,
        'R1',
        '',
        '',
        '20',
        '车削',
        `${p}WC1`,
        '30',
        '2.125',
        '50',
        'CNC',
        '3',
        `${p}T1`,
        '5',
        'true',
        'true',
        '10',
        `${p}M1:2:10:1; ${p}M2:2.5`,
      ],
    ],
  };
}

const ORDER: Sheet[] = [
  'warehouses',
  'locations',
  'customers',
  'suppliers',
  'employees',
  'tools',
  'work-centers',
  'machines',
  'boms',
  'routings',
];

for (const target of await testTargets()) {
  describe(`master-data sheets on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let n = 0;
    const prefix = () => `SH${++n}-`;
    const count = async (table: Table) =>
      Number(
        (
          await h.runtime.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const importFile = (entity: string, body: string | Buffer, query = '', type = 'text/csv') =>
      call('POST', `/api/v1/${entity}/import${query}`, body, { 'content-type': type });
    const exported = async (entity: string, p: string) =>
      (await call('GET', `/api/v1/${entity}/export?format=csv`)).body
        .split('\r\n')
        .filter((line, i) => i === 0 || line.includes(p))
        .join('\n');
    const seed = async (p: string) => {
      const items = csv([
        ['Code', 'Name', 'Type', 'UoM'],
        [`${p}I1`, 'plate', 'raw', 'kg'],
        [`${p}I2`, 'bolt', 'purchased', 'pcs'],
        [`${p}I3`, 'bracket', 'semi_finished', 'pcs'],
      ]);
      assert.equal((await importFile('items', items)).statusCode, 200);
      const files = sample(p);
      for (const entity of ORDER) {
        const res = await importFile(entity, csv(files[entity]));
        assert.equal(res.statusCode, 200, `${entity}: ${res.body}`);
      }
    };

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('imports every entity with its child lines and gives the same data back after export and import', async () => {
      const p = prefix();
      await seed(p);
      const customer = await h.runtime.db.kysely
        .selectFrom('customers')
        .selectAll()
        .where('code', '=', `${p}C1`)
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(customer.contacts).length, 2);
      assert.equal(customer.name, '华东机械, "东区"');
      const supplier = await h.runtime.db.kysely
        .selectFrom('suppliers')
        .selectAll()
        .where('code', '=', `${p}S1`)
        .executeTakeFirstOrThrow();
      const lines = await h.runtime.db.kysely
        .selectFrom('supplier_items')
        .selectAll()
        .where('supplier_id', '=', supplier.id)
        .execute();
      assert.deepEqual(lines.map((l) => [Number(l.price), l.currency, Number(l.moq)]).sort(), [
        [1250, 'USD', 500],
        [680, 'CNY', 1_000_000],
      ]);
      const employee = await h.runtime.db.kysely
        .selectFrom('employees')
        .selectAll()
        .where('code', '=', `${p}E1`)
        .executeTakeFirstOrThrow();
      const skills = await h.runtime.db.kysely
        .selectFrom('employee_skills')
        .selectAll()
        .where('employee_id', '=', employee.id)
        .execute();
      assert.deepEqual(skills.map((s) => `${s.skill_code}:${s.level}`).sort(), ['PRESS:4', 'WELD:2']);
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', employee.id)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['create'],
      );

      for (const entity of ORDER) {
        const first = await exported(entity, p);
        assert.ok(first.split('\n').length > 2, `${entity} export lists the rows:\n${first}`);
        for (const format of ['xlsx', 'csv'] as const) {
          const file = await call('GET', `/api/v1/${entity}/export?format=${format}`);
          assert.equal(file.statusCode, 200);
          assert.equal(file.headers['content-length'], undefined);
          const res = await importFile(
            entity,
            file.rawPayload,
            '?mode=upsert',
            format === 'xlsx' ? XLSX : 'text/csv',
          );
          assert.equal(res.statusCode, 200, `${entity} ${format}: ${res.body}`);
          assert.equal(res.json().inserted, 0);
          assert.equal(await exported(entity, p), first, `${entity} ${format} round trip`);
        }
      }
    });

    it('writes nothing when one row among many has an unknown reference, and names row and column', async () => {
      const p = prefix();
      await seed(p);
      const rows = Array.from({ length: 500 }, (_, i) => [
        `${p}X${i}`,
        `s ${i}`,
        '',
        '',
        '',
        '',
        '',
        '',
        `${p}I1`,
        '',
        '1',
        '',
        '',
        '',
      ]);
      rows[321]![8] = `${p}NOPE`;
      const before = await count('suppliers');
      const res = await importFile('suppliers', csv([sample(p).suppliers[0]!, ...rows]));
      assert.equal(res.statusCode, 422, res.body);
      const body = res.json();
      assert.equal(body.errorCount, 1);
      assert.deepEqual(body.errors[0], {
        row: 323,
        column: '供货物料 Item code',
        value: `${p}NOPE`,
        message: 'is not the code of an existing item',
      });
      assert.equal(await count('suppliers'), before);
      const report = await call('GET', body.errorReport);
      assert.equal(report.statusCode, 200);
      assert.match(report.body, new RegExp(`323,供货物料 Item code,${p}NOPE,`));
      assert.equal((await call('GET', `/api/v1/suppliers/import/${body.id}`)).json().status, 'invalid');

      const cycle = sample(p).routings.slice(0, 2);
      cycle.push([`${p}I2`, 'X', '', '', '10', 'a', `${p}WC1`, '0', '1', '', '', '', '', '0', '', '', '20']);
      cycle.push([`${p}I2`, 'X', '', '', '20', 'b', `${p}WC1`, '0', '1', '', '', '', '', '0', '', '', '10']);
      cycle.push([`${p}I2`, 'Y', '', '', '10', 'c', `${p}WC9`, '0', '1,5', '', '', '', '', '0', '', '', '']);
      const routings = await importFile('routings', csv(cycle));
      assert.equal(routings.statusCode, 422, routings.body);
      assert.deepEqual(
        routings
          .json()
          .errors.map(
            (e: { row: number; column: string; message: string }) => `${e.row} ${e.column} ${e.message}`,
          ),
        [
          '2 版本 Version a routing with this item and version exists already',
          '3 前序工序 Predecessors operations wait for each other in a cycle: 10 → 20 → 10',
          '5 工作中心 Work center is not the code of an existing work center',
          '5 单件工时(分) Run min per unit is not minutes with up to 3 decimals',
        ],
      );

      const locations = await importFile(
        'locations',
        csv([sample(p).locations[0]!, [`${p}W9`, 'A', 'a', 'storage', '']]),
      );
      assert.equal(locations.statusCode, 422);
      assert.equal(locations.json().errors[0].column, '仓库 Warehouse');
    });

    it('writes nothing on a dry run', async () => {
      const p = prefix();
      const before = await count('customers');
      const res = await importFile(
        'customers',
        csv([
          ['Code', 'Name'],
          [`${p}D1`, 'd'],
        ]),
        '?dryRun=true',
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'validated');
      assert.equal(await count('customers'), before);
    });

    it('updates existing codes on upsert, refuses them on insert, and reads Chinese headers', async () => {
      const p = prefix();
      await seed(p);
      const again = await importFile(
        'customers',
        csv([
          ['Code', 'Name'],
          [`${p}C2`, 'x'],
        ]),
      );
      assert.equal(again.statusCode, 422);
      assert.match(again.json().errors[0].message, /exists already/);
      const up = await importFile(
        'employees',
        csv([
          ['姓名', '工号', '技能', '启用'],
          ['张伟 (改)', `${p.toLowerCase()}e1`, 'CNC:3', '否'],
          ['新人', `${p}E3`, '', '是'],
        ]),
        '?mode=upsert',
      );
      assert.equal(up.statusCode, 200, up.body);
      assert.deepEqual([up.json().inserted, up.json().updated], [1, 1]);
      const e1 = await h.runtime.db.kysely
        .selectFrom('employees')
        .selectAll()
        .where('code', '=', `${p}E1`)
        .executeTakeFirstOrThrow();
      assert.deepEqual([e1.name, e1.team, e1.active, e1.version], ['张伟 (改)', '冲压一组', 0, 2]);
      const skills = await h.runtime.db.kysely
        .selectFrom('employee_skills')
        .selectAll()
        .where('employee_id', '=', e1.id)
        .execute();
      assert.deepEqual(
        skills.map((s) => `${s.skill_code}:${s.level}`),
        ['CNC:3'],
      );
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', e1.id)
        .execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['create', 'deactivate']);
    });

    it('replaces the lines of a draft BOM on upsert and refuses a released one', async () => {
      const p = prefix();
      await seed(p);
      const head = sample(p).boms[0]!;
      const draft = await importFile(
        'boms',
        csv([head, [`${p}I1`, 'V1', '2026-02-01', '', '', `${p}I2`, '2', '10', '']]),
        '?mode=upsert',
      );
      assert.equal(draft.statusCode, 200, draft.body);
      assert.deepEqual([draft.json().inserted, draft.json().updated], [0, 1]);
      const bom = await h.runtime.db.kysely
        .selectFrom('boms')
        .selectAll()
        .where('item_code', '=', `${p}I1`)
        .where('version_label', '=', 'V1')
        .executeTakeFirstOrThrow();
      assert.deepEqual([bom.effective_from, bom.version], ['2026-02-01', 2]);
      const lines = await h.runtime.db.kysely
        .selectFrom('bom_lines')
        .selectAll()
        .where('bom_id', '=', bom.id)
        .execute();
      assert.deepEqual(
        lines.map((l) => [l.position, l.component_code, Number(l.qty_per), l.scrap_bp]),
        [[10, `${p}I2`, 2000, 1000]],
      );
      const activated = await call('POST', `/api/v1/boms/${bom.id}/activate`, { version: bom.version });
      assert.equal(activated.statusCode, 200, activated.body);
      const refused = await importFile(
        'boms',
        csv([head, [`${p}I1`, 'V1', '', '', '', `${p}I2`, '3', '', '']]),
        '?mode=upsert',
      );
      assert.equal(refused.statusCode, 422, refused.body);
      assert.match(refused.json().errors[0].message, /is active; import into a draft version/);
      const after = await h.runtime.db.kysely
        .selectFrom('bom_lines')
        .selectAll()
        .where('bom_id', '=', bom.id)
        .execute();
      assert.equal(Number(after[0]!.qty_per), 2000);
    });

    it('serves templates that pass their own dry run', async () => {
      const p = prefix();
      await seed(p);
      for (const entity of ORDER) {
        const tpl = await call('GET', `/api/v1/${entity}/import/template?format=csv`);
        assert.equal(tpl.statusCode, 200);
        const head = tpl.body.slice(1).split('\r\n')[0]!.split(',');
        assert.ok(
          head.every((h) => /^[\u4e00-\u9fff]+\S* [A-Z]/u.test(h)),
          `${entity} headers are Chinese and English: ${head.join(',')}`,
        );
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
  });
}
