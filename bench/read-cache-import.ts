/**
 * How many kept read answers survive an item import: caches the detail of N work orders, the work-order
 * list of each product and the stock balances of each material, then imports an .xlsx of new items
 * while reading those answers again and again, and counts hits during and after the import.
 *   node bench/read-cache-import.ts                      SQLite, 200 work orders, 20,000 items
 *   node bench/read-cache-import.ts --db postgres --rows 100000 --orders 500
 *   --full-reads   trust no foreign key (every join reads its table in full: how it was before lookups)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testTargets } from '../apps/server/src/testing/databases.ts';
import {
  insertBom,
  insertMachine,
  insertRouting,
  insertWarehouse,
  insertWorkCenter,
} from '../apps/server/src/testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness } from '../apps/server/src/testing/harness.ts';
import { arg, flag } from './args.ts';
import { writeItemSheet, XLSX } from './item-sheet.ts';

const ROWS = Number(arg('rows', '20000'));
const ORDERS = Number(arg('orders', '200'));
const PRODUCTS = 20;
const fullReads = flag('full-reads');
const target = (await testTargets()).find((t) => t.name === arg('db', 'sqlite'));
if (!target) throw new Error(`database ${arg('db', 'sqlite')} is not reachable`);

// A long TTL, so that only invalidation ends a kept answer; no per-user rate limit for one busy reader.
const h = await startHarness(target, {
  demo: false,
  start: false,
  config: { readCacheTtlMs: 600_000, userRateLimit: 1_000_000_000 },
});
try {
  const rt = h.runtime;
  const call = api(rt, await signIn(rt, 'admin', ADMIN_PASSWORD));
  if (fullReads) rt.db.versions.learn({ foreignKeys: [], cascades: [], views: [] });
  const k = rt.db.kysely;
  const post = async (url: string, body: object) => {
    const res = await call('POST', url, body);
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const wc = await insertWorkCenter(k, 'RB-WC');
  const loc = await insertWarehouse(k, 'RB-WH', ['A']);
  const urls: string[] = [];
  const products: string[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    const product = (
      await post('/api/v1/items', { code: `RB-P${p}`, name: `成品 ${p}`, type: 'finished', uom: 'pcs' })
    ).id;
    const material = (
      await post('/api/v1/items', { code: `RB-M${p}`, name: `材料 ${p}`, type: 'raw', uom: 'kg' })
    ).id;
    await insertBom(k, product, `RB-P${p}`, [[material, `RB-M${p}`, 1_000, 0]]);
    await insertRouting(k, product, `RB-P${p}`, [[10, 'turn', wc, false]], {
      setup: 5,
      runMilliMinutes: 1_000,
    });
    await post('/api/v1/inventory/moves', {
      kind: 'receipt',
      itemId: material,
      qty: '100',
      toLocationId: loc.A,
    });
    products.push(product);
    urls.push(
      `/api/v1/work-orders?itemId=${product}&limit=50`,
      `/api/v1/inventory/balances?itemId=${material}`,
    );
  }
  await insertMachine(k, 'RB-M', wc);
  for (let i = 0; i < ORDERS; i++) {
    const wo = await post('/api/v1/work-orders', {
      itemId: products[i % PRODUCTS],
      qty: String(1 + (i % 9)),
    });
    urls.push(`/api/v1/work-orders/${wo.id}`);
  }
  for (const url of urls) await call('GET', url);
  let warm = 0;
  for (const url of urls) if ((await call('GET', url)).headers['x-read-cache'] === 'hit') warm++;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-rc-import-'));
  const file = path.join(dir, 'items.xlsx');
  await writeItemSheet(file, ROWS, 'RBI-');
  const sheet = fs.readFileSync(file);
  fs.rmSync(dir, { recursive: true, force: true });

  const during = { hit: 0, miss: 0 };
  /** From the first batch of rows written on (before it the import reads and checks the sheet). */
  const writing = { hit: 0, miss: 0 };
  let written = false;
  const off = rt.db.versions.onBump((writes) => {
    if (writes.some((w) => w === 'items' || w === '+items')) written = true;
  });
  let importing = true;
  const started = performance.now();
  const imported = call('POST', '/api/v1/items/import?mode=insert', sheet, { 'content-type': XLSX }).finally(
    () => {
      importing = false;
    },
  );
  const reads = (async () => {
    while (importing) {
      for (const url of urls) {
        if (!importing) break;
        const res = await call('GET', url);
        const hit = res.headers['x-read-cache'] === 'hit';
        during[hit ? 'hit' : 'miss']++;
        if (written) writing[hit ? 'hit' : 'miss']++;
        // A kept answer is given without any I/O: let the import (and the timers) run in between.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  })();
  const res = await imported;
  const ms = performance.now() - started;
  await reads;
  off();
  const out = res.json() as { status?: string; inserted?: number };
  if (out.status !== 'imported') throw new Error(`import: ${res.statusCode} ${res.body}`);
  let after = 0;
  for (const url of urls) if ((await call('GET', url)).headers['x-read-cache'] === 'hit') after++;
  const share = (c: { hit: number; miss: number }) =>
    `${c.hit} of ${c.hit + c.miss} reads were hits (${((100 * c.hit) / Math.max(1, c.hit + c.miss)).toFixed(1)}%)`;
  console.log(
    [
      `${target.name}${fullReads ? ', every join read in full' : ''}: ${urls.length} kept answers (${warm} hits before)`,
      `import of ${out.inserted} items in ${(ms / 1000).toFixed(1)} s`,
      `during it: ${share(during)}; while rows were written: ${share(writing)}`,
      `after it: ${after} of ${urls.length} answers still kept`,
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ].join('\n  '),
  );
} finally {
  await h.close();
}
