import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { insertBom, insertMachine, insertRouting, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';

const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

for (const target of await testTargets()) {
  describe(`floor exceptions on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const id: Record<string, string> = {};

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      id.item = (
        await call('POST', '/api/v1/items', {
          code: 'SF-EX',
          name: '轴套',
          type: 'semi_finished',
          uom: 'pcs',
        })
      ).json().id;
      id.rm = (
        await call('POST', '/api/v1/items', { code: 'RM-EX', name: '铜棒', type: 'raw', uom: 'kg' })
      ).json().id;
      const wc = await insertWorkCenter(db, 'WC-EX');
      id.m1 = await insertMachine(db, 'CNC-EX1', wc);
      await insertBom(db, id.item!, 'SF-EX', [[id.rm!, 'RM-EX', 500, 0]]);
      await insertRouting(db, id.item!, 'SF-EX', [[10, '车', wc, false]]);
    });
    after(async () => h.close());

    const dispatchedOperation = async () => {
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: id.item, qty: '5' })).json();
      const rel = (
        await call('POST', `/api/v1/work-orders/${wo.id}/actions`, { action: 'release', version: wo.version })
      ).json();
      const op = rel.operations[0];
      await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.m1 });
      return { wo: rel, op };
    };

    it('takes waiting and running work off a machine reported broken, alerts and asks for a re-plan', async () => {
      const waiting = await dispatchedOperation();
      const running = await dispatchedOperation();
      assert.equal(
        (await call('POST', `/api/v1/operations/${running.op.id}/actions`, { action: 'start' })).statusCode,
        200,
      );
      const res = await call('POST', '/api/v1/exceptions', {
        kind: 'breakdown',
        operationId: running.op.id,
        note: '主轴异响',
        photo: PIXEL,
      });
      assert.equal(res.statusCode, 201, res.body);
      const ex = res.json();
      assert.match(ex.code, /^EX-\d{6}-\d{4}$/);
      assert.equal(ex.machineId, id.m1);
      assert.deepEqual(
        ex.affected.map((a: { id: string }) => a.id).sort(),
        [waiting.op.id, running.op.id].sort(),
      );
      assert.equal((await call('GET', `/api/v1/machines/${id.m1}`)).json().status, 'down');
      // The machine-down job takes each operation off in turn: wait for both.
      await waitFor(
        async () =>
          (await call('GET', `/api/v1/operations/${waiting.op.id}`)).json().status === 'ready' &&
          (await call('GET', `/api/v1/operations/${running.op.id}`)).json().status === 'paused',
        10_000,
      );
      assert.equal((await call('GET', `/api/v1/operations/${waiting.op.id}`)).json().machineId, null);
      assert.equal((await call('GET', `/api/v1/operations/${running.op.id}`)).json().status, 'paused');
      const floor = (await call('GET', '/api/v1/shopfloor/floor')).json();
      const m1 = floor.find((m: { machineId: string }) => m.machineId === id.m1);
      assert.equal(m1.state, 'down');
      assert.equal(m1.operation.id, running.op.id);
      assert.equal(m1.queued, 0);
      const replan = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('data')
        .where('type', '=', 'schedule.replan_requested')
        .execute();
      assert.equal(replan.length, 1);
      const alerts = (await call('GET', '/api/v1/alerts?open=true')).json();
      assert.ok(alerts.some((a: { kind: string }) => a.kind === 'exception.breakdown'));
      assert.ok(alerts.some((a: { kind: string }) => a.kind === 'machine_down'));
      const photo = await call('GET', `/api/v1/exceptions/${ex.id}/photo`);
      assert.equal(photo.headers['content-type'], 'image/png');

      // Resolving the breakdown brings the machine back; the resolution time is recorded.
      const ack = (
        await call('PATCH', `/api/v1/exceptions/${ex.id}`, { action: 'acknowledge', version: 1 })
      ).json();
      assert.equal(ack.owner, 'admin');
      const noReason = await call('PATCH', `/api/v1/exceptions/${ex.id}`, { action: 'resolve', version: 2 });
      assert.equal(noReason.json().errors[0].field, '/resolution');
      const done = (
        await call('PATCH', `/api/v1/exceptions/${ex.id}`, {
          action: 'resolve',
          version: 2,
          resolution: '更换主轴轴承',
        })
      ).json();
      assert.equal(done.state, 'resolved');
      assert.equal(typeof done.minutesToResolve, 'number');
      assert.equal((await call('GET', `/api/v1/machines/${id.m1}`)).json().status, 'up');
    });

    it('flags the open work orders short of a material', async () => {
      const { wo } = await dispatchedOperation();
      const res = await call('POST', '/api/v1/exceptions', {
        kind: 'shortage',
        itemId: id.rm,
        note: '铜棒到货延迟',
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.ok(res.json().affected.some((a: { id: string }) => a.id === wo.id));
      const missing = await call('POST', '/api/v1/exceptions', { kind: 'shortage' });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().errors[0].field, '/itemId');
    });
  });
}
