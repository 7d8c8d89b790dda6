import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, type Harness, api, signIn, startHarness, waitFor } from '../../testing/harness.ts';
import { webhookSubscriber } from './webhook.delivery.ts';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A local endpoint that answers 500 while `failing` says so. */
async function receiver() {
  const got: Received[] = [];
  const state = { failNext: 0, alwaysFail: false };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      if (state.alwaysFail || state.failNext > 0) {
        state.failNext--;
        res.writeHead(500).end('temporarily broken');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { got, state, url, close: () => new Promise((r) => server.close(r)) };
}

for (const target of await testTargets()) {
  describe(`outbound webhooks on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let rx: Awaited<ReturnType<typeof receiver>>;
    before(async () => {
      rx = await receiver();
      h = await startHarness(target, {
        demo: false,
        runtime: {
          hub: {
            webhooks: {
              retryUnitMs: 2,
              timeoutMs: 3000,
              disableAfterFailures: 4,
              disableAfterMs: 3 * 86_400_000,
            },
          },
        },
      });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => {
      await h.close();
      await rx.close();
    });

    const subscribe = async (eventTypes: string[], extra: object = {}) => {
      const res = await call('POST', '/api/v1/integration/webhooks/subscriptions', {
        name: `hook ${eventTypes.join(',')}`,
        url: rx.url,
        eventTypes,
        ...extra,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; secret: string; version: number };
    };
    const newItem = async (code: string) => {
      const res = await call('POST', '/api/v1/items', { code, name: code, type: 'raw', uom: 'pcs' });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string };
    };
    const forItem = (id: string) => rx.got.filter((r) => r.body.includes(id));

    it('signs each delivery with the subscription secret so a receiver can verify it, and logs it', async () => {
      const sub = await subscribe(['item.*']);
      assert.match(sub.secret, /^whsec_/);
      const again = (await call('GET', `/api/v1/integration/webhooks/subscriptions/${sub.id}`)).json();
      assert.equal(again.secret, undefined);
      const item = await newItem('WH-0001');
      const [req] = await waitFor(async () => (forItem(item.id).length > 0 ? forItem(item.id) : null));
      const payload = new Webhook(sub.secret).verify(req!.body, req!.headers) as {
        type: string;
        data: { id: string };
      };
      assert.equal(payload.type, 'item.created');
      assert.equal(payload.data.id, item.id);
      const event = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('id')
        .where('aggregate_id', '=', item.id)
        .executeTakeFirstOrThrow();
      assert.equal(req!.headers['webhook-id'], event.id);
      const list = (
        await call('GET', `/api/v1/integration/webhooks/deliveries?subscriptionId=${sub.id}`)
      ).json();
      const d = await waitFor(async () => {
        const detail = (
          await call('GET', `/api/v1/integration/webhooks/deliveries/${list.items[0].id}`)
        ).json();
        return detail.status === 'succeeded' ? detail : null;
      });
      assert.equal(d.log.length, 1);
      assert.equal(d.log[0].responseStatus, 204);
      await call('PATCH', `/api/v1/integration/webhooks/subscriptions/${sub.id}`, {
        version: sub.version,
        active: false,
      });
    });

    it('retries a failing endpoint with backoff, keeping the same webhook-id on every attempt', async () => {
      const sub = await subscribe(['item.created']);
      rx.state.failNext = 2;
      const item = await newItem('WH-0002');
      await waitFor(async () => forItem(item.id).length >= 3, 8000);
      const ids = new Set(forItem(item.id).map((r) => r.headers['webhook-id']));
      assert.equal(ids.size, 1);
      const delivery = await waitFor(async () => {
        const page = (
          await call('GET', `/api/v1/integration/webhooks/deliveries?subscriptionId=${sub.id}`)
        ).json();
        return page.items[0]?.status === 'succeeded' ? page.items[0] : null;
      });
      assert.equal(delivery.attempts, 3);
      await call('PATCH', `/api/v1/integration/webhooks/subscriptions/${sub.id}`, {
        version: sub.version,
        active: false,
      });
    });

    it('creates one delivery per subscription and event however often the event is dispatched', async () => {
      const sub = await subscribe(['test.twice']);
      const row = {
        id: '0190aaaa-0000-7000-8000-000000000001',
        seq: 999_999,
        type: 'test.twice',
        aggregateType: 'test',
        aggregateId: 'T',
        occurredAt: new Date().toISOString(),
        data: {},
      };
      const deliver = webhookSubscriber(h.runtime.db);
      await Promise.all([deliver(row), deliver(row), deliver(row)]);
      const rows = await h.runtime.db.kysely
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('subscription_id', '=', sub.id)
        .execute();
      assert.equal(rows.length, 1);
      const jobs = await h.runtime.db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('unique_key', '=', `wh:${sub.id}:${row.id}`)
        .execute();
      assert.equal(jobs.length, 1);
      await waitFor(async () => rx.got.some((r) => r.headers['webhook-id'] === row.id));
      await call('PATCH', `/api/v1/integration/webhooks/subscriptions/${sub.id}`, {
        version: sub.version,
        active: false,
      });
    });

    it('signs with the old and the new secret for a day after a rotation', async () => {
      const sub = await subscribe(['item.created']);
      const rotated = (
        await call('POST', `/api/v1/integration/webhooks/subscriptions/${sub.id}/rotate-secret`)
      ).json();
      assert.notEqual(rotated.secret, sub.secret);
      assert.ok(rotated.previousSecretValidUntil > new Date(Date.now() + 23 * 3600_000).toISOString());
      const item = await newItem('WH-0003');
      const [req] = await waitFor(async () => (forItem(item.id).length > 0 ? forItem(item.id) : null));
      assert.equal(req!.headers['webhook-signature']!.split(' ').length, 2);
      new Webhook(sub.secret).verify(req!.body, req!.headers);
      new Webhook(rotated.secret).verify(req!.body, req!.headers);
      await call('PATCH', `/api/v1/integration/webhooks/subscriptions/${sub.id}`, {
        version: rotated.version,
        active: false,
      });
    });

    it('disables an endpoint after a failure streak with an alert, and replays its deliveries once re-enabled', async () => {
      const sub = await subscribe(['item.created']);
      rx.state.alwaysFail = true;
      const item = await newItem('WH-0004');
      const s = await waitFor(async () => {
        const r = (await call('GET', `/api/v1/integration/webhooks/subscriptions/${sub.id}`)).json();
        return r.active === false ? r : null;
      }, 10_000);
      assert.match(s.disabledReason, /4 failed/);
      const alert = await h.runtime.db.kysely
        .selectFrom('alerts')
        .selectAll()
        .where('kind', '=', 'webhook_disabled')
        .where('entity_id', '=', sub.id)
        .executeTakeFirst();
      assert.ok(alert);
      const dead = await waitFor(async () => {
        const page = (
          await call('GET', `/api/v1/integration/webhooks/deliveries?subscriptionId=${sub.id}&status=dead`)
        ).json();
        return page.items[0];
      });
      rx.state.alwaysFail = false;
      const before = forItem(item.id).length;
      assert.equal(
        (
          await call('PATCH', `/api/v1/integration/webhooks/subscriptions/${sub.id}`, {
            version: s.version,
            active: true,
          })
        ).statusCode,
        200,
      );
      assert.equal(
        (await call('POST', `/api/v1/integration/webhooks/deliveries/${dead.id}/replay`)).statusCode,
        200,
      );
      await waitFor(async () => forItem(item.id).length > before);
      // The receiver sees the replay before the dispatcher has recorded the attempt.
      const m = await waitFor(async () => {
        const monitor = (await call('GET', '/api/v1/integration/monitor')).json();
        const row = monitor.subscriptions.find((x: { id: string }) => x.id === sub.id);
        return row && row.attempts24h >= 5 ? row : null;
      });
      assert.ok(m.attempts24h >= 5);
      assert.ok(m.lastError);
    });

    it('replays the events of a sequence range to one subscription', async () => {
      const item = await newItem('WH-0005');
      const seq = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('seq')
        .where('aggregate_id', '=', item.id)
        .executeTakeFirstOrThrow();
      const sub = await subscribe(['item.created'], { filter: { aggregateId: item.id } });
      const res = await call('POST', `/api/v1/integration/webhooks/subscriptions/${sub.id}/replay`, {
        fromSeq: 1,
        toSeq: Number(seq.seq) + 5,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().deliveries, 1);
      await waitFor(async () => {
        const page = (
          await call('GET', `/api/v1/integration/webhooks/deliveries?subscriptionId=${sub.id}`)
        ).json();
        return page.items[0]?.status === 'succeeded';
      });
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', sub.id)
        .execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['create', 'replay']);
    });
  });
}
