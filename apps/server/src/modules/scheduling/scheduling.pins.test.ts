import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';
import { buildPlant, type Plant, type Row, waitForRun } from './scheduling.testkit.ts';

/** Pins hold across every later run and repair until they are removed. */
for (const target of await testTargets()) {
  describe(`scheduling pins on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let plant: Plant;

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      plant = await buildPlant(h, call);
    });
    after(async () => h.close());

    const solve = async () => {
      const res = await call('POST', '/api/v1/scheduling/runs', { seed: 2, maxIterations: 5 });
      assert.equal(res.statusCode, 202, res.body);
      const detail = await waitForRun(call, res.json().id);
      assert.equal(detail.run.status, 'done', detail.run.error);
      return detail.run as { id: string };
    };
    const assignmentsOf = async (id: string) =>
      new Map(
        ((await call('GET', `/api/v1/scheduling/runs/${id}/assignments`)).json().items as Row[]).map((r) => [
          r.operationId,
          r,
        ]),
      );
    /** 01:00 UTC `days` from today: inside the plant's first shift. */
    const at = (days: number) => {
      const d = new Date(Date.now() + days * 86_400_000);
      return `${d.toISOString().slice(0, 10)}T01:00:00.000Z`;
    };
    const pin = async (operationId: string, machineId: string, start: string) => {
      const res = await call('POST', '/api/v1/scheduling/pin', { operationId, machineId, start });
      assert.equal(res.statusCode, 200, res.body);
    };

    it('keeps pinned operations across a full reschedule and a breakdown repair; a pin on the broken machine becomes a conflict', async () => {
      const first = await assignmentsOf((await solve()).id);
      const lastOf = (wo: string) => [...first.values()].find((r) => r.workOrderId === wo && r.seq === 30)!;
      const kept = lastOf(plant.parts[0]!);
      const onBroken = lastOf(plant.parts[1]!);
      const late = lastOf(plant.parts[2]!);
      await pin(kept.operationId, plant.m2, at(3));
      await pin(onBroken.operationId, plant.m1, at(4));

      // A full reschedule keeps both pins, and they stay pinned for the next one too.
      const run = await solve();
      const planned = await assignmentsOf(run.id);
      for (const [op, machine, start] of [
        [kept.operationId, plant.m2, at(3)],
        [onBroken.operationId, plant.m1, at(4)],
      ] as const) {
        const a = planned.get(op)!;
        assert.deepEqual([a.machineId, a.start, a.locked], [machine, start, 'pinned']);
      }
      assert.equal((await call('GET', '/api/v1/scheduling/pins')).json().items.length, 2);
      const again = await assignmentsOf((await solve()).id);
      assert.deepEqual(
        [again.get(kept.operationId)!.machineId, again.get(kept.operationId)!.start],
        [plant.m2, at(3)],
      );
      const publish = await call('POST', `/api/v1/scheduling/runs/${run.id}/publish`, {
        dispatchWithinHours: 0,
      });
      assert.equal(publish.statusCode, 200, publish.body);
      // Nothing went to the machines, whatever the hour (the plan starts some operations this minute).
      assert.deepEqual(publish.json().dispatched, []);

      // Pinned after publishing: the repair reads the pins of now, not those of the published plan.
      await pin(late.operationId, plant.m2, at(5));

      const machine = (await call('GET', `/api/v1/machines/${plant.m1}`)).json();
      const down = await call('POST', `/api/v1/machines/${plant.m1}/status`, {
        version: machine.version,
        status: 'down',
        reason: 'spindle',
      });
      assert.equal(down.statusCode, 200, down.body);
      const repaired = await waitFor(async () => {
        const list = (await call('GET', '/api/v1/scheduling/runs')).json().items;
        return list.find((r: { kind: string; status: string }) => r.kind === 'repair' && r.status === 'done');
      }, 30_000);
      const after = await assignmentsOf(repaired.id);
      assert.deepEqual(
        [after.get(kept.operationId)!.machineId, after.get(kept.operationId)!.start],
        [plant.m2, at(3)],
      );
      assert.deepEqual(
        [after.get(late.operationId)!.machineId, after.get(late.operationId)!.start],
        [plant.m2, at(5)],
      );
      // Not silently moved: still on the broken machine, reported, and the repair waits for a planner.
      const stuck = after.get(onBroken.operationId)!;
      assert.deepEqual([stuck.machineId, stuck.start], [plant.m1, at(4)]);
      const detail = (await call('GET', `/api/v1/scheduling/runs/${repaired.id}`)).json();
      assert.ok(
        detail.run.conflicts.some(
          (c: { code: string; operationId: string }) =>
            c.code === 'PINNED_CONFLICT' && c.operationId === onBroken.operationId,
        ),
        JSON.stringify(detail.run.conflicts),
      );
      assert.equal(detail.run.publishedAt, null);
      assert.match(detail.run.note, /pinned operation\(s\) on the broken machine/);
      const alert = await h.runtime.db.kysely
        .selectFrom('alerts')
        .select(['kind', 'detail'])
        .where('entity_id', '=', repaired.id)
        .executeTakeFirst();
      assert.equal(alert?.kind, 'schedule_proposal');
      assert.match(alert?.detail ?? '', new RegExp(onBroken.operationId));

      // Unpinned, the next run is free to place it elsewhere: it is no longer locked.
      const unpin = await call('POST', '/api/v1/scheduling/unpin', { operationId: onBroken.operationId });
      assert.equal(unpin.statusCode, 204, unpin.body);
      const free = (await assignmentsOf((await solve()).id)).get(onBroken.operationId)!;
      assert.equal(free.locked, null);
      assert.notEqual(free.machineId, plant.m1);
    });
  });
}
