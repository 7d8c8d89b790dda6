import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { insertBom, insertMachine, insertRouting, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';

/** A machine-controller gateway on loopback that fails the first `failures` requests. */
async function gateway(failures: number) {
  const seen: { key: string; body: unknown }[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls++;
      if (calls <= failures) {
        res.writeHead(503).end('busy');
        return;
      }
      seen.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) });
      res.writeHead(202).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dispatch`,
    seen,
    calls: () => calls,
    close: () => new Promise((r) => server.close(r)),
  };
}

for (const target of await testTargets()) {
  describe(`operation execution on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const id: Record<string, string> = {};

    before(async () => {
      h = await startHarness(target, { demo: false, runtime: { dispatchRetryBaseMs: 30 } });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      id.item = (
        await call('POST', '/api/v1/items', { code: 'SF-OP', name: '轴', type: 'semi_finished', uom: 'pcs' })
      ).json().id;
      for (const wc of ['WC1', 'WC2']) id[wc] = await insertWorkCenter(db, wc);
      for (const [m, wc] of [
        ['M1', 'WC1'],
        ['M2', 'WC1'],
        ['M3', 'WC2'],
      ] as const)
        id[m] = await insertMachine(db, m, id[wc]!);
      const rm = (
        await call('POST', '/api/v1/items', { code: 'RM-OP', name: '圆钢', type: 'raw', uom: 'kg' })
      ).json().id;
      await insertBom(db, id.item!, 'SF-OP', [[rm, 'RM-OP', 1_500, 0]]);
      await insertRouting(
        db,
        id.item!,
        'SF-OP',
        [
          [10, 'op10', id.WC1!, false],
          [20, 'op20', id.WC2!, false],
        ],
        { setup: 10, runMilliMinutes: 1_000 },
      );
    });
    after(async () => h.close());

    const newReleasedOrder = async () => {
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: id.item, qty: '10' })).json();
      const rel = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'release',
        version: wo.version,
      });
      assert.equal(rel.statusCode, 200, rel.body);
      return rel.json() as { id: string; operations: { id: string; seq: number }[] };
    };

    it('dispatches idempotently and starts only when the machine is up and the previous operation is done', async () => {
      const wo = await newReleasedOrder();
      const [op10, op20] = wo.operations;
      const d1 = await call('POST', `/api/v1/operations/${op10!.id}/dispatch`, { machineId: id.M1 });
      assert.equal(d1.statusCode, 200, d1.body);
      const d2 = await call('POST', `/api/v1/operations/${op10!.id}/dispatch`, { machineId: id.M1 });
      assert.equal(d2.json().version, d1.json().version, 'a repeated dispatch changes nothing');
      const wrong = await call('POST', `/api/v1/operations/${op20!.id}/dispatch`, { machineId: id.M1 });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().errors[0].field, '/machineId');
      await call('POST', `/api/v1/operations/${op20!.id}/dispatch`, { machineId: id.M3 });
      const early = await call('POST', `/api/v1/operations/${op20!.id}/actions`, { action: 'start' });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().reason, 'PREVIOUS_OPERATION_NOT_DONE');
      await h.runtime.db.kysely
        .updateTable('machines')
        .set({ status: 'down' })
        .where('id', '=', id.M1!)
        .execute();
      const down = await call('POST', `/api/v1/operations/${op10!.id}/actions`, { action: 'start' });
      assert.equal(down.json().reason, 'MACHINE_DOWN');
      await h.runtime.db.kysely
        .updateTable('machines')
        .set({ status: 'up' })
        .where('id', '=', id.M1!)
        .execute();
      const started = await call('POST', `/api/v1/operations/${op10!.id}/actions`, { action: 'start' });
      assert.equal(started.statusCode, 200, started.body);
      assert.equal(started.json().status, 'in_progress');
      const list = (await call('GET', `/api/v1/shopfloor/dispatch-list?workCenterId=${id.WC1}`)).json();
      assert.ok(
        list.some(
          (e: { operationId: string; status: string }) =>
            e.operationId === op10!.id && e.status === 'in_progress',
        ),
      );
    });

    it('counts a report sent twice with the same idempotency key once, even when both arrive together', async () => {
      const wo = await newReleasedOrder();
      const op = wo.operations[0]!;
      await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.M2 });
      await call('POST', `/api/v1/operations/${op.id}/actions`, { action: 'start' });
      const body = { idempotencyKey: 'tablet-7:report:0001', good: '4', scrap: '1', scrapReason: '毛刺' };
      const [a, b] = await Promise.all([
        call('POST', `/api/v1/operations/${op.id}/reports`, body),
        call('POST', `/api/v1/operations/${op.id}/reports`, body),
      ]);
      assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 201]);
      assert.equal(a.json().reportId, b.json().reportId);
      const third = await call('POST', `/api/v1/operations/${op.id}/reports`, body);
      assert.equal(third.json().duplicate, true);
      const state = (await call('GET', `/api/v1/operations/${op.id}`)).json();
      assert.deepEqual([state.qtyGood, state.qtyScrap], ['4', '1']);
      const reports = await h.runtime.db.kysely
        .selectFrom('operation_reports')
        .selectAll()
        .where('operation_id', '=', op.id)
        .execute();
      assert.equal(reports.length, 1);
      const noReason = await call('POST', `/api/v1/operations/${op.id}/reports`, {
        idempotencyKey: 'tablet-7:report:0002',
        good: '0',
        scrap: '1',
      });
      assert.equal(noReason.json().errors[0].field, '/scrapReason');
    });

    it('sends a dispatch to an endpoint that fails twice, retrying with the same key, and records it once', async () => {
      const gw = await gateway(2);
      try {
        await call('PUT', `/api/v1/shopfloor/dispatch-targets/${id.WC2}`, { url: gw.url });
        const wo = await newReleasedOrder();
        const op = wo.operations[1]!;
        await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.M3 });
        await waitFor(
          async () => (await call('GET', `/api/v1/operations/${op.id}`)).json().externalAckAt,
          10_000,
        );
        assert.equal(gw.calls(), 3);
        assert.equal(gw.seen.length, 1);
        assert.equal(gw.seen[0]!.key, `op-${op.id}-1`);
        assert.equal((await call('GET', `/api/v1/operations/${op.id}`)).json().status, 'dispatched');
      } finally {
        await gw.close();
      }
    });

    it('marks a dispatch failed after three retries, alerts, and sends again on retry', async () => {
      const gw = await gateway(1_000);
      try {
        await call('PUT', `/api/v1/shopfloor/dispatch-targets/${id.WC2}`, { url: gw.url });
        const wo = await newReleasedOrder();
        const op = wo.operations[1]!;
        await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.M3 });
        const failed = await waitFor(async () => {
          const s = (await call('GET', `/api/v1/operations/${op.id}`)).json();
          return s.status === 'dispatch_failed' ? s : null;
        }, 10_000);
        assert.equal(gw.calls(), 4, 'the first send and three retries');
        assert.match(failed.dispatchError, /503/);
        const alerts = (await call('GET', '/api/v1/alerts?open=true')).json();
        assert.ok(
          alerts.some(
            (a: { kind: string; entityId: string }) => a.kind === 'dispatch_failed' && a.entityId === op.id,
          ),
        );
        // The worker marks the job dead right after the handler gave up; under load that may lag.
        const job = await waitFor(async () => {
          const row = await h.runtime.db.kysely
            .selectFrom('jobs')
            .selectAll()
            .where('unique_key', '=', `dispatch:${op.id}:1`)
            .executeTakeFirst();
          return row?.status === 'dead' ? row : null;
        }, 10_000);
        assert.equal(job.status, 'dead');

        // The gateway is fixed (here: replaced by a working one) and the planner presses retry.
        const before = gw.calls();
        const gwOk = await gateway(0);
        await call('PUT', `/api/v1/shopfloor/dispatch-targets/${id.WC2}`, { url: gwOk.url });
        const retried = await call('POST', `/api/v1/operations/${op.id}/actions`, {
          action: 'retry_dispatch',
        });
        assert.equal(retried.statusCode, 200, retried.body);
        assert.equal(retried.json().status, 'dispatched');
        await waitFor(
          async () => (await call('GET', `/api/v1/operations/${op.id}`)).json().externalAckAt,
          10_000,
        );
        assert.equal(gwOk.seen[0]!.key, `op-${op.id}-2`);
        assert.equal(gw.calls(), before);
        await gwOk.close();
      } finally {
        await gw.close();
      }
    });

    it('lets the watchdog flag an operation dispatched long ago without a start', async () => {
      const wo = await newReleasedOrder();
      const op = wo.operations[0]!;
      await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.M2 });
      await h.runtime.db.kysely
        .updateTable('work_order_operations')
        .set({ status_since: new Date(Date.now() - 3 * 3600_000).toISOString() })
        .where('id', '=', op.id)
        .execute();
      const stuck = (await call('GET', '/api/v1/shopfloor/stuck')).json();
      assert.ok(
        stuck.some(
          (s: { id: string; status: string; minutes: number }) =>
            s.id === op.id && s.status === 'dispatched' && s.minutes >= 180,
        ),
      );
    });
  });
}
