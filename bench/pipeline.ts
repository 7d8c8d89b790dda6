/**
 * The fixed cost of the request pipeline through real HTTP (run on demand, loopback only, bounded):
 * `node bench/pipeline.ts --data-dir data/bench-s10 [--seconds 5] [--connections 50] [--rounds 1]`.
 *
 * Takt runs in this process next to a bare Fastify "hello" server; autocannon runs in a child process
 * so it does not compete for this event loop. Each round loads the bare route, then the signed-in
 * `GET /api/v1/auth/session` (authentication, rate limit, security headers, metrics, request log,
 * access log and all), and prints the throughput of each, their ratio, and the server's CPU time per
 * request (this process only), which moves less than throughput on a busy machine.
 */
import { arg, dataDir, isChild } from './args.ts';
import { runInChild } from './child.ts';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

interface Job {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly headers: Record<string, string>;
}
interface Result {
  readonly rps: number;
  readonly requests: number;
  readonly errors: number;
  readonly p99: number;
}

if (isChild()) {
  process.once('message', async (job: Job) => {
    const r = await autocannon({
      url: job.url,
      connections: job.connections,
      duration: job.seconds,
      headers: job.headers,
    });
    const result: Result = {
      rps: r.requests.average,
      requests: r.requests.total,
      errors: r.errors + r.timeouts + r.non2xx,
      p99: r.latency.p99,
    };
    process.send?.(result, () => process.exit(0));
  });
} else {
  await main();
}

function inChild(job: Job): Promise<Result> {
  return runInChild<Result>(import.meta.filename, job);
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the load child needs none of the server.
  const { default: Fastify } = await import('fastify');
  const { pino } = await import('pino');
  const { loadConfig } = await import('../apps/server/src/platform/config.ts');
  const { createRuntime } = await import('../apps/server/src/runtime.ts');
  const seconds = Number(arg('seconds', '5'));
  const connections = Number(arg('connections', '50'));
  const rounds = Number(arg('rounds', '1'));
  const env: Record<string, string> = {
    TAKT_DATA_DIR: dataDir('data/bench-s10'),
    TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    TAKT_LOG_LEVEL: 'silent',
  };
  const config = { ...loadConfig(env), loginRateLimit: 1_000_000, userRateLimit: 100_000_000 };
  const runtime = await createRuntime(config, { log: pino({ level: 'silent' }) });
  const base = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: config.adminPassword }),
  });
  if (!login.ok) throw new Error(`login failed (${login.status}): seed with bench/seed.ts`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });

  const measure = async (url: string, headers: Record<string, string>) => {
    const before = process.cpuUsage();
    const r = await inChild({ url, connections, seconds, headers });
    const cpu = process.cpuUsage(before);
    return { ...r, cpuUs: (cpu.user + cpu.system) / Math.max(1, r.requests) };
  };
  const line = (name: string, r: Result & { cpuUs: number }) =>
    `  ${name.padEnd(26)} ${String(Math.round(r.rps)).padStart(7)} req/s  p99 ${String(r.p99).padStart(4)} ms  ${String(Math.round(r.cpuUs)).padStart(4)} µs CPU/req  errors ${r.errors}\n`;

  process.stdout.write(
    `Pipeline cost over HTTP, ${connections} connections, ${seconds} s per route, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  // Warm both servers (JIT, caches) before the rounds.
  await inChild({ url: `${bareBase}/hello`, connections, seconds: 1, headers: {} });
  await inChild({ url: `${base}/api/v1/auth/session`, connections, seconds: 1, headers: { cookie } });
  for (let round = 1; round <= rounds; round++) {
    const hello = await measure(`${bareBase}/hello`, {});
    const session = await measure(`${base}/api/v1/auth/session`, { cookie });
    process.stdout.write(
      `round ${round}\n${line('bare hello', hello)}${line('GET /api/v1/auth/session', session)}  ratio ${(
        (session.rps / hello.rps) * 100
      ).toFixed(1)}% of bare\n`,
    );
  }
  await bare.close();
  await runtime.close();
}
