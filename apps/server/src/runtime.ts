import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { type App, buildApp } from './app.ts';
import { bootstrap } from './bootstrap.ts';
import type { Config } from './platform/config.ts';
import { Db } from './platform/db/database.ts';
import { type EventBus, LocalBus, RedisBus } from './platform/events/bus.ts';
import { OutboxDispatcher } from './platform/events/dispatcher.ts';
import { SseHub } from './platform/events/sse.ts';
import { ensureSchedule } from './platform/jobs/schedules.ts';
import { JobWorker } from './platform/jobs/worker.ts';
import { createLogger } from './platform/logger.ts';
import { Metrics } from './platform/metrics.ts';
import { cacheOf } from './platform/cache/cache.ts';
import { VersionBroadcast } from './platform/readmodel/read-cache.ts';
import { buildOpsApp } from './platform/monitoring/ops-app.ts';
import { setupArchive } from './modules/archive/archive.job.ts';
import { setupReportFold } from './modules/reports/reports.fold.job.ts';
import { registerPlatformJobs } from './platform/jobs/platform-jobs.ts';
import { ensureMrpSchedule, registerMrpJobs } from './modules/mrp/mrp.job.ts';
import { newId } from './platform/ids.ts';
import { dispatchJob } from './modules/shopfloor/dispatch.job.ts';
import { watchdogJob } from './modules/shopfloor/watchdog.job.ts';
import { createHub, type HubOptions } from './modules/integration/hub.runtime.ts';
import { machineDownJob } from './modules/exceptions/machine-down.job.ts';
import { enqueue } from './platform/jobs/queue.ts';
import { requestRun as requestMrpRun } from './modules/mrp/mrp.service.ts';
import { systemCtx } from './platform/context.ts';
import { registerSchedulingJobs } from './modules/scheduling/scheduling.repair.ts';
import { setupReconciliation } from './modules/reconciliation/recon.runtime.ts';
import type { CheckOptions } from './modules/reconciliation/recon.checks.ts';
import { setupNotifications } from './modules/notifications/notify.runtime.ts';
import { setupRequestLogRetention } from './modules/integration/request-log.runtime.ts';
import type { NotifyOptions } from './modules/notifications/notify.delivery.ts';

export interface Runtime {
  readonly config: Config;
  readonly db: Db;
  readonly bus: EventBus;
  readonly app: App;
  readonly dispatcher: OutboxDispatcher;
  readonly worker: JobWorker;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Background loops (dispatcher, worker) per TAKT_ROLE. */
  start(): void;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly log?: Logger;
  /** Runs bootstrap (admin account, demo factory) on an empty database. */
  readonly bootstrap?: boolean;
  readonly onAdminPassword?: (password: string) => void;
  /** Backoff base between external dispatch retries (tests shorten it). */
  readonly dispatchRetryBaseMs?: number;
  /** Webhook retry unit, broker names (tests shorten and isolate them). */
  readonly hub?: Partial<HubOptions>;
  /** Alert channel timeouts, retry delay and rate window (tests shorten them). */
  readonly notify?: Partial<NotifyOptions>;
  readonly reconciliation?: Partial<CheckOptions>;
}

