/**
 * MRP run benchmark: seeds 5,000 items over three BOM levels (1,000 end items, 1,500
 * sub-assemblies, 2,500 bought parts) with stock, open purchase order lines and ten demands per end
 * item into a fresh database, then times one full run (gather + net + store).
 *   node bench/mrp.ts                      SQLite in a temporary directory
 *   DATABASE_URL=postgres://… node bench/mrp.ts   also on PostgreSQL (a throwaway database on that server)
 *   node bench/mrp.ts --data-dir data/bench-s10   on a copy of a plant seeded by bench/seed.ts instead
 * Seeding writes rows directly (balances without their moves): it measures planning, not posting.
 * Besides the phases it prints what a run costs the requests served meanwhile: the longest the
 * server's event loop was held (the longest gap between ticks of a 5 ms timer, run end included) and
 * the longest write transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemCtx } from '../apps/server/src/platform/context.ts';
import { Db } from '../apps/server/src/platform/db/database.ts';
import { newId, nowIso } from '../apps/server/src/platform/ids.ts';
import { executeRun, type RunTimings } from '../apps/server/src/modules/mrp/mrp.job.ts';
import { requestRun } from '../apps/server/src/modules/mrp/mrp.service.ts';
import { startGapMeter } from '../apps/server/src/testing/gap-meter.ts';
import { dataDir as dataDirArg } from './args.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

async function insertMany(db: Db, table: string, rows: object[]): Promise<void> {
  const size = Math.max(1, Math.floor(2000 / Object.keys(rows[0] ?? { a: 1 }).length));
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += size)
      await tx
        .insertInto(table as 'items')
        .values(rows.slice(i, i + size) as never)
        .execute();
  });
}

async function seed(db: Db, ends = 1000, subs = 1500, parts = 2500): Promise<void> {
  const rand = rng(42);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const now = nowIso();
  const day = (n: number) => new Date(Date.UTC(2030, 0, 7 + n)).toISOString().slice(0, 10);
  const items: { id: string; code: string }[] = [];
  const rows: object[] = [];
  const add = (code: string, make: boolean) => {
    const id = newId();
    items.push({ id, code });
    rows.push({
      id,
      code,
      name: code,
      spec: '',
      type: make ? 'semi' : 'raw',
      uom: 'pcs',
      safety_stock: rand() < 0.3 ? int(1, 50) * 1000 : 0,
      standard_cost: 0,
      tracking: 'none',
      default_warehouse_id: null,
      purchase_lead_days: int(3, 20),
      production_lead_days: int(1, 5),
      min_order_qty: make ? 0 : int(0, 5) * 10_000,
      order_multiple: make ? 1000 : [1000, 10_000, 100_000][int(0, 2)],
      dup_key: code,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    return id;
  };
  const fg = Array.from({ length: ends }, (_, i) => add(`FG-${i}`, true));
  const sa = Array.from({ length: subs }, (_, i) => add(`SA-${i}`, true));
  const rm = Array.from({ length: parts }, (_, i) => add(`RM-${i}`, false));
  await insertMany(db, 'items', rows);
  const boms: object[] = [];
  const lines: object[] = [];
  const bom = (parent: string, components: Set<string>) => {
    const bomId = newId();
    boms.push({
      id: bomId,
      item_id: parent,
      item_code: parent,
      version_label: 'A',
      effective_from: null,
      effective_to: null,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    let pos = 1;
    for (const c of components)
      lines.push({
        id: newId(),
        bom_id: bomId,
        position: pos++ * 10,
        component_item_id: c,
        component_code: c,
        qty_per: int(1, 8) * 500,
        scrap_bp: rand() < 0.2 ? int(50, 500) : 0,
        operation_seq: null,
      });
  };
  for (const p of fg) {
    const used = new Set<string>();
    for (let k = int(2, 4); k > 0; k--) used.add(sa[int(0, subs - 1)]!);
    if (rand() < 0.5) used.add(rm[int(0, parts - 1)]!);
    bom(p, used);
  }
  for (const p of sa) {
    const used = new Set<string>();
    for (let k = int(2, 5); k > 0; k--) used.add(rm[int(0, parts - 1)]!);
    bom(p, used);
  }
  await insertMany(db, 'boms', boms);
  await insertMany(db, 'bom_lines', lines);
  const wh = newId();
  const loc = newId();
  await insertMany(db, 'warehouses', [
    {
      id: wh,
      code: 'B-WH',
      name: 'bench',
      address: '',
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    },
  ]);
  await insertMany(db, 'locations', [
    {
      id: loc,
      warehouse_id: wh,
      code: 'B-A',
      name: 'A',
      kind: 'storage',
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    },
  ]);
  await insertMany(
    db,
    'stock_balances',
    items
      .filter(() => rand() < 0.5)
      .map((i) => ({
        item_id: i.id,
        location_id: loc,
        lot_id: '',
        on_hand: int(0, 500) * 1000,
        updated_at: now,
      })),
  );
  const sup = newId();
  await insertMany(db, 'suppliers', [
    {
      id: sup,
      code: 'B-SUP',
      name: 'bench',
      dup_key: 'b-sup',
      contacts: '[]',
      address: '',
      lead_days: 7,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    },
  ]);
  await insertMany(
    db,
    'supplier_items',
    rm.map((item) => ({
      id: newId(),
      supplier_id: sup,
      item_id: item,
      supplier_part_no: '',
      price: int(10, 900),
      currency: 'CNY',
      lead_days: null,
      moq: 0,
    })),
  );
  const po = newId();
  await insertMany(db, 'purchase_orders', [
    {
      id: po,
      code: 'PO-BENCH-0001',
      supplier_id: sup,
      status: 'sent',
      currency: 'CNY',
      tolerance_bp: 500,
      notes: '',
      created_by: null,
      approved_by: null,
      approved_at: null,
      sent_at: now,
      closed_at: null,
      cancelled_at: null,
      cancel_reason: null,
      version: 1,
      created_at: now,
      updated_at: now,
    },
  ]);
  await insertMany(
    db,
    'purchase_order_lines',
    rm
      .filter((_, i) => i % 2 === 0)
      .map((item, i) => ({
        id: newId(),
        po_id: po,
        line_no: i + 1,
        item_id: item,
        qty: int(1, 100) * 10_000,
        received_qty: 0,
        returned_qty: 0,
        unit_price: 100,
        due_date: day(int(-5, 60)),
        status: 'open',
        planned_order_id: null,
      })),
  );
  await insertMany(
    db,
    'mrp_demands',
    fg.flatMap((item) =>
      Array.from({ length: 10 }, () => ({
        id: newId(),
        item_id: item,
        qty: int(1, 200) * 1000,
        due_date: day(int(0, 90)),
        kind: 'other',
        note: '',
        created_at: now,
      })),
    ),
  );
}

async function bench(label: string, db: Db, seeded = false): Promise<void> {
  await db.migrate();
  let t = performance.now();
  if (!seeded) await seed(db);
  const seedMs = performance.now() - t;
  const { run } = await requestRun(db, systemCtx(), { start: seeded ? nowIso().slice(0, 10) : '2030-01-07' });
  const timings: RunTimings = { gatherMs: 0, netMs: 0, storeMs: 0 };
  let began = 0;
  let longestTx = 0;
  const stop = db.observe((e) => {
    const now = performance.now();
    if (e.query.sql === 'begin immediate' || e.query.sql === 'begin') began = now - e.queryDurationMillis;
    else if (e.query.sql === 'commit' || e.query.sql === 'rollback')
      longestTx = Math.max(longestTx, now - began);
  });
  const meter = startGapMeter(5);
  t = performance.now();
  const result = await executeRun(db, run.id, timings);
  const total = performance.now() - t;
  const held = meter.stop();
  stop();
  const done = await db.kysely
    .selectFrom('mrp_runs')
    .selectAll()
    .where('id', '=', run.id)
    .executeTakeFirstOrThrow();
  const s = JSON.parse(done.counts) as Record<string, number>;
  console.log(
    `${label}: ${result.status} — seed ${(seedMs / 1000).toFixed(2)} s; run ${(total / 1000).toFixed(2)} s ` +
      `(gather ${timings.gatherMs.toFixed(0)} ms, net ${timings.netMs.toFixed(0)} ms, store ${timings.storeMs.toFixed(0)} ms); ` +
      `${s.items} items, ${s.bomLines} BOM lines, ${s.demands} demands, ${s.receipts} receipts → ` +
      `${s.plannedOrders} planned orders, ${s.shortages} shortages, ${s.actions} actions; ` +
      `event loop held ≤ ${held.toFixed(0)} ms, longest write transaction ${longestTx.toFixed(0)} ms; ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
}

const dataDir = dataDirArg(null);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-bench-mrp-'));
// A seeded plant is copied, never written to; SQLite rebuilds the shared-memory index from the log.
if (dataDir)
  for (const f of fs.readdirSync(dataDir))
    if (!f.endsWith('-shm')) fs.copyFileSync(path.join(dataDir, f), path.join(dir, f));
const sqlite = Db.open({ url: null, sqliteFile: path.join(dir, 'takt.db') });
try {
  await bench(
    dataDir ? `sqlite ${path.relative(process.cwd(), dataDir)}` : 'sqlite',
    sqlite,
    dataDir !== null,
  );
} finally {
  await sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

if (process.env.DATABASE_URL && !dataDir) {
  const name = `takt_bench_mrp_${process.pid}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  const db = Db.open({ url: url.toString() });
  try {
    await bench('postgres', db);
  } finally {
    await db.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
