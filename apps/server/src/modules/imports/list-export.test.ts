import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Db } from '../../platform/db/database.ts';
import { testTargets } from '../../testing/databases.ts';
import { insertWarehouse } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { archiveOld } from '../archive/archive.service.ts';
import { DEMO_PASSWORD } from '../demo/demo-data.ts';
import { exportBalances, exportMoves } from '../inventory/inventory.export.ts';
import { exportWorkOrders } from '../production/workorder.export.ts';
import { exportPurchaseOrders } from '../purchasing/purchaseorder.export.ts';
import { exportSalesOrders } from '../sales/salesorder.export.ts';
import { parseCsv } from './csv.ts';
import { exportPages, xlsxWriter } from './sheet-io.ts';

type Call = ReturnType<typeof api>;
type Item = Record<string, unknown>;
type Exporter = (db: Db, query: Record<string, unknown>, batch: number) => Promise<Readable>;

/** One list and its export: how a list item and a CSV row name the same row (codes and quantities). */
interface Spec {
  readonly list: string;
  readonly export: string;
  readonly header: string;
  readonly listKey: (item: Item) => string[];
  readonly csvKey: (row: string[]) => string[];
  readonly run: Exporter;
}

const SPECS: Record<string, Spec> = {
  workOrders: {
    list: '/api/v1/work-orders',
    export: '/api/v1/work-orders/export',
    header: '工单号 Code',
    listKey: (w) => [String(w.code), String(w.itemCode), String(w.status), String(w.qty)],
    csvKey: (r) => [r[0]!, r[1]!, r[3]!, r[4]!],
    run: (db, q, batch) => exportWorkOrders(db, q, batch),
  },
  salesOrders: {
    list: '/api/v1/sales-orders',
    export: '/api/v1/sales-orders/export',
    header: '订单号 Code',
    listKey: (o) => [String(o.code), String(o.customerName), String(o.status), String(o.orderValue)],
    csvKey: (r) => [r[0]!, r[2]!, r[5]!, r[8]!],
    run: (db, q, batch) => exportSalesOrders(db, q, batch),
  },
  purchaseOrders: {
    list: '/api/v1/purchase-orders',
    export: '/api/v1/purchase-orders/export',
    header: '采购单号 Code',
    listKey: (o) => [String(o.code), String(o.supplierName), String(o.status), String(o.total)],
    csvKey: (r) => [r[0]!, r[2]!, r[3]!, r[5]!],
    run: (db, q, batch) => exportPurchaseOrders(db, q, batch),
  },
  moves: {
    list: '/api/v1/inventory/moves',
    export: '/api/v1/inventory/moves/export',
    header: '序号 Seq',
    listKey: (m) => [String(m.seq), String(m.kind), String(m.qty), String(m.lot ?? '')],
    csvKey: (r) => [r[0]!, r[2]!, r[5]!, r[9]!],
    run: (db, q, batch) => exportMoves(db, q, batch),
  },
  balances: {
    list: '/api/v1/inventory/balances',
    export: '/api/v1/inventory/balances/export',
    header: '物料编码 Item',
    listKey: (b) => [String(b.itemCode), String(b.locationCode), String(b.lot ?? ''), String(b.onHand)],
    csvKey: (r) => [r[0]!, r[4]!, r[5]!, r[6]!],
    run: (db, q, batch) => exportBalances(db, q, batch),
  },
};

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function csvRows(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of parseCsv(Readable.from([text]))) rows.push(row);
  return rows;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function xlsxRows(bytes: Buffer): Promise<{ name: string; rows: string[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  const width = ws.getRow(1).cellCount;
  // Empty cells, trailing ones too, come back as holes: every row gets the header's width.
  ws.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    rows.push(Array.from({ length: width }, (_, i) => String(values[i] ?? '')));
  });
  return { name: ws.name, rows };
}

