/**
 * Read latency on SQLite while an item import of 100,000 rows (one write transaction) runs, with and
 * without the read connection, in one process through the Db (no HTTP). A fixed-rate loop looks up an
 * item by code (an indexed select) every few milliseconds; each latency counts from when the lookup
 * was due, so a stalled event loop counts too. It prints p50/p99/max alone and during the import, the
 * import's rows/s and CPU time, and the event loop's longest blocks during the import (wall time and
 * main-thread CPU time between two turns).
 *   node bench/sqlite-reader.ts [--rows 100000] [--every-ms 5] [--reader on|off|both]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { systemCtx } from '../apps/server/src/platform/context.ts';
import { Db } from '../apps/server/src/platform/db/database.ts';
import { LocalBus } from '../apps/server/src/platform/events/bus.ts';
import { newId, nowIso } from '../apps/server/src/platform/ids.ts';
import { importItems } from '../apps/server/src/modules/imports/item-import.ts';
import { writeItemSheet, XLSX } from './item-sheet.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    'every-ms': { type: 'string', default: '5' },
    reader: { type: 'string', default: 'both' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`node bench/sqlite-reader.ts [--rows 100000] [--every-ms 5] [--reader on|off|both]
  Read latency (item by code, in-process) alone and during an item import of --rows rows, on a
  fresh SQLite file with the read connection (on) and with one connection for everything (off).`);
  process.exit(0);
}
const ROWS = Number(args.rows);
const EVERY_MS = Number(args['every-ms']);
const SEEDED = 20_000;
const modes = args.reader === 'both' ? ['on', 'off'] : [args.reader];

const pct = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function seed(db: Db): Promise<void> {
  const now = nowIso();
  await db.transaction(async (tx) => {
    for (let i = 0; i < SEEDED; i += 500) {
      const rows = [];
      for (let j = i; j < i + 500; j++)
        rows.push({
          id: newId(),
          code: `SEED-${String(j).padStart(6, '0')}`,
          name: `seed ${j}`,
          spec: `S${j % 97}`,
          type: 'raw',
          uom: 'pcs',
          safety_stock: 0,
          standard_cost: 0,
          tracking: 'none',
          default_warehouse_id: null,
          purchase_lead_days: 0,
          production_lead_days: 0,
          min_order_qty: 0,
          order_multiple: 0,
          dup_key: `seed ${j}|s${j % 97}`,
          active: 1,
          version: 1,
          created_at: now,
          updated_at: now,
        });
      await tx.insertInto('items').values(rows).execute();
    }
  });
}

/**
 * Looks up an item by code every EVERY_MS until `until` settles; latencies count from when each
 * lookup was due (lookups due while the event loop was blocked start late, and that wait counts).
 */
async function readLoop(db: Db, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let done = false;
  until.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const t0 = performance.now();
  let due = t0;
  let n = 0;
  while (!done) {
    const now = performance.now();
    while (due <= now) {
      const dueAt = due;
      const code = `SEED-${String(n++ % SEEDED).padStart(6, '0')}`;
      pending.push(
        db.kysely
          .selectFrom('items')
          .select(['id', 'code', 'name', 'version'])
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
          .then(() => {
            latencies.push(performance.now() - dueAt);
          }),
      );
      due += EVERY_MS;
    }
    await sleep(Math.max(0, due - performance.now()));
  }
  await Promise.all(pending);
  return latencies.sort((a, b) => a - b);
}

/**
 * The event loop's blocks while `fn` runs, seen by a 1 ms interval: the wall time between two ticks
 * (less the 1 ms), and the main thread's CPU time between them — what this thread ran without
 * letting the loop turn, which other work on a shared machine does not inflate.
 */
async function blocks<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; wall: { max: number; p99: number }; cpu: { max: number; p99: number } }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let last = performance.now();
  let lastCpu = process.threadCpuUsage();
  const probe = setInterval(() => {
    const now = performance.now();
    const c = process.threadCpuUsage();
    wall.push(Math.max(0, now - last - 1));
    cpu.push((c.user - lastCpu.user + c.system - lastCpu.system) / 1000);
    last = now;
    lastCpu = c;
  }, 1);
  try {
    const value = await fn();
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    return {
      value,
      wall: { max: wall.at(-1) ?? 0, p99: pct(wall, 99) },
      cpu: { max: cpu.at(-1) ?? 0, p99: pct(cpu, 99) },
    };
  } finally {
    clearInterval(probe);
  }
}

async function run(mode: string, sheet: string, dir: string): Promise<void> {
  const file = path.join(dir, `reader-${mode}.db`);
  const db = Db.open({ url: null, sqliteFile: file, sqliteReader: mode === 'on' });
  try {
    await db.migrate();
    await seed(db);
    const alone = await readLoop(db, sleep(2000));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const importing = importItems(db, systemCtx('bench'), new LocalBus(), {
      body: fs.createReadStream(sheet),
      contentType: XLSX,
      mode: 'insert',
      dryRun: false,
    });
    const [during, seen] = await Promise.all([readLoop(db, importing), blocks(() => importing)]);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const r = seen.value;
    if (r.status !== 'imported')
      throw new Error(`import ${r.status}: ${JSON.stringify(r.errors.slice(0, 3))}`);
    console.log(
      `reader ${mode}: reads alone p50 ${ms(pct(alone, 50))} p99 ${ms(pct(alone, 99))} (${alone.length}); ` +
        `during import p50 ${ms(pct(during, 50))} p99 ${ms(pct(during, 99))} max ${ms(during.at(-1) ?? 0)} (${during.length}), ` +
        `p99 ×${(pct(during, 99) / pct(alone, 99)).toFixed(1)}`,
    );
    console.log(
      `reader ${mode}: import ${r.inserted} rows in ${seconds.toFixed(2)} s = ${Math.round(r.inserted / seconds)} rows/s ` +
        `(CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, with the reads); event loop blocks: ` +
        `wall max ${ms(seen.wall.max)} p99 ${ms(seen.wall.p99)}; main-thread CPU per turn max ${ms(seen.cpu.max)} p99 ${ms(seen.cpu.p99)}`,
    );
  } finally {
    await db.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-bench-reader-'));
try {
  const sheet = path.join(dir, 'items.xlsx');
  await writeItemSheet(sheet, ROWS);
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${ROWS} rows, a read every ${EVERY_MS} ms`,
  );
  for (const mode of modes) await run(mode, sheet, dir);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
