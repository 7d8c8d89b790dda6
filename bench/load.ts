/**
 * Load benchmark (run on demand, loopback only, bounded): `npm run bench:load -- [--seconds 10]
 * [--connections 50,200] [--orders 20000]`. Starts Takt on a fresh SQLite database with the demo
 * factory plus N generated work orders, then measures a realistic read/write mix, side by side with
 * a bare Fastify "hello" route on the same machine as the ceiling.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { pino } from 'pino';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { newId, nowIso } from '../apps/server/src/platform/ids.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const seconds = Number(arg('seconds', '10'));
const connectionsList = arg('connections', '50,200').split(',').map(Number);
const orders = Number(arg('orders', '20000'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-load-'));
const config = {
  ...loadConfig({ TAKT_DATA_DIR: dir, TAKT_ADMIN_PASSWORD: 'load-admin-pw', TAKT_LOG_LEVEL: 'silent' }),
  loginRateLimit: 1_000_000,
  userRateLimit: 100_000_000,
};
const runtime = await createRuntime(config, { log: pino({ level: 'silent' }) });
runtime.start();
const db = runtime.db.kysely;

// Generated work orders spread over the demo items, with one operation each: running ones on the demo
// machines of one work center, the others waiting for dispatch.
const items = await db
  .selectFrom('items')
  .select('id')
  .where('type', 'in', ['finished', 'semi_finished'])
  .execute();
const wc = await db.selectFrom('work_centers').select('id').executeTakeFirstOrThrow();
// Running operations sit on the machines of one work center; the others wait for dispatch.
const machines = await db.selectFrom('machines').select('id').where('work_center_id', '=', wc.id).execute();
const machine = machines[0]!;
const started = Date.now();
const statuses = ['released', 'dispatched', 'in_progress', 'completed', 'closed'];
const opIds: string[] = [];
for (let b = 0; b < orders; b += 1000) {
  await runtime.db.transaction(async (tx) => {
    for (let i = b; i < Math.min(orders, b + 1000); i++) {
      const id = newId();
      const now = nowIso();
      const status = statuses[i % statuses.length]!;
      await tx
        .insertInto('work_orders')
        .values({
          id,
          code: `WO-LOAD-${String(i).padStart(7, '0')}`,
          item_id: items[i % items.length]!.id,
          qty: 100_000,
          qty_good: 0,
          qty_scrap: 0,
          qty_received: 0,
          status,
          held_from: null,
          closed_short_reason: null,
          bom_id: null,
          routing_id: null,
          parent_id: null,
          root_id: id,
          sales_order_id: null,
          sales_order_line_id: null,
          due_date: '2027-01-15',
          priority: i % 100,
          source: 'manual',
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const opId = newId();
      await tx
        .insertInto('work_order_operations')
        .values({
          id: opId,
          work_order_id: id,
          seq: 10,
          name: 'op',
          work_center_id: wc.id,
          machine_id: status === 'in_progress' ? machines[i % machines.length]!.id : null,
          status: status === 'in_progress' ? 'in_progress' : 'ready',
          setup_minutes: 10,
          run_mmin: 1000,
          planned_minutes: 110,
          skill_code: null,
          skill_level: null,
          tool_code: null,
          inspection: 0,
          overlap: 0,
          wait_minutes: 0,
          predecessors: '[]',
          qty_good: 0,
          qty_scrap: 0,
          planned_start: null,
          planned_end: null,
          version: 1,
          updated_at: now,
          held_from: null,
          dispatch_no: 0,
          dispatched_at: null,
          dispatch_error: null,
          external_ack_at: null,
          started_at: null,
          status_since: now,
          operator_id: null,
        })
        .execute();
      if (status === 'in_progress') opIds.push(opId);
    }
  });
}
process.stdout.write(`seeded ${orders} work orders in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: 'admin', password: config.adminPassword }),
});
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
const someWo = await db
  .selectFrom('work_orders')
  .select('id')
  .where('status', '=', 'in_progress')
  .executeTakeFirstOrThrow();
const item = items[0]!.id;

const bare = Fastify();
bare.get('/hello', async () => ({ hello: 'world' }));
const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });

let reportNo = 0;
const scenarios: { name: string; url: string; requests?: autocannon.Request[] }[] = [
  { name: 'bare hello (ceiling)', url: `${bareBase}/hello` },
  { name: 'work-order list, filtered', url: `${base}/api/v1/work-orders?status=in_progress&limit=50` },
  { name: 'work-order detail', url: `${base}/api/v1/work-orders/${someWo.id}` },
  {
    name: 'dispatch list per machine',
    url: `${base}/api/v1/shopfloor/dispatch-list?machineId=${machine.id}`,
  },
  { name: 'stock lookup', url: `${base}/api/v1/inventory/items/${item}/availability` },
  {
    name: 'terminal report (write)',
    url: base,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const op = opIds[reportNo % opIds.length]!;
          reportNo++;
          return {
            ...req,
            path: `/api/v1/operations/${op}/reports`,
            body: JSON.stringify({ idempotencyKey: `load-${reportNo}-${process.pid}`, good: '0.001' }),
          };
        },
      },
    ],
  },
];

const rows: string[] = [];
for (const connections of connectionsList) {
  for (const s of scenarios) {
    const result = await autocannon({
      url: s.url,
      connections,
      duration: seconds,
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      ...(s.requests ? { requests: s.requests } : {}),
    });
    rows.push(
      `${String(connections).padStart(5)}  ${s.name.padEnd(28)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(5)} ms  errors ${result.errors + result.non2xx}`,
    );
    process.stdout.write(`${rows[rows.length - 1]}\n`);
  }
}

await bare.close();
await runtime.close();
fs.rmSync(dir, { recursive: true, force: true });