describe('exportPages', () => {
  it('stops reading pages once the reader of its stream has gone', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      let pages = 0;
      const stream = await exportPages({
        format,
        sheetName: 'T',
        columns: [
          { header: '甲 A', value: (n: number) => n },
          { header: '乙 B', value: (n: number) => `row ${n} `.repeat(10) },
        ],
        async page(cursor) {
          pages++;
          const from = cursor ? Number(cursor) : 0;
          return { items: Array.from({ length: 100 }, (_, i) => from + i), nextCursor: String(from + 100) };
        },
      });
      let bytes = 0;
      await new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > 300_000) stream.destroy();
        });
        stream.on('close', resolve);
      });
      const atClose = pages;
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The page being written when the reader left may finish; none is read after that.
      assert.ok(pages <= atClose + 1, `${format}: ${atClose} pages when closed, ${pages} after`);
      assert.ok(pages < 2_000, `${format}: ${pages} pages`);
    }
  });

  it('goes on in a next worksheet, header first, where one would hold more rows than Excel opens', async () => {
    const writer = xlsxWriter('Stock moves 库存流水', [10, 10], 3);
    const bytes: Buffer[] = [];
    writer.stream.on('data', (b: Buffer) => bytes.push(b));
    const done = new Promise((resolve) => writer.stream.on('end', resolve));
    await writer.row(['甲 A', '乙 B']);
    for (let i = 1; i <= 5; i++) await writer.row([`r${i}`, String(i)]);
    await writer.end();
    await done;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(bytes) as unknown as ArrayBuffer);
    const sheets = book.worksheets.map((ws) => {
      const rows: string[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map(String)));
      return { name: ws.name, rows };
    });
    assert.deepEqual(sheets, [
      {
        name: 'Stock moves 库存流水',
        rows: [
          ['甲 A', '乙 B'],
          ['r1', '1'],
          ['r2', '2'],
        ],
      },
      {
        name: 'Stock moves 库存流水 (2)',
        rows: [
          ['甲 A', '乙 B'],
          ['r3', '3'],
          ['r4', '4'],
        ],
      },
      {
        name: 'Stock moves 库存流水 (3)',
        rows: [
          ['甲 A', '乙 B'],
          ['r5', '5'],
        ],
      },
    ]);
  });

  it('reads the first page before answering, so its failure is thrown rather than streamed', async () => {
    await assert.rejects(
      exportPages({
        format: 'csv',
        sheetName: 'T',
        columns: [{ header: 'A', value: (n: number) => n }],
        page: async () => {
          throw new Error('bad filter');
        },
      }),
      /bad filter/,
    );
  });
});

