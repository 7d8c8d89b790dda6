import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pipeline } from 'node:stream/promises';
import { systemCtx } from '../../platform/context.ts';
import { diffRows } from '../../platform/audit.ts';
import { Db } from '../../platform/db/database.ts';
import { LocalBus } from '../../platform/events/bus.ts';
import { testTargets } from '../../testing/databases.ts';
import { toItem } from '../items/item.service.ts';
import { loadRule } from '../masterdata/code-rule.service.ts';
import { ITEM_HEADERS } from './item-columns.ts';
import { importItems } from './item-import.ts';
import type { ParsedBatch, ParseSetup } from './item-parse.ts';
import { PARSE_THREAD_BYTES, parsedBatches } from './parse-thread.ts';
import { xlsxWriter } from './sheet-io.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-parse-thread-'));

/** An item sheet of `rows` rows; `change` may spoil some of them. */
async function sheet(name: string, rows: number, change: (i: number, cells: string[]) => void = () => {}) {
  const file = path.join(dir, name);
  const writer = xlsxWriter('Items 物料');
  const done = pipeline(writer.stream, fs.createWriteStream(file));
  await writer.row(ITEM_HEADERS);
  for (let i = 0; i < rows; i++) {
    const cells = [
      `${name.slice(0, 2).toUpperCase()}-${String(i).padStart(6, '0')}`,
      `零件 ${i}`,
      `M${i % 30}×${i % 200}`,
      i % 2 ? '原材料' : 'finished',
      i % 3 ? 'pcs' : 'kg',
      i % 5 ? 'none' : '批次',
      String(i % 1000),
      `${i % 500}.${String(i % 100).padStart(2, '0')}`,
      '',
      String(i % 30),
      '0',
      '0',
      '0',
      i % 7 ? 'true' : '否',
    ];
    change(i, cells);
    await writer.row(cells);
  }
  await writer.end();
  await done;
  return file;
}

async function collect(file: string, setup: ParseSetup, thread: boolean): Promise<ParsedBatch[]> {
  const out: ParsedBatch[] = [];
  for await (const b of parsedBatches(file, true, setup, { build: true }, { thread })) out.push(b);
  return out;
}

process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

describe('item sheet checking in a worker thread', () => {
  let setup: ParseSetup;
  let db: Db;
  before(async () => {
    db = Db.open({ url: null, sqliteFile: path.join(dir, 'rule.db') });
    await db.migrate();
    setup = {
      mode: 'insert',
      rule: (await loadRule(db.kysely, 'items')).dto,
      warehouses: [],
      custom: [],
      build: {
        dialect: 'sqlite',
        now: '2026-01-01T00:00:00.000Z',
        actorType: 'system',
        actorId: 'system',
        ip: null,
        userAgent: null,
        requestId: null,
      },
    };
  });
  after(() => db.close());

  it('finds the same problems and valid rows in a worker thread as in this one', async () => {
    const file = await sheet('bad.xlsx', 3_000, (i, cells) => {
      if (i === 10) cells[7] = '1.234';
      if (i === 1_500) cells[0] = 'BA-000020';
      if (i === 2_999) cells[3] = 'gizmo';
    });
    const strip = (batches: ParsedBatch[]) =>
      batches.map(({ rows, errors, rowNos, codes, inserts }) => ({ rows, errors, rowNos, codes, inserts }));
    const here = strip(await collect(file, setup, false));
    const there = strip(await collect(file, setup, true));
    assert.deepEqual(there, here);
    assert.deepEqual(
      there.flatMap((b) => b.errors).map((e) => `${e.row} ${e.column}`),
      ['12 标准成本 Standard cost', '1502 编码 Code', '3001 类型 Type'],
    );
    assert.equal(there.flatMap((b) => b.errors)[1]!.message, 'duplicates row 22');
    assert.equal(there.at(-1)!.rows, 3_000);
    assert.equal(there.flatMap((b) => b.codes).length, 2_997);
    // Nothing is made ready to insert once a problem is known.
    assert.ok(there.every((b) => b.inserts === null));
  });

  it('makes the rows of a clean file ready to insert, batch by batch', async () => {
    const file = await sheet('good.xlsx', 2_500);
    const batches = await collect(file, setup, true);
    assert.deepEqual(
      batches.map((b) => b.codes.length),
      [1_000, 1_000, 500],
    );
    for (const b of batches) {
      assert.ok(b.inserts);
      assert.equal(b.inserts.items.rows, b.codes.length);
      assert.equal(b.inserts.audit.rows, b.codes.length);
      assert.equal(b.inserts.outbox.rows, b.codes.length);
    }
  });
});

