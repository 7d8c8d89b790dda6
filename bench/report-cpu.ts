/**
 * CPU cost of one terminal report (POST /operations/:id/reports, a write transaction with ledger and
 * outbox) on a copy of a seeded plant, through `inject()` (no sockets):
 *   node bench/report-cpu.ts [--data-dir data/bench-s10] [--reports 1000] [--header]
 *                            [--wal-autocheckpoint PAGES] [--statements] [--keep | --in-place]
 * The data directory is copied to a temporary one first, so the seeded plant is never written to
 * (`--keep` leaves the copy; `--in-place` writes to the given directory, for a private copy reused
 * across runs).
 * `--header` also sends each report's key as an `Idempotency-Key` header, which adds the HTTP
 * idempotency bookkeeping (claim, commit stamp, stored response) to what is measured.
 * `--wal-autocheckpoint` overrides SQLite's checkpoint threshold (0 = off) to see what the checkpoints
 * run inside commits cost. `--statements` lists each statement run during the measured reports with
 * how often per report and its mean time (SQLite runs on the event loop: its time is this process's CPU
 * time, unless the host took the core away meanwhile).
 *
 * Prints process CPU time (user + system) per report, which hardly moves with other work on a shared
 * host, and the wall time per report (p50, p99) of reports sent one after another.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';
import { arg, dataDir, flag } from './args.ts';

const source = dataDir('data/bench-s10');
const reports = Number(arg('reports', '1000'));
const withHeader = flag('header');
const keep = flag('keep');
const autocheckpoint = arg('wal-autocheckpoint', '');
const byStatement = flag('statements');

const inPlace = flag('in-place');
const dir = inPlace ? source : fs.mkdtempSync(path.join(os.tmpdir(), 'takt-bench-report-'));
// The shared-memory index is rebuilt by SQLite from the log; a copy of it could be stale.
if (!inPlace)
  for (const f of fs.readdirSync(source))
    if (!f.endsWith('-shm')) fs.copyFileSync(path.join(source, f), path.join(dir, f));

const env: Record<string, string> = {
  TAKT_DATA_DIR: dir,
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  TAKT_LOG_LEVEL: 'silent',
};
const config = { ...loadConfig(env), loginRateLimit: 1_000_000, userRateLimit: 100_000_000 };
let rt: Awaited<ReturnType<typeof createRuntime>> | null = null;
try {
  const runtime = await createRuntime(config, { log: pino({ level: 'silent' }) });
  rt = runtime;
  const login = await runtime.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { login: 'admin', password: config.adminPassword },
  });
  if (login.statusCode !== 200)
    throw new Error(`login failed (${login.statusCode}): seed with bench/seed.ts`);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const csrf = (login.json() as { csrfToken: string }).csrfToken;
  const ops = await runtime.db.kysely
    .selectFrom('work_order_operations')
    .select('id')
    .where('status', '=', 'in_progress')
    .orderBy('id', 'desc')
    .limit(2000)
    .execute();
  if (ops.length === 0) throw new Error('no running operations: seed with bench/seed.ts');

  if (autocheckpoint)
    await sql.raw(`pragma wal_autocheckpoint = ${Number(autocheckpoint)}`).execute(runtime.db.kysely);

  let n = 0;
  let statements = 0;
  const commits: number[] = [];
  const timed = new Map<string, { n: number; ms: number }>();
  runtime.db.observe((e) => {
    statements++;
    if (e.query.sql === 'commit') commits.push(e.queryDurationMillis);
    if (byStatement) {
      const key = e.query.sql.replace(/\s+/g, ' ').slice(0, 90);
      const t = timed.get(key) ?? { n: 0, ms: 0 };
      t.n++;
      t.ms += e.queryDurationMillis;
      timed.set(key, t);
    }
  });
  const post = async () => {
    const op = ops[n % ops.length]!;
    const key = `report-cpu-${process.pid}-${n++}`;
    const res = await runtime.app.inject({
      method: 'POST',
      url: `/api/v1/operations/${op.id}/reports`,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        'content-type': 'application/json',
        ...(withHeader ? { 'idempotency-key': key } : {}),
      },
      payload: JSON.stringify({ idempotencyKey: key, good: '0.001' }),
    });
    if (res.statusCode !== 201) throw new Error(`report: ${res.statusCode} ${res.body}`);
  };
  for (let i = 0; i < Math.min(200, reports); i++) await post();
  const wall = new Float64Array(reports);
  statements = 0;
  commits.length = 0;
  timed.clear();
  const before = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < reports; i++) {
    const t = performance.now();
    await post();
    wall[i] = performance.now() - t;
  }
  const total = performance.now() - t0;
  const cpu = process.cpuUsage(before);
  const us = (cpu.user + cpu.system) / reports;
  wall.sort();
  const q = (p: number) => wall[Math.min(reports - 1, Math.floor(p * reports))]!;
  const commit = Float64Array.from(commits).sort();
  const cq = (p: number) => commit[Math.min(commit.length - 1, Math.floor(p * commit.length))] ?? 0;
  process.stdout.write(
    `terminal report, SQLite copy of ${path.relative(process.cwd(), source) || source}, ${reports} reports` +
      `${withHeader ? ' with Idempotency-Key header' : ''}, ${ops.length} running operations\n` +
      `  ${Math.round(us)} µs CPU per report (≤ ${Math.round(1e6 / us)} reports/s per core)  ` +
      `wall p50 ${q(0.5).toFixed(2)} ms  p99 ${q(0.99).toFixed(2)} ms  (${((reports * 1000) / total).toFixed(0)} reports/s serial)  ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n` +
      `  ${(statements / reports).toFixed(1)} statements per report, ${(commit.length / reports).toFixed(1)} commits; ` +
      `commit p50 ${cq(0.5).toFixed(3)} ms  p99 ${cq(0.99).toFixed(2)} ms  max ${cq(1).toFixed(1)} ms\n`,
  );
  for (const [key, t] of [...timed].sort((a, b) => b[1].ms - a[1].ms)) {
    process.stdout.write(
      `  ${(t.n / reports).toFixed(2).padStart(5)} × ${((1000 * t.ms) / t.n).toFixed(0).padStart(5)} µs  ${key}\n`,
    );
  }
} finally {
  await rt?.close();
  if (keep) process.stdout.write(`kept ${dir}\n`);
  else if (!inPlace) fs.rmSync(dir, { recursive: true, force: true });
}