for (const target of await testTargets()) {
  describe(`list exports on ${target.name}`, () => {
    let h: Harness;
    let db: Db;
    let call: Call;
    const ids: Record<string, string> = {};

    /** Every row of a list, through all its pages (small ones, so the cursor is used). */
    const listAll = async (spec: Spec, filters: Record<string, string>): Promise<Item[]> => {
      const out: Item[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(
          'GET',
          `${spec.list}?${query({ ...filters, limit: '3', ...(cursor ? { cursor } : {}) })}`,
        );
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json() as { items: Item[]; nextCursor: string | null };
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    };

    /** The export as CSV over HTTP: its data rows (after the header, which is checked). */
    const exportCsv = async (spec: Spec, filters: Record<string, string>, name: string) => {
      const res = await call('GET', `${spec.export}?${query({ ...filters, format: 'csv' })}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(
        String(res.headers['content-disposition']),
        new RegExp(`^attachment; filename="${name}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
      );
      assert.ok(res.body.startsWith('\uFEFF'), 'UTF-8 BOM');
      const [header, ...rows] = await csvRows(res.body);
      assert.equal(header![0], spec.header);
      return { header: header!, rows };
    };

    before(async () => {
      h = await startHarness(target, { demo: true, start: false });
      db = h.runtime.db;
      const k = db.kysely;
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const def = await call('POST', '/api/v1/masterdata/custom-fields', {
        entity: 'work_orders',
        key: 'line',
        kind: 'choice',
        labelZh: '产线',
        labelEn: 'Line',
        options: ['L1', 'L2'],
      });
      assert.equal(def.statusCode, 201, def.body);
      // Work orders on two products, some released, some on line L1.
      const finished = await k
        .selectFrom('items')
        .select('id')
        .where('type', '=', 'finished')
        .orderBy('code')
        .limit(2)
        .execute();
      ids.product = finished[0]!.id;
      for (let i = 0; i < 8; i++) {
        const created = await call('POST', '/api/v1/work-orders', {
          itemId: finished[i % 2]!.id,
          qty: `${i + 1}.5`,
          withChildren: false,
          ...(i % 3 === 0 ? { customFields: { line: 'L1' } } : {}),
        });
        assert.equal(created.statusCode, 201, created.body);
        const wo = created.json() as { id: string; version: number };
        if (i < 3) {
          const released = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
            action: 'release',
            version: wo.version,
          });
          assert.equal(released.statusCode, 200, released.body);
        }
      }
      // Stock moves in a warehouse of their own: receipts, a transfer undone, an issue, a lot.
      const loc = await insertWarehouse(k, 'EXP-WH', ['A', 'B']);
      ids.locA = loc.A!;
      ids.locB = loc.B!;
      const warehouse = await k
        .selectFrom('warehouses')
        .select('id')
        .where('code', '=', 'EXP-WH')
        .executeTakeFirstOrThrow();
      ids.warehouse = warehouse.id;
      const materials = await k
        .selectFrom('items')
        .select(['id', 'tracking'])
        .where('type', '!=', 'finished')
        .orderBy('code')
        .execute();
      const plain = materials.filter((m) => m.tracking === 'none');
      const lotted = materials.find((m) => m.tracking === 'lot');
      ids.material = plain[0]!.id;
      const post = async (body: Record<string, unknown>) => {
        const r = await call('POST', '/api/v1/inventory/moves', { itemId: ids.material, ...body });
        assert.equal(r.statusCode, 201, r.body);
        return r.json() as { id: string };
      };
      await post({ kind: 'receipt', qty: '10.25', toLocationId: loc.A });
      await post({ kind: 'receipt', qty: '5', toLocationId: loc.B });
      const transfer = await post({ kind: 'transfer', qty: '3', fromLocationId: loc.A, toLocationId: loc.B });
      const undo = await call('POST', `/api/v1/inventory/moves/${transfer.id}/reverse`, {
        reason: 'wrong bin',
      });
      assert.equal(undo.statusCode, 201, undo.body);
      await post({ kind: 'issue', qty: '2', fromLocationId: loc.A });
      await post({ itemId: plain[1]!.id, kind: 'receipt', qty: '4', toLocationId: loc.A });
      if (lotted)
        await post({ itemId: lotted.id, kind: 'receipt', qty: '7', toLocationId: loc.B, lot: 'LOT-X1' });
    });
    after(() => h.close());

    it('exports every row of its list, in the list order, with the same filters', async () => {
      const cases: [Spec, Record<string, string>, string][] = [
        [SPECS.workOrders!, {}, 'work-orders'],
        [SPECS.workOrders!, { status: 'released' }, 'work-orders'],
        [SPECS.workOrders!, { customField: 'line', customValue: 'L1' }, 'work-orders'],
        [SPECS.workOrders!, { itemId: ids.product!, q: 'WO' }, 'work-orders'],
        [SPECS.salesOrders!, {}, 'sales-orders'],
        [SPECS.salesOrders!, { sort: 'code' }, 'sales-orders'],
        [SPECS.salesOrders!, { status: 'draft,confirmed', sort: '-dueDate' }, 'sales-orders'],
        [SPECS.purchaseOrders!, {}, 'purchase-orders'],
        [SPECS.purchaseOrders!, { status: 'draft' }, 'purchase-orders'],
        [SPECS.moves!, {}, 'stock-moves'],
        [SPECS.moves!, { itemId: ids.material! }, 'stock-moves'],
        [SPECS.moves!, { locationId: ids.locB! }, 'stock-moves'],
        [SPECS.balances!, {}, 'stock-balances'],
        [SPECS.balances!, { warehouseId: ids.warehouse!, includeZero: 'true' }, 'stock-balances'],
        [SPECS.balances!, { itemId: ids.material! }, 'stock-balances'],
      ];
      for (const [spec, filters, name] of cases) {
        const label = `${spec.export} ${query(filters)}`;
        const oracle = await listAll(spec, filters);
        assert.ok(oracle.length > 0, `${label}: the list has rows`);
        const { rows } = await exportCsv(spec, filters, name);
        assert.deepEqual(rows.map(spec.csvKey), oracle.map(spec.listKey), label);
        // The same through the service in pages of 2: the cursor carries the export across pages.
        const paged = await csvRows(
          (await bytesOf(await spec.run(db, { ...filters, format: 'csv' }, 2))).toString('utf8'),
        );
        assert.deepEqual(paged.slice(1).map(spec.csvKey), oracle.map(spec.listKey), `${label} in pages of 2`);
      }
    });

    it('follows the filters: each one narrows the export', async () => {
      const count = async (spec: Spec, filters: Record<string, string>, name: string) =>
        (await exportCsv(spec, filters, name)).rows.length;
      const narrowed: [Spec, Record<string, string>, string][] = [
        [SPECS.workOrders!, { status: 'released' }, 'work-orders'],
        [SPECS.workOrders!, { customField: 'line', customValue: 'L1' }, 'work-orders'],
        [SPECS.salesOrders!, { status: 'draft' }, 'sales-orders'],
        [SPECS.purchaseOrders!, { status: 'draft' }, 'purchase-orders'],
        [SPECS.moves!, { itemId: ids.material! }, 'stock-moves'],
        [SPECS.balances!, { warehouseId: ids.warehouse! }, 'stock-balances'],
      ];
      for (const [spec, filters, name] of narrowed) {
        const all = await count(spec, {}, name);
        const some = await count(spec, filters, name);
        assert.ok(some > 0 && some < all, `${spec.export} ${query(filters)}: ${some} of ${all}`);
      }
      assert.equal(await count(SPECS.workOrders!, { status: 'released' }, 'work-orders'), 3);
      // Moves of the material: 2 receipts, the transfer and its reversal, the issue.
      assert.equal(await count(SPECS.moves!, { itemId: ids.material! }, 'stock-moves'), 5);
      assert.equal(await count(SPECS.workOrders!, { q: 'NO-SUCH-ORDER' }, 'work-orders'), 0, 'headers only');
    });

    it('shows codes and names for what the lists give as ids', async () => {
      const moves = await exportCsv(SPECS.moves!, { itemId: ids.material! }, 'stock-moves');
      const [undo, transfer] = [moves.rows[1]!, moves.rows[2]!];
      assert.equal(transfer[2], 'transfer');
      assert.deepEqual([transfer[7], transfer[8]], ['EXP-WH/A', 'EXP-WH/B']);
      assert.deepEqual([undo[7], undo[8], undo[12]], ['EXP-WH/B', 'EXP-WH/A', transfer[0]]);
      assert.equal(undo[13], 'wrong bin');
      assert.ok(
        moves.rows.every((r) => r[3] !== '' && r[4] !== '' && r[6] !== ''),
        'item code, name, unit',
      );
      const balances = await exportCsv(SPECS.balances!, { warehouseId: ids.warehouse! }, 'stock-balances');
      assert.ok(balances.rows.every((r) => r[3] === 'EXP-WH' && r[1] !== ''));
      const orders = await exportCsv(
        SPECS.workOrders!,
        { customField: 'line', customValue: 'L1' },
        'work-orders',
      );
      assert.equal(orders.header.at(-1), '产线 Line [line]', 'custom fields follow as columns');
      assert.ok(orders.rows.every((r) => r.at(-1) === 'L1'));
    });

    it('writes xlsx that parses to the same header and rows', async () => {
      for (const [spec, name] of [
        [SPECS.workOrders!, 'work-orders'],
        [SPECS.salesOrders!, 'sales-orders'],
        [SPECS.purchaseOrders!, 'purchase-orders'],
        [SPECS.moves!, 'stock-moves'],
        [SPECS.balances!, 'stock-balances'],
      ] as const) {
        const csv = await exportCsv(spec, {}, name);
        const res = await call('GET', spec.export);
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /spreadsheetml/);
        assert.match(String(res.headers['content-disposition']), new RegExp(`filename="${name}-.*\\.xlsx"`));
        const sheet = await xlsxRows(res.rawPayload);
        assert.deepEqual(sheet.rows[0], csv.header, spec.export);
        assert.equal(sheet.rows.length - 1, csv.rows.length, spec.export);
        assert.deepEqual(sheet.rows.slice(1).map(spec.csvKey), csv.rows.map(spec.csvKey), spec.export);
        // In pages of 2 through the service: the same rows.
        const paged = await xlsxRows(await bytesOf(await spec.run(db, {}, 2)));
        assert.deepEqual(paged.rows, sheet.rows, `${spec.export} in pages of 2`);
      }
    });

    it('refuses a bad filter with 400 problem+json naming the field', async () => {
      const cases: [string, string][] = [
        ['/api/v1/work-orders/export?limit=5', '/querystring/limit'],
        ['/api/v1/work-orders/export?cursor=abc', '/querystring/cursor'],
        ['/api/v1/work-orders/export?customField=no_such_field', '/querystring/customField'],
        ['/api/v1/work-orders/export?format=pdf', '/querystring/format'],
        ['/api/v1/sales-orders/export?dueFrom=notadate', '/querystring/dueFrom'],
        ['/api/v1/sales-orders/export?sort=colour', '/querystring/sort'],
        ['/api/v1/work-orders/export?status=bogus', '/querystring/status'],
        ['/api/v1/sales-orders/export?status=open,bogus', '/querystring/status'],
        ['/api/v1/purchase-orders/export?status=lost', '/querystring/status'],
        ['/api/v1/inventory/moves/export?archived=maybe', '/querystring/archived'],
        ['/api/v1/inventory/moves/export?nope=1', '/querystring/nope'],
        ['/api/v1/inventory/balances/export?includeZero=maybe', '/querystring/includeZero'],
        ['/api/v1/archive/work-orders/export?archived=true', '/querystring/archived'],
      ];
      for (const [url, field] of cases) {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        assert.ok(
          (res.json() as { errors?: { field: string }[] }).errors?.some((e) => e.field === field),
          `${url}: ${res.body}`,
        );
      }
    });

    it('needs the list’s read permission', async () => {
      const operator = api(h.runtime, await signIn(h.runtime, 'operator', DEMO_PASSWORD));
      for (const url of [
        SPECS.salesOrders!.export,
        SPECS.purchaseOrders!.export,
        SPECS.moves!.export,
        SPECS.balances!.export,
      ]) {
        const res = await operator('GET', `${url}?format=csv`);
        assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
        assert.equal(res.json().code, 'PERMISSION_DENIED');
      }
      assert.equal(
        (await operator('GET', SPECS.workOrders!.export)).statusCode,
        200,
        'operators read orders',
      );
      const role = await call('POST', '/api/v1/identity/roles', {
        name: 'item-clerk',
        permissions: ['masterdata:read'],
      });
      assert.equal(role.statusCode, 201, role.body);
      const user = await call('POST', '/api/v1/identity/users', {
        login: 'itemclerk',
        displayName: 'Item clerk',
        password: 'clerk-pass-1',
        roles: ['item-clerk'],
      });
      assert.equal(user.statusCode, 201, user.body);
      const clerk = api(h.runtime, await signIn(h.runtime, 'itemclerk', 'clerk-pass-1'));
      for (const url of [SPECS.workOrders!.export, '/api/v1/archive/work-orders/export']) {
        const res = await clerk('GET', url);
        assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
      }
    });

    it('exports the archive with archived=true, as the archive route does', async () => {
      // Cancel two orders and let years pass over them: the archive run moves them out.
      const open = await listAll(SPECS.workOrders!, { status: 'draft' });
      assert.ok(open.length >= 2);
      for (const w of open.slice(0, 2)) {
        const r = await call('POST', `/api/v1/work-orders/${w.id}/actions`, {
          action: 'cancel',
          version: w.version,
          reason: 'not needed',
        });
        assert.equal(r.statusCode, 200, r.body);
      }
      await db.kysely
        .updateTable('work_orders')
        .set({ updated_at: '2020-01-15T08:00:00.000Z' })
        .where('status', '=', 'cancelled')
        .execute();
      assert.equal((await archiveOld(db, { afterDays: 365 })).workOrders, 2);
      const oracle = await listAll(SPECS.workOrders!, { archived: 'true' });
      assert.equal(oracle.length, 2);
      const viaList = await exportCsv(SPECS.workOrders!, { archived: 'true' }, 'archived-work-orders');
      const viaArchive = await call('GET', '/api/v1/archive/work-orders/export?format=csv');
      assert.equal(viaArchive.statusCode, 200, viaArchive.body);
      assert.match(String(viaArchive.headers['content-disposition']), /filename="archived-work-orders-/);
      const [header, ...rows] = await csvRows(viaArchive.body);
      assert.deepEqual(header, viaList.header);
      assert.deepEqual(rows, viaList.rows);
      assert.deepEqual(rows.map(SPECS.workOrders!.csvKey), oracle.map(SPECS.workOrders!.listKey));
      // The live export no longer has them.
      const live = await exportCsv(SPECS.workOrders!, {}, 'work-orders');
      assert.ok(!live.rows.some((r) => rows.some((a) => a[0] === r[0])));
      const sheet = await call('GET', '/api/v1/archive/work-orders/export');
      assert.equal((await xlsxRows(sheet.rawPayload)).name, 'Archived work orders 归档工单');
    });

    it('exports archived stock moves with archived=true, the list’s rows, references still by code', async () => {
      const k = db.kysely;
      // A work order cancelled long ago, with stock moved for it; then years pass over the warehouse.
      const created = await call('POST', '/api/v1/work-orders', {
        itemId: ids.product,
        qty: '1',
        withChildren: false,
      });
      assert.equal(created.statusCode, 201, created.body);
      const wo = created.json() as { id: string; code: string; version: number };
      const cancelled = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'cancel',
        version: wo.version,
        reason: 'not needed',
      });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      const ref = { type: 'work_order', id: wo.id };
      for (const body of [
        { kind: 'receipt', qty: '1', toLocationId: ids.locB, ref },
        { kind: 'issue', qty: '0.5', fromLocationId: ids.locB, ref },
      ]) {
        const r = await call('POST', '/api/v1/inventory/moves', { itemId: ids.material, ...body });
        assert.equal(r.statusCode, 201, r.body);
      }
      const here = [ids.locA!, ids.locB!];
      const aged = await k
        .updateTable('stock_moves')
        .set({ created_at: '2020-01-15T08:00:00.000Z' })
        .where((eb) => eb.or([eb('from_location_id', 'in', here), eb('to_location_id', 'in', here)]))
        .executeTakeFirst();
      await k
        .updateTable('work_orders')
        .set({ updated_at: '2020-01-15T08:00:00.000Z' })
        .where('id', '=', wo.id)
        .execute();
      const result = await archiveOld(db, { afterDays: 365 });
      assert.deepEqual([result.workOrders, result.stockMoves], [1, Number(aged.numUpdatedRows)]);

      // The list of the archive is the archive table's rows, newest first.
      const table = await k.selectFrom('stock_moves_archive').select('id').orderBy('seq', 'desc').execute();
      const oracle = await listAll(SPECS.moves!, { archived: 'true' });
      assert.deepEqual(
        oracle.map((m) => m.id),
        table.map((r) => r.id),
      );
      const filterSets: Record<string, string>[] = [
        { archived: 'true' },
        { archived: 'true', itemId: ids.material! },
      ];
      for (const filters of filterSets) {
        const label = query(filters);
        const expected = await listAll(SPECS.moves!, filters);
        const { rows } = await exportCsv(SPECS.moves!, filters, 'archived-stock-moves');
        assert.deepEqual(rows.map(SPECS.moves!.csvKey), expected.map(SPECS.moves!.listKey), label);
        const paged = await csvRows(
          (await bytesOf(await exportMoves(db, { ...filters, archived: true, format: 'csv' }, 2))).toString(
            'utf8',
          ),
        );
        assert.deepEqual(paged.slice(1), rows, `${label} in pages of 2`);
      }
      const { rows } = await exportCsv(SPECS.moves!, { archived: 'true' }, 'archived-stock-moves');
      // The archived work order's code, the reversed move's sequence number, the lot and the places.
      const forOrder = rows.filter((r) => r[10] === 'work_order');
      assert.equal(forOrder.length, 2);
      assert.ok(forOrder.every((r) => r[11] === wo.code));
      const undo = rows.find((r) => r[13] === 'wrong bin')!;
      const transfer = rows.find((r) => r[2] === 'transfer' && r[0] === undo[12]);
      assert.ok(transfer, 'the undo names the archived transfer by its sequence number');
      assert.ok(rows.every((r) => r[7]!.startsWith('EXP-WH/') || r[8]!.startsWith('EXP-WH/')));
      // The live export no longer has them.
      const live = await exportCsv(SPECS.moves!, {}, 'stock-moves');
      assert.ok(!live.rows.some((r) => rows.some((a) => a[0] === r[0])));
      const sheet = await call('GET', '/api/v1/inventory/moves/export?archived=true');
      assert.equal(sheet.statusCode, 200);
      assert.match(String(sheet.headers['content-disposition']), /filename="archived-stock-moves-.*\.xlsx"/);
      const book = await xlsxRows(sheet.rawPayload);
      assert.equal(book.name, 'Archived stock moves 归档库存流水');
      assert.deepEqual(book.rows.slice(1).map(SPECS.moves!.csvKey), rows.map(SPECS.moves!.csvKey));
    });
  });
}
