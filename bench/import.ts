/**
 * Bulk import/export benchmark: writes 100,000 items to an .xlsx file, imports it into a fresh
 * database (rows/s, peak RSS), then tops the items up to 1,000,000 with direct inserts and exports
 * them as CSV and as xlsx (time, peak RSS: memory should stay flat however many rows).
 *   node bench/import.ts                          SQLite in a temporary directory
 *   DATABASE_URL=postgres://… node bench/import.ts also on PostgreSQL (a throwaway database there)
 *   BENCH_IMPORT_ROWS / BENCH_EXPORT_ROWS          other sizes
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { systemCtx } from '../apps/server/src/platform/context.ts';
import { Db } from '../apps/server/src/platform/db/database.ts';
import { LocalBus } from '../apps/server/src/platform/events/bus.ts';
import { newId, nowIso } from '../apps/server/src/platform/ids.ts';
import { exportItems } from '../apps/server/src/modules/imports/item-export.ts';
import { ITEM_HEADERS } from '../apps/server/src/modules/imports/item-columns.ts';
import { importItems } from '../apps/server/src/modules/imports/item-import.ts';
import { xlsxWriter } from '../apps/server/src/modules/imports/sheet-io.ts';
import { flag } from './args.ts';

if (flag('help')) {
  console.log(`node bench/import.ts
  Item import (100,000 rows from .xlsx: dry run and real import, rows/s and peak RSS) and item export
  (1,000,000 rows as CSV and .xlsx, time and peak RSS) on SQLite, then on PostgreSQL when
  DATABASE_URL is set (in a throwaway database).
  BENCH_IMPORT_ROWS=n   rows to import (default 100000)
  BENCH_EXPORT_ROWS=n   rows to export (default 1000000)
  BENCH_DATABASES=postgres   skip SQLite (or =sqlite to skip PostgreSQL)`);
  process.exit(0);
}

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const ONLY = process.env.BENCH_DATABASES;
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * Samples RSS every 10 ms while `fn` runs; returns its time, the CPU time of this process (which a
 * busy machine inflates less than the wall time; all threads) and of the main thread alone (a large
 * sheet is read and checked in a worker thread while the main thread writes), and the highest RSS.
 */
async function measure<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number; mainCpuMs: number; startRss: number; peakRss: number }> {
  global.gc?.();
  const cpu0 = process.cpuUsage();
  const main0 = process.threadCpuUsage();
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const cpu = process.cpuUsage(cpu0);
    const main = process.threadCpuUsage(main0);
    return {
      value,
      ms: performance.now() - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainCpuMs: (main.user + main.system) / 1000,
      startRss,
      peakRss,
    };
  } finally {
    clearInterval(timer);
  }
}

const cpuText = (m: { cpuMs: number; mainCpuMs: number }) =>
  `${(m.cpuMs / 1000).toFixed(2)} s, main thread ${(m.mainCpuMs / 1000).toFixed(2)} s`;

async function writeSheet(file: string, rows: number): Promise<void> {
  const writer = xlsxWriter('Items 物料');
  const done = pipeline(writer.stream, fs.createWriteStream(file));
  await writer.row(ITEM_HEADERS);
  const types = ['raw', '原材料', 'purchased', '成品', 'semi_finished', '辅料'];
  for (let i = 0; i < rows; i++) {
    const code = `BM-${String(i).padStart(7, '0')}`;
    await writer.row([
      code,
      `零件 ${i}`,
      `M${i % 30}×${i % 200}`,
      types[i % types.length]!,
      i % 3 ? 'pcs' : 'kg',
      i % 5 ? 'none' : '批次',
      String(i % 1000),
      `${i % 500}.${String(i % 100).padStart(2, '0')}`,
      '',
      String(i % 30),
      String(i % 10),
      '0',
      '0',
      'true',
    ]);
  }
  await writer.end();
  await done;
}