/** Wires database, bus, metrics, dispatcher, worker and HTTP app from a configuration. */
export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  const db = Db.open({
    url: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, 'takt.db'),
    poolSize: config.dbPoolSize,
    readTimeoutMs: config.readTimeoutMs,
  });
  const applied = await db.migrate();
  if (applied.length > 0) log.info({ applied }, 'migrations applied');

  const bus: EventBus = config.redisUrl ? new RedisBus(config.redisUrl) : new LocalBus();
  if (bus instanceof RedisBus) await bus.ready();
  const cache = cacheOf(db);
  if (config.redisUrl) await cache.share(config.redisUrl);
  const versions = config.redisUrl ? await VersionBroadcast.start(db, config.redisUrl) : null;
  const metrics = new Metrics(db);
  const sse = new SseHub(db, bus, metrics);
  const holder = `${os.hostname()}:${process.pid}:${newId().slice(-8)}`;
  const dispatcher = new OutboxDispatcher(db, bus, log.child({ component: 'outbox' }), { holder });
  dispatcher.subscribe('metrics', '*', async () => {
    metrics.eventsDispatched.inc();
  });
  const worker = new JobWorker(db, log.child({ component: 'jobs' }), { id: holder });
  registerPlatformJobs(worker, db);
  registerMrpJobs(worker, db);
  worker.register(
    'operation.dispatch',
    dispatchJob(db, { retryBaseMs: options.dispatchRetryBaseMs ?? 2000, timeoutMs: 5000 }),
  );
  worker.register('shopfloor.watchdog', watchdogJob(db));
  worker.register('shopfloor.machine_down', machineDownJob(db));
  // A confirmed, changed or cancelled sales order changes demand: MRP plans again (one run at a time).
  dispatcher.subscribe('sales-replan', 'salesorder.*', async (event) => {
    if (!['salesorder.confirmed', 'salesorder.changed', 'salesorder.cancelled'].includes(event.type)) return;
    // Changes within the same minute share one run, started half a minute later.
    const runAt = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000);
    await enqueue(db.kysely, {
      name: 'mrp.replan',
      payload: { eventId: event.id },
      uniqueKey: `mrp-replan:${runAt.toISOString()}`,
      runAt,
    });
  });
  worker.register('mrp.replan', async () => {
    await requestMrpRun(db, systemCtx(), {}, 'schedule');
    return { status: 'done' };
  });
  dispatcher.subscribe('machine-down', 'machine.status_changed', async (event) => {
    const data = event.data as { machineId: string; to: string; reason: string | null };
    if (data.to !== 'down') return;
    await enqueue(db.kysely, {
      name: 'shopfloor.machine_down',
      payload: { machineId: data.machineId, reason: data.reason },
      uniqueKey: `machine_down:${event.id}`,
    });
  });
  registerSchedulingJobs(worker, dispatcher, db);
  await ensureSchedule(db, {
    name: 'shopfloor-watchdog',
    cron: '*/5 * * * *',
    jobName: 'shopfloor.watchdog',
  });
  await ensureMrpSchedule(db);
  const hub = await createHub({ db, dispatcher, worker, log, brokerUrl: config.brokerUrl }, options.hub);
  await setupReconciliation(db, worker, options.reconciliation);
  setupNotifications(db, dispatcher, worker, options.notify);
  await setupRequestLogRetention(db, worker, config.requestLogDays);
  await ensureSchedule(db, { name: 'jobs-cleanup', cron: '17 3 * * *', jobName: 'jobs.cleanup' });
  await setupArchive(db, worker, config.archiveAfterDays, log.child({ component: 'archive' }));
  await setupReportFold(db, worker, log.child({ component: 'reports' }));
  await ensureSchedule(db, { name: 'sessions-cleanup', cron: '*/30 * * * *', jobName: 'sessions.cleanup' });

  if (options.bootstrap !== false) {
    await bootstrap(db, config, log, options.onAdminPassword);
  }

  // A worker process serves no API: only health, readiness and metrics.
  const app =
    config.role === 'worker'
      ? await buildOpsApp({ db, metrics, log })
      : await buildApp({ config, db, bus, metrics, sse, log });
  const offCommit = db.onCommit(() => {
    dispatcher.wake();
    worker.wake();
  });

  let started = false;
  return {
    config,
    db,
    bus,
    app,
    dispatcher,
    worker,
    metrics,
    log,
    start() {
      if (started) return;
      started = true;
      if (config.role === 'all' || config.role === 'worker') {
        dispatcher.start();
        worker.start();
        hub.start();
      }
    },
    async close() {
      offCommit();
      await worker.stop(2000);
      await dispatcher.stop();
      await hub.close();
      sse.close();
      await app.close();
      await bus.close();
      await cache.close();
      await versions?.close();
      metrics.monitor.close();
      await db.close();
    },
  };
}
