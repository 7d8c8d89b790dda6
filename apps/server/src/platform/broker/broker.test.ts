import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import amqp from 'amqplib';
import { AckPolicy } from 'nats';
import {
  brokerUrls,
  deleteNatsConsumer,
  deleteQueue,
  natsConnect,
  natsNames,
  startBrokerHarness,
} from '../../testing/brokers.ts';
import { testTargets } from '../../testing/databases.ts';
import { type Harness, waitFor } from '../../testing/harness.ts';
import { appendEvent } from '../events/outbox.ts';

const [sqlite] = await testTargets();
const tag = `t${randomBytes(4).toString('hex')}`;
const { nats: natsUrl, amqp: amqpUrl } = await brokerUrls();

async function emit(h: Harness, type: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      await h.runtime.db.transaction((tx) =>
        appendEvent(tx, null, { type, aggregateType: 'test', aggregateId: `A${i}`, data: { i } }),
      ),
    );
  }
  await waitFor(async () => {
    const left = await h.runtime.db.kysely
      .selectFrom('outbox')
      .select('seq')
      .where('dispatched_at', 'is', null)
      .execute();
    return left.length === 0;
  }, 8000);
  return ids;
}

const upsert = (id: string, code: string, name: string) =>
  JSON.stringify({ id, data: { code, name, type: 'purchased', uom: 'pcs' } });

async function itemState(h: Harness, code: string) {
  const item = await h.runtime.db.kysely
    .selectFrom('items')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst();
  if (!item) return null;
  const audits = await h.runtime.db.kysely
    .selectFrom('audit_log')
    .select('action')
    .where('entity_id', '=', item.id)
    .execute();
  return { item, audits: audits.map((a) => a.action) };
}

describe('NATS JetStream', { skip: natsUrl ? false : 'NATS not reachable' }, () => {
  let h: Harness;
  before(async () => {
    h = await startBrokerHarness(sqlite!, natsUrl!, natsNames(tag), false);
  });
  after(async () => {
    await h?.close();
    await deleteNatsConsumer(natsUrl!, natsNames(tag).consumer);
  });

  it('publishes every event once per id to takt.<type>, even when it is published again', async () => {
    const type = `brokertest.${tag}.ping`;
    const ids = await emit(h, type, 3);
    const first = await h.runtime.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    const { toDomainEvent } = await import('../events/outbox.ts');
    const { createBroker } = await import('./broker.ts');
    const again = await createBroker(natsUrl!);
    await again.publish(toDomainEvent(first));
    await again.close();
    const nc = await natsConnect(natsUrl!);
    const seen: string[] = [];
    try {
      const jsm = await nc.jetstreamManager();
      const info = await jsm.consumers.add('TAKT', {
        filter_subject: `takt.${type}`,
        ack_policy: AckPolicy.None,
        inactive_threshold: 30_000_000_000,
      });
      const consumer = await nc.jetstream().consumers.get('TAKT', info.name);
      const batch = await consumer.fetch({ max_messages: 10, expires: 1500 });
      for await (const m of batch) seen.push(m.headers?.get('Nats-Msg-Id') ?? '');
    } finally {
      await nc.close();
    }
    assert.deepEqual(seen, ids);
  });

  it('processes an inbound item upsert once when the message arrives twice', async () => {
    const nc = await natsConnect(natsUrl!);
    const js = nc.jetstream();
    const code = `NATS-${tag}`.toUpperCase();
    const body = upsert(`msg-${tag}-1`, code, 'from the ERP');
    // No Nats-Msg-Id: the stream keeps both copies, so the consumer sees the message twice.
    const subject = `${natsNames(tag).inboundPrefix}.erp.item.upsert`;
    await js.publish(subject, body);
    await js.publish(subject, body);
    await js.publish(subject, upsert(`msg-${tag}-2`, `${code}-B`, 'second'));
    await waitFor(async () => itemState(h, `${code}-B`), 8000);
    await new Promise((r) => setTimeout(r, 300));
    const state = await itemState(h, code);
    assert.deepEqual(state?.audits, ['create']);
    const processed = await h.runtime.db.kysely.selectFrom('processed_messages').selectAll().execute();
    assert.deepEqual(processed.map((p) => [p.message_id, p.state]).sort(), [
      [`msg-${tag}-1`, 'done'],
      [`msg-${tag}-2`, 'done'],
    ]);
    await nc.close();
  });
});

describe('RabbitMQ', { skip: amqpUrl ? false : 'RabbitMQ not reachable' }, () => {
  let h: Harness;
  const queue = `takt.inbound.${tag}`;
  before(async () => {
    h = await startBrokerHarness(sqlite!, amqpUrl!, { inboundQueue: queue }, false);
  });
  after(async () => {
    await h?.close();
    await deleteQueue(amqpUrl!, queue);
  });

  it('publishes every event once, persistent, with the event id as messageId and the type as routing key', async () => {
    const conn = await amqp.connect(amqpUrl!);
    const ch = await conn.createChannel();
    await ch.assertExchange('takt.events', 'topic', { durable: true });
    const q = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(q.queue, 'takt.events', `brokertest.${tag}.#`);
    const seen: { id: string; key: string; persistent: boolean }[] = [];
    await ch.consume(
      q.queue,
      (m) => {
        if (m)
          seen.push({
            id: String(m.properties.messageId),
            key: m.fields.routingKey,
            persistent: m.properties.deliveryMode === 2,
          });
      },
      { noAck: true },
    );
    const ids = await emit(h, `brokertest.${tag}.ping`, 3);
    await waitFor(async () => seen.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      seen.map((s) => s.id),
      ids,
    );
    assert.ok(seen.every((s) => s.persistent && s.key === `brokertest.${tag}.ping`));
    await conn.close();
  });

  it('processes an inbound item upsert once when the message arrives twice', async () => {
    const conn = await amqp.connect(amqpUrl!);
    const ch = await conn.createChannel();
    const code = `AMQP-${tag}`.toUpperCase();
    const props = { messageId: `amqp-${tag}-1`, type: 'erp.item.upsert', persistent: true };
    ch.sendToQueue(queue, Buffer.from(upsert(props.messageId, code, 'from the ERP')), props);
    ch.sendToQueue(queue, Buffer.from(upsert(props.messageId, code, 'from the ERP')), props);
    await waitFor(async () => itemState(h, code), 8000);
    await new Promise((r) => setTimeout(r, 1800));
    const state = await itemState(h, code);
    assert.deepEqual(state?.audits, ['create']);
    const check = await ch.checkQueue(queue);
    assert.equal(check.messageCount, 0);
    await conn.close();
  });
});