async function topUp(db: Db, from: number, to: number): Promise<void> {
  const now = nowIso();
  for (let start = from; start < to; start += 50_000) {
    await db.transaction(async (tx) => {
      for (let i = start; i < Math.min(to, start + 50_000); i += 500) {
        const rows = [];
        for (let j = i; j < Math.min(to, start + 50_000, i + 500); j++) {
          rows.push({
            id: newId(),
            code: `EX-${String(j).padStart(8, '0')}`,
            name: `导出 ${j}`,
            spec: `S${j % 97}`,
            type: 'raw',
            uom: 'pcs',
            safety_stock: j % 7000,
            standard_cost: j % 90_000,
            tracking: 'none',
            default_warehouse_id: null,
            purchase_lead_days: j % 20,
            production_lead_days: 0,
            min_order_qty: 0,
            order_multiple: 0,
            dup_key: `导出 ${j}|s${j % 97}`,
            active: 1,
            version: 1,
            created_at: now,
            updated_at: now,
          });
        }
        await tx.insertInto('items').values(rows).execute();
      }
    });
  }
}

async function bench(label: string, db: Db, sheet: string, dir: string): Promise<void> {
  await db.migrate();
  const checked = await measure(() =>
    importItems(db, systemCtx('bench'), new LocalBus(), {
      body: fs.createReadStream(sheet),
      contentType: XLSX,
      mode: 'insert',
      dryRun: true,
    }),
  );
  console.log(
    `${label}: dry run (read + check every row) ${checked.value.rows} rows in ${(checked.ms / 1000).toFixed(2)} s = ` +
      `${Math.round(checked.value.rows / (checked.ms / 1000))} rows/s (CPU ${cpuText(checked)})`,
  );
  const imported = await measure(() =>
    importItems(db, systemCtx('bench'), new LocalBus(), {
      body: fs.createReadStream(sheet),
      contentType: XLSX,
      mode: 'insert',
      dryRun: false,
    }),
  );
  const r = imported.value;
  if (r.status !== 'imported') throw new Error(`import ${r.status}: ${JSON.stringify(r.errors.slice(0, 3))}`);
  console.log(
    `${label}: import ${r.inserted} rows from xlsx in ${(imported.ms / 1000).toFixed(2)} s = ` +
      `${Math.round(r.inserted / (imported.ms / 1000))} rows/s (CPU ${cpuText(imported)}); RSS ${mb(imported.startRss)} → peak ${mb(imported.peakRss)}`,
  );
  const seeded = await measure(() => topUp(db, r.inserted, EXPORT_ROWS));
  console.log(`${label}: direct insert up to ${EXPORT_ROWS} items in ${(seeded.ms / 1000).toFixed(1)} s`);
  for (const format of ['csv', 'xlsx'] as const) {
    const file = path.join(dir, `export.${format}`);
    const out = await measure(() => pipeline(exportItems(db, { format }), fs.createWriteStream(file)));
    console.log(
      `${label}: export ${EXPORT_ROWS} rows as ${format} (${mb(fs.statSync(file).size)}) in ` +
        `${(out.ms / 1000).toFixed(1)} s; RSS ${mb(out.startRss)} → peak ${mb(out.peakRss)}`,
    );
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-bench-import-'));
try {
  const sheet = path.join(dir, 'items.xlsx');
  const made = await measure(() => writeSheet(sheet, IMPORT_ROWS));
  console.log(
    `wrote ${IMPORT_ROWS} rows to ${mb(fs.statSync(sheet).size)} xlsx in ${(made.ms / 1000).toFixed(1)} s`,
  );
  if (ONLY !== 'postgres') {
    const sqlite = Db.open({ url: null, sqliteFile: path.join(dir, 'takt.db') });
    try {
      await bench('sqlite', sqlite, sheet, dir);
    } finally {
      await sqlite.close();
    }
  }
  if (process.env.DATABASE_URL && ONLY !== 'sqlite') {
    const name = `takt_bench_import_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    const db = Db.open({ url: url.toString() });
    try {
      await bench('postgres', db, sheet, dir);
    } finally {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