for (const target of await testTargets()) {
  describe(`importing a large item sheet on ${target.name}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let big: string;
    before(async () => {
      const t = await target.create();
      drop = t.drop;
      db = Db.open({ url: t.url, sqliteFile: path.join(t.dataDir, 'takt.db') });
      await db.migrate();
      big = await sheet('big.xlsx', 6_000);
      assert.ok(fs.statSync(big).size >= PARSE_THREAD_BYTES, 'the sheet is read in a worker thread');
    });
    after(async () => {
      await db.close();
      await drop();
    });
    const run = (file: string, dryRun = false) =>
      importItems(db, systemCtx('parse-thread-test'), new LocalBus(), {
        body: fs.createReadStream(file),
        contentType: XLSX,
        mode: 'insert',
        dryRun,
      });
    const tally = async () =>
      Promise.all(
        (['items', 'audit_log', 'outbox'] as const).map(async (table) =>
          Number(
            (
              await db.kysely
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      );

    it('writes nothing when one row near the end is bad, and reports its row and column', async () => {
      const before = await tally();
      const file = await sheet('big-bad.xlsx', 6_000, (i, cells) => {
        if (i === 5_990) cells[6] = '-1';
      });
      const res = await run(file);
      assert.equal(res.status, 'invalid');
      assert.equal(res.errorCount, 1);
      assert.equal(res.errors[0]!.row, 5_992);
      assert.equal(res.errors[0]!.column, '安全库存 Safety stock');
      assert.deepEqual(await tally(), before);
    });

    it('writes every item with the audit entry and event a hand-made one gets', async () => {
      const before = await tally();
      const res = await run(big);
      assert.equal(res.status, 'imported', JSON.stringify(res.errors.slice(0, 3)));
      assert.equal(res.inserted, 6_000);
      assert.deepEqual(
        await tally(),
        before.map((n) => n + 6_000),
      );
      const items = await db.kysely.selectFrom('items').selectAll().where('code', 'like', 'BI-%').execute();
      assert.equal(items.length, 6_000);
      const sample = items.filter((_, i) => i % 997 === 0);
      for (const row of sample) {
        const audit = await db.kysely
          .selectFrom('audit_log')
          .selectAll()
          .where('entity_id', '=', row.id)
          .executeTakeFirstOrThrow();
        assert.equal(audit.action, 'create');
        assert.deepEqual(JSON.parse(audit.diff), diffRows(null, { ...row, conversions: [] }));
        const event = await db.kysely
          .selectFrom('outbox')
          .selectAll()
          .where('aggregate_id', '=', row.id)
          .executeTakeFirstOrThrow();
        assert.equal(event.type, 'item.created');
        assert.deepEqual(JSON.parse(event.data), toItem(row));
      }
    });

    it('refuses a large file that is no workbook, naming the problem', async () => {
      const file = path.join(dir, 'noise.xlsx');
      fs.writeFileSync(file, Buffer.alloc(PARSE_THREAD_BYTES + 1024, 'PK not a zip '));
      await assert.rejects(run(file), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'VALIDATION_FAILED');
        assert.match(err.message, /not a readable \.xlsx workbook/);
        return true;
      });
    });

    it('reports every stored code on a second run and writes nothing', async () => {
      const before = await tally();
      const res = await run(big);
      assert.equal(res.status, 'invalid');
      assert.equal(res.errorCount, 6_000);
      assert.equal(res.errors[0]!.message, 'an item with this code exists already');
      assert.deepEqual(await tally(), before);
    });
  });
}
