import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Routing } from '@takt/contracts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { csvLine } from './csv.ts';
import { ALTERNATIVES_COLUMN, alternativesCell, readAlternatives } from './routing-alternatives.ts';
import { headerMatcher } from './sheet-columns.ts';
import { rowReader } from './sheet-spec.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csv = (rows: readonly (readonly string[])[]) => `\uFEFF${rows.map((r) => csvLine(r)).join('')}`;

/** Reads one alternatives cell as the routing sheet does. */
function read(cell: string, machines: Record<string, string>, opRun: number | undefined = 1000) {
  const { map } = headerMatcher([ALTERNATIVES_COLUMN])(['Alternative machines']);
  const r = rowReader(7, [cell], map, [ALTERNATIVES_COLUMN]);
  const alts = readAlternatives(r, new Map(Object.entries(machines)), opRun);
  return { alts, errors: r.errors.map((e) => `${e.row} ${e.column} ${e.value}: ${e.message}`) };
}

describe('routing alternatives cell', () => {
  const machines = { 'CNC-02': 'm2', 'CNC-03': 'm3' };

  it('reads machine, run, setup and priority, with the operation run, no setup and priority 0 as defaults', () => {
    assert.deepEqual(read('cnc-02:2.5:20:1； CNC-03', machines), {
      alts: [
        { machine_id: 'm2', run_mmin: 2500, setup_minutes: 20, priority: 1 },
        { machine_id: 'm3', run_mmin: 1000, setup_minutes: null, priority: 0 },
      ],
      errors: [],
    });
    assert.deepEqual(read('CNC-03:0.125:-:3', machines).alts, [
      { machine_id: 'm3', run_mmin: 125, setup_minutes: null, priority: 3 },
    ]);
    assert.deepEqual(read('', machines), { alts: [], errors: [] });
  });

  it('names every bad entry with the row and the column', () => {
    assert.deepEqual(
      read(
        'CNC-02:1; NOPE:1; cnc-02:3; CNC-03:1:2:3:4; CNC-03:1:x; CNC-03:1:-:100; CNC-03:2; CNC-03',
        machines,
      ).errors,
      [
        '7 备选设备 Alternative machines NOPE:1: NOPE is not the code of an existing machine',
        '7 备选设备 Alternative machines CNC-03:1:2:3:4: is not MACHINE:run:setup:priority (e.g. CNC-02:2.5:20:1)',
        '7 备选设备 Alternative machines CNC-03:1:x: setup x must be whole minutes, 0–100000, or "-"',
        '7 备选设备 Alternative machines CNC-03:1:-:100: priority 100 must be a whole number, 0–99',
        '7 备选设备 Alternative machines cnc-02:3: cnc-02 is listed twice',
        '7 备选设备 Alternative machines CNC-03: CNC-03 is listed twice',
      ],
    );
    assert.match(read('CNC-02:1.2345', machines).errors[0]!, /run time 1\.2345 is not minutes/);
  });

  it('writes the shortest entry that reads back as the same alternative', () => {
    const codes = new Map([
      ['m2', 'CNC-02'],
      ['m3', 'CNC-03'],
    ]);
    const alts = [
      { machine_id: 'm3', run_mmin: 1250, setup_minutes: null, priority: 0 },
      { machine_id: 'm2', run_mmin: 3000, setup_minutes: 15, priority: 0 },
      { machine_id: 'm2', run_mmin: 500, setup_minutes: null, priority: 2 },
    ];
    const cell = alternativesCell(alts, codes);
    assert.equal(cell, 'CNC-03:1.25; CNC-02:3:15; CNC-02:0.5:-:2');
    assert.deepEqual(read(cell.split('; ').slice(0, 2).join('; '), machines).alts, alts.slice(0, 2));
  });
});

