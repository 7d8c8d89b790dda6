/**
 * What the load benchmark sends its requests to: Takt inside the benchmark's own process (a default
 * install, one process), or Takt as separate server processes started from `main.ts` the way a
 * scaled-out install runs (`TAKT_ROLE=api` with `TAKT_WORKERS=N` sharing one port through node:cluster,
 * plus one `TAKT_ROLE=worker` process for jobs and event dispatch), on PostgreSQL and Redis.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'kysely';
import type { Db } from '../apps/server/src/platform/db/database.ts';
import type { Runtime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

/** Connections each Takt process may open (Db.open's pool size). */
export const POOL_PER_PROCESS = 10;

export interface Target {
  /** One line naming the setup, for the header. */
  readonly label: string;
  readonly base: string;
  /** The trivial route the scenarios are compared with. */
  readonly ceiling: { readonly name: string; readonly base: string; readonly path: string };
  /** The same database, for picking sample rows and listing background jobs. */
  readonly db: Db;
  /** Takt processes holding a database pool (the benchmark's own small pool not counted). */
  readonly poolHolders: number;
  /** Error lines the server processes logged since the last call (null: not observable, in-process). */
  takeServerErrors(): string[] | null;
  close(): Promise<void>;
}

const SERVER_ENV = {
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  TAKT_DEMO_ACTIVITY: '0',
  TAKT_LOGIN_RATE_LIMIT: '1000000',
  TAKT_USER_RATE_LIMIT: '100000000',
};

/** Takt in this process; a fresh SQLite database gets the demo factory and `orders` work orders. */
export async function startInProcess(options: {
  readonly databaseUrl: string | null;
  readonly dataDir: string | null;
  readonly orders: number;
}): Promise<Target> {
  const { default: Fastify } = await import('fastify');
  const { pino } = await import('pino');
  const { loadConfig } = await import('../apps/server/src/platform/config.ts');
  const { createRuntime } = await import('../apps/server/src/runtime.ts');
  const seeded = options.databaseUrl !== null || options.dataDir !== null;
  const dir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'takt-load-'));
  if (options.dataDir && !options.databaseUrl && !fs.existsSync(path.join(dir, 'takt.db'))) {
    throw new Error(
      `${dir}/takt.db does not exist: seed it first with npm run bench:seed -- --data-dir ${dir}`,
    );
  }
  const env: Record<string, string> = { ...SERVER_ENV, TAKT_DATA_DIR: dir, TAKT_LOG_LEVEL: 'silent' };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (process.env.TAKT_HTTP_ACCEPTORS) env.TAKT_HTTP_ACCEPTORS = process.env.TAKT_HTTP_ACCEPTORS;
  const config = loadConfig(env);
  const runtime = await createRuntime(config, { log: pino({ level: 'silent' }) });
  runtime.start();
  if (!seeded) await seedOrders(runtime, options.orders);
  const { listenWithAcceptors } = await import('../apps/server/src/platform/http/listen.ts');
  // As main.ts listens, with several accepting sockets (TAKT_HTTP_ACCEPTORS).
  const base = await listenWithAcceptors(runtime.app, {
    port: 0,
    host: '127.0.0.1',
    acceptors: config.httpAcceptors,
  });
  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
  return {
    label: `${options.databaseUrl ? 'PostgreSQL' : `SQLite ${dir}`}, Takt in the benchmark's process`,
    base,
    ceiling: { name: 'bare hello (ceiling)', base: bareBase, path: '/hello' },
    db: runtime.db,
    poolHolders: 1,
    takeServerErrors: () => null,
    async close() {
      await bare.close();
      await runtime.close();
      if (!seeded) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

interface ServerProcess {
  readonly exited: Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts `main.ts` with `env` and resolves once `listening` log lines with message `ready` were seen.
 * Its log lines of level error and above go to `errors`; the last lines are kept for a failed start.
 */
function startServer(
  env: Record<string, string>,
  ready: string,
  listening: number,
  errors: string[],
): Promise<ServerProcess> {
  const main = path.resolve(import.meta.dirname, '../apps/server/src/main.ts');
  const clean = { ...process.env };
  delete clean.TAKT_METRICS_PORT;
  const child = spawn(process.execPath, [main], {
    env: { ...clean, ...env, TAKT_LOG_LEVEL: 'info', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  const tail: string[] = [];
  let seen = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Takt (${env.TAKT_ROLE}) not ready in 180 s:\n${tail.join('\n')}`));
    }, 180_000);
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      let entry: { level?: number; msg?: string } | null = null;
      try {
        entry = JSON.parse(line) as { level?: number; msg?: string };
      } catch {
        // not a log line (a warning of node itself)
      }
      if (entry?.msg === ready && ++seen === listening) {
        clearTimeout(timer);
        resolve({
          exited,
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
            await exited;
            clearTimeout(force);
          },
        });
      }
      if ((entry?.level ?? 0) >= 50) errors.push(line.slice(0, 300));
    };
    for (const stream of [child.stdout, child.stderr])
      readline.createInterface({ input: stream }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Takt (${env.TAKT_ROLE}) exited ${code} before it was ready:\n${tail.join('\n')}`));
    });
  });
}

