/**
 * How long new clients wait for a busy server to take their connection, by number of accepting
 * sockets (apps/server/src/platform/http/listen.ts):
 *   node bench/accept.ts [--acceptors 1,8,32] [--busy 40] [--work-ms 5] [--new 100]
 *
 * A route spends `--work-ms` of CPU per request; `--busy` keep-alive connections ask it without
 * pause (from a child process), so every turn of the server's event loop lasts about busy × work-ms.
 * After a second, another child opens `--new` connections at once, each sending one request, and
 * times its first answer. libuv takes one connection per listening socket and turn, so with one
 * socket the last of them waits about `new` turns.
 */
import net from 'node:net';
import os from 'node:os';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { listenWithAcceptors } from '../apps/server/src/platform/http/listen.ts';
import { arg, isChild } from './args.ts';
import { runInChild } from './child.ts';

interface Job {
  readonly kind: 'busy' | 'new';
  readonly port: number;
  readonly count: number;
  readonly seconds: number;
}
interface NewResult {
  readonly waits: number[];
  readonly unanswered: number;
}

if (isChild()) {
  process.once('message', async (job: Job) => {
    if (job.kind === 'busy') {
      const r = await autocannon({
        url: `http://127.0.0.1:${job.port}/work`,
        connections: job.count,
        duration: job.seconds,
      });
      process.send?.({ requests: r.requests.total }, () => process.exit(0));
      return;
    }
    // New connections: each sends one request at once and times its answer (10 s at most).
    const waits: number[] = [];
    let unanswered = 0;
    await Promise.all(
      Array.from(
        { length: job.count },
        () =>
          new Promise<void>((resolve) => {
            const t0 = performance.now();
            const socket = net.connect(job.port, '127.0.0.1');
            const timer = setTimeout(() => {
              unanswered++;
              socket.destroy();
              resolve();
            }, 10_000);
            socket.once('data', () => {
              waits.push(performance.now() - t0);
              clearTimeout(timer);
              socket.destroy();
              resolve();
            });
            socket.on('error', () => {});
            socket.write('GET /work HTTP/1.1\r\nHost: bench\r\n\r\n');
          }),
      ),
    );
    process.send?.({ waits, unanswered } satisfies NewResult, () => process.exit(0));
  });
} else {
  const acceptorsList = arg('acceptors', '1,8,32').split(',').map(Number);
  const busy = Number(arg('busy', '40'));
  const workMs = Number(arg('work-ms', '5'));
  const fresh = Number(arg('new', '100'));
  process.stdout.write(
    `New connections to a busy server: ${busy} busy connections, ${workMs} ms of work per request, ` +
      `${fresh} new connections at once; ${os.cpus().length} CPUs, node ${process.version}\n`,
  );
  process.stdout.write('acceptors  answered  unanswered (10 s)  wait p50   p90      max\n');
  for (const acceptors of acceptorsList) {
    const app = Fastify();
    app.get('/work', async () => {
      const until = performance.now() + workMs;
      while (performance.now() < until) {}
      return { ok: true };
    });
    const address = await listenWithAcceptors(app, { port: 0, host: '127.0.0.1', acceptors });
    const port = Number(new URL(address).port);
    const seconds = 15;
    const load = runInChild<{ requests: number }>(import.meta.filename, {
      kind: 'busy',
      port,
      count: busy,
      seconds,
    } satisfies Job);
    await new Promise((r) => setTimeout(r, 1000));
    const r = await runInChild<NewResult>(import.meta.filename, {
      kind: 'new',
      port,
      count: fresh,
      seconds,
    } satisfies Job);
    await load;
    await app.close();
    const sorted = r.waits.sort((a, b) => a - b);
    const q = (p: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0;
    const ms = (v: number) => `${(v / 1000).toFixed(2)} s`.padStart(8);
    process.stdout.write(
      `${String(acceptors).padStart(9)}  ${String(sorted.length).padStart(8)}  ${String(r.unanswered).padStart(17)}` +
        `  ${ms(q(0.5))} ${ms(q(0.9))} ${ms(q(1))}\n`,
    );
  }
}
