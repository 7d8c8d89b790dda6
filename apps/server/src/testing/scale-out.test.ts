import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import pg from 'pg';
import { redisUrlIfReachable, testTargets } from './databases.ts';
import { freePort, startServerProcess, stopProcess } from './process.ts';

/** Process ids of the children of a process (the cluster's worker processes). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const PASSWORD = 'scale-out-admin';

async function login(base: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

type Session = Awaited<ReturnType<typeof login>>;

async function call(base: string, s: Session, method: string, url: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Collects the SSE event types an open stream delivers. */
async function openSse(base: string, s: Session, topics: string) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/v1/events?topics=${topics}`, {
    headers: { cookie: s.cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  const seen: { type: string; data: { id?: string; [k: string]: unknown } }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (type && data) seen.push({ type, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  return { seen, close: () => controller.abort() };
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const postgres = (await testTargets()).find((t) => t.name === 'postgres');
const redisUrl = await redisUrlIfReachable();

describe('scale-out: two API processes and a clustered worker on PostgreSQL + Redis', () => {
  it('delivers events across processes, runs every job once, fires a cron slot once and drops caches everywhere', {
    skip: !postgres || !redisUrl ? 'PostgreSQL and Redis are needed' : false,
    timeout: 120_000,
  }, async (t) => {
    const database = await postgres!.create();
    const cleanup: (() => Promise<unknown> | unknown)[] = [];
    // Children and connections first, the database last.
    t.after(async () => {
      for (const step of cleanup.reverse()) await step();
      await database.drop();
    });
    const env = {
      TAKT_DATA_DIR: database.dataDir,
      TAKT_ADMIN_PASSWORD: PASSWORD,
      TAKT_DEMO: '0',
      DATABASE_URL: database.url!,
      REDIS_URL: redisUrl!,
    };
    const metricsPort = await freePort();
    // The first process migrates and bootstraps; the others start on the ready database.
    const api1 = await startServerProcess({ ...env, TAKT_ROLE: 'api' });
    cleanup.push(() => stopProcess(api1.child));
    const [api2, worker] = await Promise.all([
      startServerProcess({ ...env, TAKT_ROLE: 'api' }),
      startServerProcess({
        ...env,
        TAKT_ROLE: 'worker',
        TAKT_WORKERS: '2',
        TAKT_METRICS_PORT: String(metricsPort),
      }),
    ]);
    cleanup.push(() => stopProcess(api2.child));
    cleanup.push(() => stopProcess(worker.child));

    // The worker serves health and metrics only.
    assert.equal((await fetch(`${worker.base}/health`)).status, 200);
    assert.match(await (await fetch(`${worker.base}/metrics`)).text(), /takt_jobs_oldest_ready_age_seconds/);
    assert.equal((await fetch(`${worker.base}/api/v1/meta`)).status, 404);

    const s1 = await login(api1.base);
    const s2 = await login(api2.base);

    // An event raised through API #1 reaches an SSE client of API #2 (outbox → worker → Redis).
    const stream = await openSse(api2.base, s2, 'item');
    cleanup.push(() => stream.close());
    await new Promise((r) => setTimeout(r, 200));
    const created = await call(api1.base, s1, 'POST', '/api/v1/items', {
      code: 'SCALE-1',
      name: 'before',
      type: 'raw',
      uom: 'pcs',
    });
    assert.equal(created.status, 201);
    const itemId = String(created.json.id);
    await until('item.created on API #2', () =>
      stream.seen.find(
        (e) => e.type === 'item.created' && e.data.data && JSON.stringify(e.data).includes(itemId),
      ),
    );

    // API #2 caches the item; an update through API #1 drops it there too.
    assert.equal((await call(api2.base, s2, 'GET', `/api/v1/items/${itemId}`)).json.name, 'before');
    assert.equal((await call(api2.base, s2, 'GET', `/api/v1/items/${itemId}`)).json.name, 'before');
    const updated = await call(api1.base, s1, 'PATCH', `/api/v1/items/${itemId}`, {
      name: 'after',
      version: created.json.version,
    });
    assert.equal(updated.status, 200);
    await until(
      'API #2 to read the new name',
      async () => {
        const r = await call(api2.base, s2, 'GET', `/api/v1/items/${itemId}`);
        return r.json.name === 'after' ? true : undefined;
      },
      2000,
    );

    const client = new pg.Client({ connectionString: database.url! });
    await client.connect();
    cleanup.push(() => client.end());

    // Every job runs once although two worker processes claim concurrently.
    // A crashed worker process is replaced; the other one keeps claiming meanwhile.
    const workers = childrenOf(worker.child.pid!);
    assert.equal(workers.length, 2);
    process.kill(workers[0]!, 'SIGKILL');

    const M = 40;
    const ids = Array.from({ length: M }, (_, i) => `scale-job-${i}`);
    const now = new Date().toISOString();
    for (const id of ids) {
      await client.query(
        `insert into jobs (id, queue, name, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
           values ($1, 'default', 'sessions.cleanup', '{}', 'ready', 0, 5, $2, $2, $2)`,
        [id, now],
      );
    }
    const rows = await until(
      'every job done',
      async () => {
        const r = await client.query<{ status: string; attempts: number; locked_by: string }>(
          'select status, attempts, locked_by from jobs where id = any($1)',
          [ids],
        );
        return r.rows.every((j) => j.status === 'done') ? r.rows : undefined;
      },
      15_000,
    );
    assert.equal(rows.length, M);
    assert.deepEqual(
      rows.filter((j) => j.attempts !== 1),
      [],
      'each job was claimed exactly once',
    );

    // A due cron slot becomes one job, whichever process ticks first.
    const slot = new Date(Date.now() - 60_000).toISOString();
    await client.query(
      `insert into job_schedules (name, cron, job_name, payload, enabled, next_run_at, last_run_at)
         values ('scale-tick', '0 0 1 1 *', 'sessions.cleanup', '{}', 1, $1, null)`,
      [slot],
    );
    await until('the slot to be taken', async () => {
      const r = await client.query('select last_run_at from job_schedules where name = $1', ['scale-tick']);
      return r.rows[0]?.last_run_at ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const fired = await client.query(
      "select count(*)::int as n from jobs where unique_key like 'schedule:scale-tick@%'",
    );
    assert.equal(fired.rows[0].n, 1);

    const replaced = await until(
      'the crashed worker process to be replaced',
      () => {
        const now = childrenOf(worker.child.pid!);
        return now.length === 2 && !now.includes(workers[0]!) ? now : undefined;
      },
      15_000,
    );
    assert.ok(replaced.includes(workers[1]!));
    // The primary serves the metrics of both processes, summed.
    const aggregated = await until('aggregated metrics', async () => {
      const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => null);
      return r?.ok ? r.text() : undefined;
    });
    assert.match(aggregated, /^takt_jobs\{status="done"\} \d+/m);
    assert.match(aggregated, /^takt_ready 1$/m);

    // SIGTERM drains every worker process and the primary exits cleanly.
    await stopProcess(worker.child);
    assert.equal(worker.child.exitCode, 0);
    assert.deepEqual(childrenOf(worker.child.pid!), []);
  });
});
