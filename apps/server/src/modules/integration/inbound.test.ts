import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import amqp from 'amqplib';
import {
  brokerUrls,
  deleteQueue,
  natsConnect,
  natsNames,
  startBrokerHarness,
} from '../../testing/brokers.ts';
import { testTargets } from '../../testing/databases.ts';
import { adminApi, type Harness, startHarness, waitFor } from '../../testing/harness.ts';
import { type BearerCall, createToken } from '../../testing/tokens.ts';

async function tokenFor(h: Harness, scopes: string[]): Promise<BearerCall> {
  const token = await createToken(h, await adminApi(h.runtime), {
    name: `inbound-${randomBytes(3).toString('hex')}`,
    scopes,
    rateLimitPerMinute: 10_000,
  });
  return token.call;
}

const count = async (
  h: Harness,
  table: 'sales_orders' | 'purchase_receipts' | 'shipments' | 'external_refs',
) =>
  Number(
    (
      await h.runtime.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const crmOrder = (qty: string, extraLine = false) => ({
  customerCode: 'C-0001',
  customerPo: 'CRM-PO-77',
  dueDate: '2030-03-01',
  lines: [
    { itemCode: 'FG-100100', qty, unitPrice: '12.50' },
    ...(extraLine ? [{ itemCode: 'FG-100300', qty: '2', unitPrice: '99' }] : []),
  ],
});

for (const target of await testTargets()) {
  describe(`inbound business APIs on ${target.name}`, () => {
    let h: Harness;
    let call: BearerCall;
    before(async () => {
      h = await startHarness(target, { demo: true });
      call = await tokenFor(h, [
        'sales:create',
        'sales:read',
        'sales:approve',
        'inventory:create',
        'inventory:read',
        'masterdata:create',
        'masterdata:read',
      ]);
    });
    after(async () => h.close());

    it('creates a CRM order, updates the same order, and a replay changes nothing', async () => {
      const orders = await count(h, 'sales_orders');
      const first = await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-1001', crmOrder('10'));
      assert.equal(first.statusCode, 200, first.body);
      const created = first.json();
      assert.equal(created.outcome, 'created');
      assert.equal(created.replayed, false);
      assert.match(created.code, /^SO-/);
      assert.equal(await count(h, 'sales_orders'), orders + 1);

      const replay = await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-1001', crmOrder('10'));
      assert.equal(replay.statusCode, 200);
      assert.deepEqual(replay.json(), { ...created, replayed: true });

      const changed = await call(
        'PUT',
        '/api/v1/integration/inbound/sales-orders/CRM-1001',
        crmOrder('15', true),
      );
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json().outcome, 'updated');
      assert.equal(changed.json().internalId, created.internalId);
      assert.equal(await count(h, 'sales_orders'), orders + 1);
      const order = (await call('GET', `/api/v1/sales-orders/${created.internalId}`)).json();
      assert.deepEqual(
        order.lines.map((l: { itemCode: string; qty: string }) => [l.itemCode, l.qty]),
        [
          ['FG-100100', '15'],
          ['FG-100300', '2'],
        ],
      );
      assert.equal(order.externalRef, 'CRM-PO-77');
    });

    it('refuses an unknown item code with the field path and writes nothing', async () => {
      const orders = await count(h, 'sales_orders');
      const refs = await count(h, 'external_refs');
      const body = crmOrder('1', true);
      body.lines[1]!.itemCode = 'NOPE-1';
      const res = await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-1002', body);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/lines/1/itemCode');
      assert.match(res.json().errors[0].message, /not a known item code/);
      const customer = await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-1002', {
        ...crmOrder('1'),
        customerCode: 'C-NONE',
      });
      assert.equal(customer.statusCode, 400);
      assert.equal(customer.json().errors[0].field, '/customerCode');
      assert.equal(await count(h, 'sales_orders'), orders);
      assert.equal(await count(h, 'external_refs'), refs);
    });

    it('refuses to change a CRM order once its state does not allow it (409)', async () => {
      const made = (
        await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-1003', crmOrder('3'))
      ).json();
      const cancel = await call('POST', `/api/v1/sales-orders/${made.internalId}/cancel`, {});
      assert.equal(cancel.statusCode, 200, cancel.body);
      const res = await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-1003', crmOrder('4'));
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'INVALID_STATE');
      const again = await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-1003', crmOrder('3'));
      assert.equal(again.json().replayed, true, 'the applied version still replays');
    });

    it('posts a WMS receipt against a purchase order line once', async () => {
      const po = await h.runtime.db.kysely
        .selectFrom('purchase_orders')
        .select(['id', 'code'])
        .where('status', 'in', ['approved', 'sent'])
        .orderBy('code')
        .executeTakeFirstOrThrow();
      const line = await h.runtime.db.kysely
        .selectFrom('purchase_order_lines')
        .select('line_no')
        .where('po_id', '=', po.id)
        .orderBy('line_no')
        .executeTakeFirstOrThrow();
      const lineNo = Number(line.line_no);
      const body = {
        poNumber: po.code,
        warehouseCode: 'WH-RM',
        locationCode: 'RM-RCV',
        lines: [{ lineNo, qty: '1' }],
      };
      const receipts = await count(h, 'purchase_receipts');
      const first = await call('PUT', '/api/v1/integration/inbound/receipts/WMS-R-1', body);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().outcome, 'posted');
      assert.equal(first.json().code, po.code);
      const again = await call('PUT', '/api/v1/integration/inbound/receipts/WMS-R-1', body);
      assert.equal(again.json().replayed, true);
      assert.equal(await count(h, 'purchase_receipts'), receipts + 1);
      const other = await call('PUT', '/api/v1/integration/inbound/receipts/WMS-R-1', {
        ...body,
        lines: [{ lineNo, qty: '2' }],
      });
      assert.equal(other.statusCode, 409);
      assert.equal(other.json().code, 'EXTERNAL_ID_CONFLICT');
      const badLine = await call('PUT', '/api/v1/integration/inbound/receipts/WMS-R-2', {
        ...body,
        lines: [{ lineNo: 99, qty: '1' }],
      });
      assert.equal(badLine.statusCode, 400);
      assert.equal(badLine.json().errors[0].field, '/lines/0/lineNo');
    });

    it('posts an unplanned receipt with a lot and ships a CRM order from it', async () => {
      const receipt = await call('PUT', '/api/v1/integration/inbound/receipts/WMS-R-10', {
        warehouseCode: 'WH-FG',
        locationCode: 'FG-A01',
        lines: [{ itemCode: 'FG-100200', qty: '8', lot: 'L-WMS-1' }],
      });
      assert.equal(receipt.statusCode, 200, receipt.body);
      assert.equal(receipt.json().ids.length, 1);
      const move = await h.runtime.db.kysely
        .selectFrom('stock_moves')
        .selectAll()
        .where('id', '=', receipt.json().internalId)
        .executeTakeFirstOrThrow();
      assert.equal(move.kind, 'receipt');
      assert.equal(move.qty, 8000);

      const made = await call('PUT', '/api/v1/integration/inbound/sales-orders/CRM-2001', {
        customerCode: 'C-0002',
        dueDate: '2030-03-01',
        lines: [{ itemCode: 'FG-100200', qty: '5', unitPrice: '10' }],
      });
      assert.equal(made.statusCode, 200, made.body);
      const order = made.json();
      const confirmed = await call('POST', `/api/v1/sales-orders/${order.internalId}/confirm`, {});
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const shipments = await count(h, 'shipments');
      const ship = {
        crmOrderId: 'CRM-2001',
        warehouseCode: 'WH-FG',
        locationCode: 'FG-A01',
        lines: [{ lineNo: 1, qty: '5', lot: 'L-WMS-1' }],
      };
      const shipped = await call('PUT', '/api/v1/integration/inbound/shipments/WMS-S-1', ship);
      assert.equal(shipped.statusCode, 200, shipped.body);
      assert.match(shipped.json().code, /^SH-/);
      const again = await call('PUT', '/api/v1/integration/inbound/shipments/WMS-S-1', ship);
      assert.equal(again.json().replayed, true);
      assert.equal(await count(h, 'shipments'), shipments + 1);
      const after = (await call('GET', `/api/v1/sales-orders/${order.internalId}`)).json();
      assert.equal(after.lines[0].shipped, '5');
    });

    it('creates and updates an ERP customer by code', async () => {
      const body = { name: 'Nordwerk GmbH', tier: 'B', address: 'Hafenstr. 1' };
      const made = await call('PUT', '/api/v1/integration/inbound/customers/C-ERP-1', body);
      assert.equal(made.statusCode, 200, made.body);
      assert.equal(made.json().outcome, 'created');
      const same = await call('PUT', '/api/v1/integration/inbound/customers/C-ERP-1', body);
      assert.equal(same.json().replayed, true);
      const changed = await call('PUT', '/api/v1/integration/inbound/customers/C-ERP-1', {
        ...body,
        tier: 'A',
      });
      assert.equal(changed.json().outcome, 'updated');
      const row = await h.runtime.db.kysely
        .selectFrom('customers')
        .selectAll()
        .where('code', '=', 'C-ERP-1')
        .executeTakeFirstOrThrow();
      assert.equal(row.tier, 'A');
      assert.equal(row.version, 2);
      const known = await call('PUT', '/api/v1/integration/inbound/customers/C-0003', {
        name: 'Renamed by ERP',
      });
      assert.equal(known.statusCode, 200, known.body);
      assert.equal(known.json().outcome, 'updated', 'a customer that existed before the ERP sent it');
    });

    it('needs a token with the right permission and logs the call', async () => {
      const reader = await tokenFor(h, ['sales:read']);
      const res = await reader('PUT', '/api/v1/integration/inbound/sales-orders/CRM-9', crmOrder('1'));
      assert.equal(res.statusCode, 403);
      const anon = await h.runtime.app.inject({
        method: 'PUT',
        url: '/api/v1/integration/inbound/sales-orders/CRM-9',
        payload: crmOrder('1'),
      });
      assert.equal(anon.statusCode, 401);
      await h.runtime.app.requestLog.flush();
      const logged = await h.runtime.db.kysely
        .selectFrom('request_log')
        .selectAll()
        .where('route', '=', '/api/v1/integration/inbound/sales-orders/:externalId')
        .where('status', '=', 200)
        .execute();
      assert.ok(logged.length >= 3);
      assert.ok(logged.every((r) => r.actor_kind === 'token' && r.request_body !== null));
    });
  });
}

