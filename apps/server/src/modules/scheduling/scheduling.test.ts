import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Problem, type Schedule, validate } from '@takt/scheduler';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';
import { buildPlant, type Plant, type Row, waitForRun } from './scheduling.testkit.ts';

for (const target of await testTargets()) {
  describe(`scheduling on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let plant: Plant;
    let runId = '';
    let rows: Row[] = [];
    const origin = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      plant = await buildPlant(h, call);
    });
    after(async () => h.close());

    const runAndWait = async (body: object) => {
      const res = await call('POST', '/api/v1/scheduling/runs', body);
      assert.equal(res.statusCode, 202, res.body);
      const t = performance.now();
      const detail = await waitForRun(call, res.json().id);
      assert.equal(detail.run.status, 'done', detail.run.error);
      return { detail, ms: performance.now() - t };
    };
    const assignmentsOf = async (id: string, query = '') =>
      (await call('GET', `/api/v1/scheduling/runs/${id}/assignments${query}`)).json().items as Row[];

    it('plans every open operation in the background, valid for the engine, within calendars and downtime', async () => {
      const { detail, ms } = await runAndWait({ timeLimitSeconds: 1, seed: 3 });
      runId = detail.run.id;
      console.log(`scheduling run (1 s budget) on ${target.name}: ${Math.round(ms)} ms end to end`);
      rows = await assignmentsOf(runId);
      const ops = await h.runtime.db.kysely
        .selectFrom('work_order_operations')
        .select('id')
        .where('work_order_id', 'in', plant.orders)
        .execute();
      assert.equal(rows.length, ops.length);
      assert.deepEqual(detail.run.conflicts, []);
      assert.equal(detail.run.kpis.scheduledOperations, ops.length);
      assert.ok(detail.run.kpis.onTimePercent < 100, 'the urgent order is late whatever happens');
      const stored = await h.runtime.db.kysely
        .selectFrom('schedule_runs')
        .select(['problem', 'schedule'])
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        validate(JSON.parse(stored.problem!) as Problem, JSON.parse(stored.schedule!) as Schedule),
        [],
      );
      for (const m of [plant.m1, plant.m2, plant.m3]) {
        const avail = (
          await call(
            'GET',
            `/api/v1/machines/${m}/availability?from=${origin}&to=${new Date(Date.parse(origin) + 30 * 86_400_000).toISOString()}`,
          )
        ).json().intervals as { start: string; end: string }[];
        for (const a of rows.filter((r) => r.machineId === m)) {
          assert.ok(
            avail.some(
              (i) => Date.parse(i.start) <= Date.parse(a.start) && Date.parse(a.end) <= Date.parse(i.end),
            ),
            `${a.start}–${a.end} on a working interval`,
          );
        }
      }
      for (const a of rows.filter((r) => r.machineId === plant.m3)) assert.ok(a.start >= plant.downtime.end);
      const onM1 = await assignmentsOf(runId, `?machineId=${plant.m1}`);
      assert.ok(onM1.length > 0 && onM1.every((r) => r.machineId === plant.m1));
    });

    it('keeps the routing sequence and makes the child order before the parent', () => {
      for (const wo of plant.orders) {
        const seqs = rows.filter((r) => r.workOrderId === wo).sort((a, b) => a.seq - b.seq);
        for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]!.start >= seqs[i - 1]!.end);
      }
      const child = rows.filter((r) => r.workOrderId === plant.sa);
      const parent = rows.filter((r) => r.workOrderId === plant.fg);
      assert.ok(
        Math.max(...child.map((r) => Date.parse(r.end))) <=
          Math.min(...parent.map((r) => Date.parse(r.start))),
      );
    });

    it('puts the urgent order first', () => {
      const finish = (wo: string) =>
        Math.max(...rows.filter((r) => r.workOrderId === wo).map((r) => Date.parse(r.end)));
      const start = (wo: string) =>
        Math.min(...rows.filter((r) => r.workOrderId === wo).map((r) => Date.parse(r.start)));
      // The part orders are alike, so none of them may start before the urgent one.
      for (const wo of plant.parts) assert.ok(start(plant.urgent) <= start(wo), wo);
      // Another order may start earlier on the urgent order's first machine only in a gap too short
      // for it (late in a shift): it must be done by the time the urgent order starts there.
      const first = rows.find(
        (r) => r.workOrderId === plant.urgent && Date.parse(r.start) === start(plant.urgent),
      )!;
      for (const r of rows.filter((x) => x.machineId === first.machineId && x.workOrderId !== plant.urgent)) {
        if (Date.parse(r.start) < start(plant.urgent)) assert.ok(r.end <= first.start, `${r.start}–${r.end}`);
      }
      // The other part orders need the same machines in the same order: all finish after the urgent one.
      for (const wo of plant.parts) assert.ok(finish(plant.urgent) < finish(wo), wo);
    });

    it('keeps a pinned operation where the planner put it', async () => {
      const op = rows.find((r) => r.workOrderId === plant.parts[0] && r.seq === 10)!;
      const other = op.machineId === plant.m1 ? plant.m2 : plant.m1;
      const start = new Date(Date.parse(op.start) + 5 * 86_400_000).toISOString();
      const pin = await call('POST', '/api/v1/scheduling/pin', {
        operationId: op.operationId,
        machineId: other,
        start,
      });
      assert.equal(pin.statusCode, 200, pin.body);
      const { detail } = await runAndWait({ seed: 1, maxIterations: 5, at: origin });
      const placed = (await assignmentsOf(detail.run.id)).find((r) => r.operationId === op.operationId)!;
      assert.deepEqual([placed.machineId, placed.start, placed.locked], [other, start, 'pinned']);
      const unpin = await call('POST', '/api/v1/scheduling/unpin', { operationId: op.operationId });
      assert.equal(unpin.statusCode, 204, unpin.body);
      assert.deepEqual((await call('GET', '/api/v1/scheduling/pins')).json().items, []);
    });

    it('gives identical assignments for the same seed and budget', async () => {
      const key = (r: Row) => `${r.operationId}@${r.machineId}:${r.start}-${r.end}`;
      const a = await runAndWait({ seed: 7, maxIterations: 20, at: origin });
      const b = await runAndWait({ seed: 7, maxIterations: 20, at: origin });
      assert.deepEqual(
        (await assignmentsOf(a.detail.run.id)).map(key),
        (await assignmentsOf(b.detail.run.id)).map(key),
      );
      assert.deepEqual(a.detail.run.kpis, b.detail.run.kpis);
    });

    it('reports an overlap and a precedence conflict for a manual move', async () => {
      const urgent = rows.filter((r) => r.workOrderId === plant.urgent).sort((a, b) => a.seq - b.seq);
      const other = rows.find(
        (r) => r.machineId === urgent[0]!.machineId && r.operationId !== urgent[0]!.operationId,
      )!;
      const overlap = (
        await call('POST', '/api/v1/scheduling/check-move', {
          runId,
          operationId: other.operationId,
          machineId: other.machineId,
          start: urgent[0]!.start,
        })
      ).json();
      assert.ok(
        overlap.conflicts.some((c: { code: string }) => c.code === 'OVERLAP'),
        JSON.stringify(overlap),
      );
      const early = (
        await call('POST', '/api/v1/scheduling/check-move', {
          runId,
          operationId: urgent[1]!.operationId,
          machineId: urgent[1]!.machineId,
          start: urgent[0]!.start,
        })
      ).json();
      assert.equal(early.ok, false);
      assert.ok(
        early.conflicts.some(
          (c: { code: string; related: string[] }) =>
            c.code === 'PRECEDENCE' && c.related.includes(urgent[0]!.operationId),
        ),
      );
    });

    it('publishes planned times and dispatches the operations starting within the window', async () => {
      const res = await call('POST', `/api/v1/scheduling/runs/${runId}/publish`, { dispatchWithinHours: 4 });
      assert.equal(res.statusCode, 200, res.body);
      const out = res.json();
      assert.equal(out.updatedOperations, rows.length);
      assert.deepEqual(out.dispatchErrors, []);
      const soon = rows.filter((r) => Date.parse(r.start) < Date.now() + 4 * 3_600_000);
      assert.ok(soon.length > 0);
      assert.deepEqual([...out.dispatched].sort(), soon.map((r) => r.operationId).sort());
      const ops = await h.runtime.db.kysely
        .selectFrom('work_order_operations')
        .selectAll()
        .where('work_order_id', 'in', plant.orders)
        .execute();
      for (const r of rows) {
        const op = ops.find((o) => o.id === r.operationId)!;
        assert.equal(op.planned_start, r.start);
        assert.equal(op.planned_end, r.end);
        assert.equal(op.machine_id, r.machineId);
        assert.equal(op.status, soon.includes(r) ? 'dispatched' : 'ready');
      }
      const detail = (await call('GET', `/api/v1/scheduling/runs/${runId}`)).json();
      assert.equal(detail.comparison.publishedRunId, runId);
      assert.equal(detail.comparison.changedOperations, 0);
    });

    it('repairs the published plan when a machine breaks down, leaving the frozen horizon alone', async () => {
      const base = await assignmentsOf(runId);
      const counts = [plant.m1, plant.m2].map((m) => base.filter((r) => r.machineId === m).length);
      const broken = counts[0]! >= counts[1]! ? plant.m1 : plant.m2;
      const spare = broken === plant.m1 ? plant.m2 : plant.m1;
      const machine = (await call('GET', `/api/v1/machines/${broken}`)).json();
      const tBreak = Math.floor(Date.now() / 60_000) * 60_000;
      const down = await call('POST', `/api/v1/machines/${broken}/status`, {
        version: machine.version,
        status: 'down',
        reason: '主轴故障',
      });
      assert.equal(down.statusCode, 200, down.body);
      // Done, and then published or left as a proposal with an alert (a step of its own after done).
      const proposalAlert = (id: string) =>
        h.runtime.db.kysely
          .selectFrom('alerts')
          .select('id')
          .where('kind', '=', 'schedule_proposal')
          .where('entity_id', '=', id)
          .executeTakeFirst();
      const repaired = await waitFor(async () => {
        const list = (await call('GET', '/api/v1/scheduling/runs')).json().items;
        const run = list.find(
          (r: { kind: string; status: string }) => r.kind === 'repair' && r.status === 'done',
        );
        if (!run) return undefined;
        return run.publishedAt !== null || (await proposalAlert(run.id)) ? run : undefined;
      }, 30_000);
      const tDone = Date.now();
      assert.equal(repaired.baseRunId, runId);
      const after = new Map((await assignmentsOf(repaired.id)).map((r) => [r.operationId, r]));
      const frozenUntil = tBreak + 120 * 60_000;
      let moved = 0;
      for (const b of base) {
        const a = after.get(b.operationId)!;
        if (Date.parse(b.start) < frozenUntil) {
          assert.deepEqual([a.machineId, a.start, a.end], [b.machineId, b.start, b.end], 'frozen');
        } else if (b.machineId === broken && Date.parse(b.start) > tDone + 121 * 60_000) {
          assert.equal(a.machineId, spare);
          moved++;
        }
      }
      assert.ok(moved > 0, 'some operations of the broken machine moved');
      const alert = await proposalAlert(repaired.id);
      assert.ok(repaired.publishedAt !== null || alert, 'published, or left as a proposal with an alert');
      const runs = (await call('GET', '/api/v1/scheduling/runs')).json().items;
      assert.equal(
        runs.filter((r: { kind: string }) => r.kind === 'repair').length,
        1,
        'one repair per breakdown',
      );
    });
  });
}