/**
 * `apiProcesses` API processes (one `TAKT_ROLE=api TAKT_WORKERS=N` server, node:cluster) and one
 * `TAKT_ROLE=worker` process on a seeded PostgreSQL database, sharing live events through Redis.
 * The ceiling is their own `/health` route, so it goes through the same processes and port.
 */
export async function startProcesses(options: {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly apiProcesses: number;
}): Promise<Target> {
  const { Db } = await import('../apps/server/src/platform/db/database.ts');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-load-'));
  const env = {
    ...SERVER_ENV,
    TAKT_DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
  };
  const errors: string[] = [];
  const port = await freePort();
  const workerPort = await freePort();
  const n = options.apiProcesses;
  const servers = await Promise.all([
    startServer(
      { ...env, TAKT_ROLE: 'api', TAKT_WORKERS: String(n), PORT: String(port) },
      'Takt is listening',
      n,
      errors,
    ),
    startServer(
      { ...env, TAKT_ROLE: 'worker', TAKT_WORKERS: '1', PORT: String(workerPort) },
      'Takt worker started',
      1,
      errors,
    ),
  ]);
  const base = `http://127.0.0.1:${port}`;
  const db = Db.open({ url: options.databaseUrl, poolSize: 2 });
  return {
    label: `PostgreSQL, ${n} API process${n > 1 ? 'es' : ''} (TAKT_ROLE=api TAKT_WORKERS=${n}) + 1 worker process, Redis`,
    base,
    ceiling: { name: 'Takt /health (ceiling)', base, path: '/health' },
    db,
    poolHolders: n + 1,
    takeServerErrors: () => errors.splice(0),
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The soft limit on open files of this shell (children inherit it). */
export async function openFileLimit(): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const raw = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  return raw === 'unlimited' ? Number.POSITIVE_INFINITY : Number(raw);
}

/**
 * PostgreSQL's connection limit and reserved slots, the client connections open now (this one
 * included) and those of them on this database.
 */
export async function postgresConnections(
  db: Db,
): Promise<{ max: number; reserved: number; used: number; here: number }> {
  const r = await sql<{ max: number; reserved: number; used: number; here: number }>`
    select current_setting('max_connections')::int as max,
           current_setting('superuser_reserved_connections')::int as reserved,
           (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as used,
           (select count(*)::int from pg_stat_activity
             where backend_type = 'client backend' and datname = current_database()) as here`.execute(
    db.kysely,
  );
  return r.rows[0]!;
}

/** Fresh mode: N work orders over the demo items, one operation each; a fifth of them running. */
async function seedOrders(runtime: Runtime, orders: number): Promise<void> {
  const { newId, nowIso } = await import('../apps/server/src/platform/ids.ts');
  const db = runtime.db.kysely;
  const items = await db
    .selectFrom('items')
    .select('id')
    .where('type', 'in', ['finished', 'semi_finished'])
    .execute();
  const wc = await db.selectFrom('work_centers').select('id').executeTakeFirstOrThrow();
  const machines = await db.selectFrom('machines').select('id').where('work_center_id', '=', wc.id).execute();
  const started = Date.now();
  const statuses = ['released', 'dispatched', 'in_progress', 'completed', 'closed'];
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
        await tx
          .insertInto('work_order_operations')
          .values({
            id: newId(),
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
      }
    });
  }
  process.stdout.write(`seeded ${orders} work orders in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