for (const target of await testTargets()) {
  describe(`routing sheet alternatives on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let n = 0;
    const importFile = (entity: string, body: string | Buffer, query = '', type = 'text/csv') =>
      call('POST', `/api/v1/${entity}/import${query}`, body, { 'content-type': type });
    const idOf = async (table: 'items' | 'work_centers' | 'machines', code: string) =>
      (
        await h.runtime.db.kysely
          .selectFrom(table)
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).id;
    const routing = async (id: string) => (await call('GET', `/api/v1/routings/${id}`)).json() as Routing;
    /** What a routing says, without the ids its operations get anew on every write. */
    const content = (r: Routing) => ({
      version: r.version,
      operations: r.operations.map(({ id: _, ...o }) => o),
    });
    const audits = async (id: string) =>
      (
        await h.runtime.db.kysely
          .selectFrom('audit_log')
          .select('action')
          .where('entity_id', '=', id)
          .execute()
      ).length;
    /** The CSV export as rows of cells, header first, only the rows of this test's item. */
    const exportRows = async (p: string) => {
      const body = (await call('GET', '/api/v1/routings/export?format=csv')).body.replace(/^\uFEFF/, '');
      return body
        .split('\r\n')
        .filter((line, i) => line !== '' && (i === 0 || line.startsWith(`${p}I1,`)))
        .map((line) => line.split(','));
    };

    /** An item, a work center with three machines, and a draft routing made through the API. */
    const seed = async () => {
      const p = `RS${++n}-`;
      const files: [string, string[][]][] = [
        [
          'items',
          [
            ['Code', 'Name', 'Type', 'UoM'],
            [`${p}I1`, 'bracket', 'semi_finished', 'pcs'],
          ],
        ],
        [
          'work-centers',
          [
            ['Code', 'Name'],
            [`${p}WC1`, 'CNC'],
            [`${p}WC2`, 'Saw'],
          ],
        ],
        [
          'machines',
          [
            ['Code', 'Name', 'Work center'],
            [`${p}M1`, 'lathe 1', `${p}WC1`],
            [`${p}M2`, 'lathe 2', `${p}WC1`],
            [`${p}M3`, 'saw 1', `${p}WC2`],
          ],
        ],
      ];
      for (const [entity, rows] of files) {
        const res = await importFile(entity, csv(rows));
        assert.equal(res.statusCode, 200, `${entity}: ${res.body}`);
      }
      const m = {
        m1: await idOf('machines', `${p}M1`),
        m2: await idOf('machines', `${p}M2`),
        m3: await idOf('machines', `${p}M3`),
      };
      const created = await call('POST', '/api/v1/routings', {
        itemId: await idOf('items', `${p}I1`),
        versionLabel: 'R1',
        operations: [
          {
            seq: 10,
            name: 'turn',
            workCenterId: await idOf('work_centers', `${p}WC1`),
            setupMinutes: 30,
            runMinutes: '2',
            instructionsUrl: 'https://docs.example.com/turn',
            alternatives: [
              { machineId: m.m1, runMinutes: '2.5', setupMinutes: 20, priority: 1 },
              { machineId: m.m2, runMinutes: '3' },
              { machineId: m.m3, runMinutes: '0.125', priority: 4 },
            ],
          },
          { seq: 20, name: 'saw', workCenterId: await idOf('work_centers', `${p}WC2`), runMinutes: '1' },
        ],
      });
      assert.equal(created.statusCode, 201, created.body);
      return { p, m, id: (created.json() as Routing).id };
    };

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('exports every alternative machine and re-imports an unchanged file without changing anything', async () => {
      const { p, id } = await seed();
      const rows = await exportRows(p);
      const column = rows[0]!.indexOf('备选设备 Alternative machines');
      assert.equal(column, rows[0]!.length - 1);
      assert.deepEqual(
        rows.slice(1).map((r) => r[column]),
        [`${p}M2:3; ${p}M1:2.5:20:1; ${p}M3:0.125:-:4`, ''],
      );
      const stored = content(await routing(id));
      const audited = await audits(id);
      for (const format of ['csv', 'xlsx'] as const) {
        const file = await call('GET', `/api/v1/routings/export?format=${format}`);
        const res = await importFile(
          'routings',
          file.rawPayload,
          '?mode=upsert',
          format === 'xlsx' ? XLSX : 'text/csv',
        );
        assert.equal(res.statusCode, 200, `${format}: ${res.body}`);
        assert.equal(res.json().inserted, 0);
        assert.deepEqual(content(await routing(id)), stored, format);
        assert.equal(await audits(id), audited, `${format}: no audit entry for an unchanged routing`);
      }
      assert.deepEqual(await exportRows(p), rows);
    });

    it('gives exactly the edited alternatives and keeps what the sheet does not carry', async () => {
      const { p, m, id } = await seed();
      const rows = await exportRows(p);
      const column = rows[0]!.length - 1;
      rows[1]![column] = `${p.toLowerCase()}m3:1.5;${p}M1:2.5:-:2`;
      rows[2]![column] = `${p}M2`;
      const res = await importFile('routings', csv(rows), '?mode=upsert');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([res.json().inserted, res.json().updated], [0, 1]);
      const r = await routing(id);
      assert.equal(r.version, 2);
      assert.deepEqual(
        r.operations.map((o) => [o.seq, o.instructionsUrl, o.alternatives]),
        [
          [
            10,
            'https://docs.example.com/turn',
            [
              { machineId: m.m3, runMinutes: '1.5', setupMinutes: null, priority: 0 },
              { machineId: m.m1, runMinutes: '2.5', setupMinutes: null, priority: 2 },
            ],
          ],
          [20, null, [{ machineId: m.m2, runMinutes: '1', setupMinutes: null, priority: 0 }]],
        ],
      );

      const cleared = rows.map((row, i) => (i === 0 ? row : [...row.slice(0, column), '']));
      assert.equal((await importFile('routings', csv(cleared), '?mode=upsert')).statusCode, 200);
      assert.deepEqual(
        (await routing(id)).operations.map((o) => o.alternatives),
        [[], []],
      );
    });

    it('keeps the alternatives of each operation when the file has no alternatives column', async () => {
      const { p, id } = await seed();
      const before = (await routing(id)).operations.map((o) => o.alternatives);
      const rows = (await exportRows(p)).map((row) => row.slice(0, -1));
      rows[1]![5] = 'turn and face';
      const res = await importFile('routings', csv(rows), '?mode=upsert');
      assert.equal(res.statusCode, 200, res.body);
      const r = await routing(id);
      assert.deepEqual([r.version, r.operations[0]!.name], [2, 'turn and face']);
      assert.deepEqual(
        r.operations.map((o) => o.alternatives),
        before,
      );
    });

    it('refuses unknown and repeated machines by row and column, and writes no routing of the file', async () => {
      const { p, id } = await seed();
      const stored = content(await routing(id));
      const rows = await exportRows(p);
      const column = rows[0]!.length - 1;
      rows[2]![column] = `${p}M1:2; ${p}NOPE:1; ${p}m1:3`;
      const fresh = [...rows[1]!];
      fresh[1] = 'R2';
      fresh[column] = `${p}M3:1:5`;
      const res = await importFile('routings', csv([...rows, fresh]), '?mode=upsert');
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual(
        res
          .json()
          .errors.map((e: { row: number; column: string; value: string; message: string }) => [
            e.row,
            e.column,
            e.value,
            e.message,
          ]),
        [
          [
            3,
            '备选设备 Alternative machines',
            `${p}NOPE:1`,
            `${p}NOPE is not the code of an existing machine`,
          ],
          [3, '备选设备 Alternative machines', `${p}m1:3`, `${p}m1 is listed twice`],
        ],
      );
      assert.deepEqual(content(await routing(id)), stored);
      const versions = await h.runtime.db.kysely
        .selectFrom('routings')
        .select('version_label')
        .where('item_code', '=', `${p}I1`)
        .execute();
      assert.deepEqual(
        versions.map((v) => v.version_label),
        ['R1'],
      );
    });

    it('creates a routing with alternatives from a sheet as the routing API reads them', async () => {
      const { p, m } = await seed();
      const rows = (await exportRows(p)).map((row, i) => (i === 0 ? row : [row[0]!, 'R9', ...row.slice(2)]));
      const res = await importFile('routings', csv(rows));
      assert.equal(res.statusCode, 200, res.body);
      const listed = (await call('GET', `/api/v1/routings?q=${p}I1`)).json().items as Routing[];
      const r9 = listed.find((r) => r.versionLabel === 'R9')!;
      assert.deepEqual(r9.operations[0]!.alternatives, [
        { machineId: m.m2, runMinutes: '3', setupMinutes: null, priority: 0 },
        { machineId: m.m1, runMinutes: '2.5', setupMinutes: 20, priority: 1 },
        { machineId: m.m3, runMinutes: '0.125', setupMinutes: null, priority: 4 },
      ]);
    });
  });
}