const [sqlite] = await testTargets();
const tag = `i${randomBytes(4).toString('hex')}`;
const { nats: natsUrl, amqp: amqpUrl } = await brokerUrls();

const unplanned = (id: string, externalId: string, qty: string) =>
  JSON.stringify({
    id,
    externalId,
    data: { warehouseCode: 'WH-RM', locationCode: 'RM-RCV', lines: [{ itemCode: 'SF-200100', qty }] },
  });

async function refsOf(h: Harness, externalId: string) {
  return h.runtime.db.kysely
    .selectFrom('external_refs')
    .selectAll()
    .where('system', '=', 'wms')
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** Waits until the hub has handled `n` messages of this file (none still in flight). */
async function settled(h: Harness, n: number): Promise<void> {
  await waitFor(async () => {
    const rows = await h.runtime.db.kysely
      .selectFrom('processed_messages')
      .selectAll()
      .where('message_id', 'like', `%-${tag}`)
      .execute();
    return rows.length === n && rows.every((r) => r.state !== 'in_flight');
  }, 8000);
}

async function processed(h: Harness, messageId: string) {
  return h.runtime.db.kysely
    .selectFrom('processed_messages')
    .selectAll()
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
}

async function movesFor(h: Harness, externalId: string): Promise<number> {
  const rows = await h.runtime.db.kysely
    .selectFrom('stock_moves')
    .select('id')
    .where('ref_type', '=', 'wms_receipt')
    .where('ref_id', '=', externalId)
    .execute();
  return rows.length;
}

describe('inbound WMS receipts over NATS', { skip: natsUrl ? false : 'NATS not reachable' }, () => {
  let h: Harness;
  before(async () => {
    h = await startBrokerHarness(sqlite!, natsUrl!, natsNames(tag), true);
  });
  after(async () => h?.close());

  it('posts a receipt sent twice under two message ids once', async () => {
    const nc = await natsConnect(natsUrl!);
    const js = nc.jetstream();
    const ext = `WMS-N-${tag}`;
    const subject = `${natsNames(tag).inboundPrefix}.wms.receipt.posted`;
    // The stream exists once the consumer has started.
    await waitFor(async () => {
      try {
        await js.publish(subject, unplanned(`m1-${tag}`, ext, '4'));
        return true;
      } catch {
        return false;
      }
    }, 8000);
    await js.publish(subject, unplanned(`m2-${tag}`, ext, '4'));
    await js.publish(subject, unplanned(`m3-${tag}`, ext, '9'));
    await settled(h, 3);
    assert.ok(await refsOf(h, ext));
    assert.equal(await movesFor(h, ext), 1);
    const third = await processed(h, `m3-${tag}`);
    assert.equal(third.state, 'rejected');
    assert.equal(JSON.parse(third.result!).code, 'EXTERNAL_ID_CONFLICT');
    await nc.close();
  });
});

describe('inbound WMS receipts over RabbitMQ', { skip: amqpUrl ? false : 'RabbitMQ not reachable' }, () => {
  let h: Harness;
  const queue = `takt.inbound.${tag}`;
  before(async () => {
    h = await startBrokerHarness(sqlite!, amqpUrl!, { inboundQueue: queue }, true);
  });
  after(async () => {
    await h?.close();
    await deleteQueue(amqpUrl!, queue);
  });

  it('posts a receipt sent twice once, and refuses an unknown item code with its path', async () => {
    const conn = await amqp.connect(amqpUrl!);
    // Messages sent before the consumer declared its queue would be dropped.
    await waitFor(async () => {
      const probe = await conn.createChannel();
      probe.on('error', () => {});
      try {
        await probe.checkQueue(queue);
        await probe.close();
        return true;
      } catch {
        return false;
      }
    }, 8000);
    const ch = await conn.createChannel();
    const ext = `WMS-A-${tag}`;
    for (const id of [`a1-${tag}`, `a2-${tag}`]) {
      ch.sendToQueue(queue, Buffer.from(unplanned(id, ext, '3')), {
        messageId: id,
        type: 'wms.receipt.posted',
        persistent: true,
      });
    }
    const bad = JSON.parse(unplanned(`a3-${tag}`, `${ext}-bad`, '1'));
    bad.data.lines[0].itemCode = 'NOPE-9';
    ch.sendToQueue(queue, Buffer.from(JSON.stringify(bad)), {
      messageId: `a3-${tag}`,
      type: 'wms.receipt.posted',
      persistent: true,
    });
    await settled(h, 3);
    assert.equal(await movesFor(h, ext), 1);
    const rejected = await processed(h, `a3-${tag}`);
    assert.equal(rejected.state, 'rejected');
    assert.equal(JSON.parse(rejected.result!).errors[0].field, '/data/lines/0/itemCode');
    await conn.close();
  });
});
