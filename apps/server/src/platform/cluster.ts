import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import type { Logger } from 'pino';
import client from 'prom-client';

export interface SuperviseOptions {
  /** Processes to keep running. */
  readonly workers: number;
  readonly log: Logger;
  /** Time the children get to finish after SIGTERM before they are killed. */
  readonly shutdownMs?: number;
  /** Port where the primary serves the metrics of every child, aggregated (TAKT_METRICS_PORT). */
  readonly metricsPort?: number | null;
  readonly host?: string;
}

/** Message a child sends once its runtime is up (migrations applied, listening). */
export const READY_MESSAGE = 'takt:ready';

/**
 * Tells the supervising process (if any) that this child is up, and lets it collect this child's
 * metrics for the aggregated scrape.
 */
export function reportReady(registry: client.Registry): void {
  if (!cluster.isWorker || !process.send) return;
  new client.AggregatorRegistry();
  client.AggregatorRegistry.setRegistries([registry]);
  process.send(READY_MESSAGE);
}

/** Serves `/metrics` of all children summed (gauges of shared state take the max, readiness the min). */
function serveClusterMetrics(port: number, host: string, log: Logger): http.Server {
  const aggregator = new client.AggregatorRegistry();
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    aggregator.clusterMetrics().then(
      (text) => res.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
      (err: unknown) => {
        log.warn({ err }, 'cluster metrics failed');
        res.writeHead(503).end();
      },
    );
  });
  server.listen(port, host, () => log.info({ port }, 'cluster metrics listening'));
  server.unref();
  return server;
}

/**
 * The primary of `TAKT_WORKERS=N`: starts the first child alone (it applies migrations and bootstraps
 * an empty database), then the others; restarts a child that dies (waiting longer while children keep
 * crashing right after start); on SIGTERM/SIGINT passes the signal on, waits for every child to finish
 * its work and exits. Children share the listening port (node:cluster).
 */
export async function supervise(options: SuperviseOptions): Promise<void> {
  const { log, workers } = options;
  const shutdownMs = options.shutdownMs ?? 15_000;
  let stopping = false;
  let crashes = 0;
  const started = new Map<number, number>();

  const fork = (): Promise<Worker> => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (message !== READY_MESSAGE) return;
        worker.off('message', onMessage);
        worker.off('exit', onEarlyExit);
        resolve(worker);
      };
      const onEarlyExit = (code: number | null) =>
        reject(new Error(`worker exited with ${code} before it was ready`));
      worker.on('message', onMessage);
      worker.once('exit', onEarlyExit);
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? Date.now());
    started.delete(worker.id);
    if (stopping) return;
    crashes = lived < 30_000 ? crashes + 1 : 0;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(crashes, 6));
    log.error(
      { pid: worker.process.pid, code, signal, restartInMs: delay },
      'worker process died; restarting',
    );
    setTimeout(() => {
      if (!stopping) fork().catch((err: unknown) => log.error({ err }, 'restarted worker process failed'));
    }, delay).unref();
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping worker processes');
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const force = setTimeout(() => {
      for (const w of alive) if (!w.isDead()) w.process.kill('SIGKILL');
      process.exit(1);
    }, shutdownMs);
    force.unref();
    let left = alive.length;
    if (left === 0) process.exit(0);
    for (const w of alive) {
      w.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      w.process.kill(signal);
    }
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  if (options.metricsPort) serveClusterMetrics(options.metricsPort, options.host ?? '0.0.0.0', log);
  const first = await fork();
  log.info({ pid: first.process.pid }, 'first worker process ready');
  await Promise.all(
    Array.from({ length: workers - 1 }, () =>
      fork().catch((err: unknown) => log.error({ err }, 'worker process failed to start')),
    ),
  );
  log.info({ workers }, 'all worker processes ready');
}
