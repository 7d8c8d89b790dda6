import cluster from 'node:cluster';
import { reportReady, supervise } from './platform/cluster.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { assertPortFree, listenWithAcceptors } from './platform/http/listen.ts';
import { createRuntime } from './runtime.ts';

/** config → database → app → listen (and background loops per TAKT_ROLE). */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    // The workers share the port through SO_REUSEPORT: that it is free is checked here, once.
    if (config.role !== 'worker' && config.httpAcceptors > 1) await assertPortFree(config.port, config.host);
    await supervise({
      workers: config.workers,
      log: createLogger(config.logLevel),
      metricsPort: config.metricsPort,
      host: config.host,
    });
    return;
  }
  const runtime = await createRuntime(config);
  runtime.start();
  if (config.role !== 'worker') {
    const address = await listenWithAcceptors(runtime.app, {
      port: config.port,
      host: config.host,
      acceptors: config.httpAcceptors,
    });
    runtime.log.info({ address, database: runtime.db.dialect, role: config.role }, 'Takt is listening');
    if (process.stdout.isTTY || process.env.npm_lifecycle_event === 'start') {
      process.stdout.write(
        `\n  Takt is running at http://localhost:${config.port}  (database: ${runtime.db.dialect})\n\n`,
      );
    }
  } else {
    // Health, readiness and metrics only.
    const address = await runtime.app.listen({ port: config.port, host: config.host });
    runtime.log.info({ address, database: runtime.db.dialect }, 'Takt worker started');
  }
  reportReady(runtime.metrics.registry);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    runtime.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    runtime.close().then(
      () => process.exit(0),
      (err: unknown) => {
        runtime.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Takt failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
