import net from 'node:net';
import amqp from 'amqplib';
import { connect, type NatsConnection } from 'nats';
import type { BrokerOptions } from '../platform/broker/broker.ts';
import { servicesRequired, type TestTarget } from './databases.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Real message brokers for the hub's tests, like the database targets: a test skips a broker that
 * is not there, unless TAKT_REQUIRE_SERVICES=1 makes that a failure. Each test file works under a
 * tag of its own (consumer, subjects, queue), so files running at once never take each other's
 * messages.
 */
const NATS_URL = process.env.TAKT_TEST_NATS_URL || 'nats://127.0.0.1:4222';
const AMQP_URL = process.env.TAKT_TEST_AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';

async function reachable(url: string, port: number): Promise<string | null> {
  const u = new URL(url);
  const ok = await new Promise<boolean>((resolve) => {
    const s = net.connect(Number(u.port || port), u.hostname);
    s.setTimeout(1500, () => {
      s.destroy();
      resolve(false);
    });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
  if (!ok && servicesRequired)
    throw new Error(`${url} is required (TAKT_REQUIRE_SERVICES=1) but not reachable`);
  return ok ? url : null;
}

/** The NATS and RabbitMQ URLs to test against; null where that broker is not reachable. */
export async function brokerUrls(): Promise<{ nats: string | null; amqp: string | null }> {
  return { nats: await reachable(NATS_URL, 4222), amqp: await reachable(AMQP_URL, 5672) };
}

/** The durable consumer and the inbound subject prefix of a NATS harness started under `tag`. */
export const natsNames = (tag: string) => ({ consumer: `takt-${tag}`, inboundPrefix: `takt.inbound.${tag}` });

/**
 * A harness whose hub publishes to and consumes from the broker at `brokerUrl`: on NATS under its
 * own consumer and subjects (`natsNames(tag)`), on RabbitMQ from its own queue (`{ inboundQueue }`).
 */
export function startBrokerHarness(
  target: TestTarget,
  brokerUrl: string,
  broker: BrokerOptions,
  demo: boolean,
): Promise<Harness> {
  return startHarness(target, { demo, config: { brokerUrl }, runtime: { hub: { broker } } });
}

export const natsConnect = (natsUrl: string): Promise<NatsConnection> =>
  connect({ servers: new URL(natsUrl).host });

export async function deleteNatsConsumer(natsUrl: string, consumer: string): Promise<void> {
  const nc = await natsConnect(natsUrl);
  await (await nc.jetstreamManager()).consumers.delete('TAKT', consumer).catch(() => {});
  await nc.close();
}

export async function deleteQueue(amqpUrl: string, queue: string): Promise<void> {
  const conn = await amqp.connect(amqpUrl);
  const ch = await conn.createChannel();
  await ch.deleteQueue(queue);
  await conn.close();
}
