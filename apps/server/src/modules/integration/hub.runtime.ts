import type { DomainEvent } from '@takt/contracts';
import type { Logger } from 'pino';
import { type Broker, type BrokerOptions, createBroker } from '../../platform/broker/broker.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboxDispatcher } from '../../platform/events/dispatcher.ts';
import { nowIso } from '../../platform/ids.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';
import {
  DEFAULT_WEBHOOK_OPTIONS,
  type WebhookOptions,
  webhookDeliveryJob,
  webhookSubscriber,
} from '../webhooks/webhook.delivery.ts';
import { processInbound } from './inbound.service.ts';

export interface HubOptions {
  readonly webhooks: WebhookOptions;
  readonly broker: BrokerOptions;
}

export interface Hub {
  readonly broker: Broker | null;
  /** Starts the inbound consumer (worker roles). */
  start(): void;
  close(): Promise<void>;
}

export interface BrokerStatus {
  kind: string;
  connected: boolean;
  lastError: string | null;
  lastPublishedAt: string | null;
}

async function saveStatus(db: Db, status: BrokerStatus): Promise<void> {
  const now = nowIso();
  await db.kysely
    .insertInto('integration_state')
    .values({ key: 'broker', value: JSON.stringify(status), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(status), updated_at: now }))
    .execute();
}

/** Publishes every event; a failure throws, which holds the event (and those after it) back for a retry. */
export function brokerSubscriber(db: Db, broker: Broker) {
  let last: BrokerStatus | null = null;
  let savedAt = 0;
  const note = async (s: BrokerStatus) => {
    if (!last || last.connected !== s.connected || Date.now() - savedAt > 10_000) {
      savedAt = Date.now();
      await saveStatus(db, s).catch(() => {});
    }
    last = s;
  };
  return async (event: DomainEvent): Promise<void> => {
    try {
      await broker.publish(event);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await note({
        kind: broker.kind,
        connected: false,
        lastError: error,
        lastPublishedAt: last?.lastPublishedAt ?? null,
      });
      throw err;
    }
    await note({ kind: broker.kind, connected: true, lastError: null, lastPublishedAt: nowIso() });
  };
}

/** Webhooks, broker and their jobs and subscribers, wired into the runtime's dispatcher and worker. */
export async function createHub(
  deps: { db: Db; dispatcher: OutboxDispatcher; worker: JobWorker; log: Logger; brokerUrl: string | null },
  options: Partial<HubOptions> = {},
): Promise<Hub> {
  const { db, dispatcher, worker, log } = deps;
  dispatcher.subscribe('webhooks', '*', webhookSubscriber(db));
  worker.register(
    'webhook.deliver',
    webhookDeliveryJob(db, { ...DEFAULT_WEBHOOK_OPTIONS, ...options.webhooks }),
  );
  const broker = deps.brokerUrl ? await createBroker(deps.brokerUrl, options.broker) : null;
  if (broker) dispatcher.subscribe('broker', '*', brokerSubscriber(db, broker));
  const blog = log.child({ component: 'broker' });
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const consume = () => {
    if (!broker || closed) return;
    broker
      .consume(
        (m) => processInbound(db, blog, m),
        (err) => blog.warn({ err }, 'inbound message handling failed'),
      )
      .catch((err: unknown) => {
        blog.warn({ err }, 'broker consumer not started; trying again in 10 s');
        timer = setTimeout(consume, 10_000);
        timer.unref();
      });
  };
  return {
    broker,
    start: consume,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await broker?.close();
    },
  };
}
