import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`routings on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let itemId: string;
    let wc: string;
    const m = new Map<string, string>();

    const op = (seq: number, extra: Record<string, unknown> = {}) => ({
      seq,
      name: `工序 ${seq}`,
      workCenterId: wc,
      setupMinutes: 30,
      runMinutes: '1.25',
      ...extra,
    });
    const create = (operations: unknown[], label = 'V1') =>
      call('POST', '/api/v1/routings', { itemId, versionLabel: label, operations });

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      itemId = (
        await call('POST', '/api/v1/items', { code: 'RT-1', name: '测试件', type: 'finished', uom: 'pcs' })
      ).json().id;
      wc = (await call('POST', '/api/v1/work-centers', { code: 'WC-RT', name: '测试组' })).json().id;
      for (const [code, eff] of [
        ['RT-M1', 10000],
        ['RT-M2', 8000],
      ] as const) {
        const res = await call('POST', '/api/v1/machines', {
          code,
          name: code,
          workCenterId: wc,
          efficiencyBp: eff,
        });
        m.set(code, res.json().id);
      }
    });
    after(async () => h.close());

    it('stores a DAG routing, defaulting predecessors to the previous operation', async () => {
      const res = await create([
        op(10, { predecessors: [] }),
        op(20, { predecessors: [] }),
        op(30, {
          predecessors: [10, 20],
          inspection: true,
          toolCode: 'md-0001',
          skillCode: '焊接',
          skillLevel: 4,
        }),
        op(40, { waitMinutes: 120, overlap: true, transferBatch: '50' }),
      ]);
      assert.equal(res.statusCode, 201, res.body);
      const ops = res.json().operations;
      assert.deepEqual(
        ops.map((o: { seq: number; predecessors: number[] }) => [o.seq, o.predecessors]),
        [
          [10, []],
          [20, []],
          [30, [10, 20]],
          [40, [30]],
        ],
      );
      assert.equal(ops[2].toolCode, 'MD-0001');
      assert.equal(ops[2].inspection, true);
      assert.equal(ops[3].transferBatch, '50');
      assert.equal(ops[0].runMinutes, '1.25');
    });

    it('refuses operations that wait for each other in a cycle with ROUTING_CYCLE', async () => {
      const res = await create([op(10, { predecessors: [30] }), op(20), op(30)], 'CYC');
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'ROUTING_CYCLE');
      assert.deepEqual(res.json().cycle, [10, 20, 30, 10]);
      assert.equal(res.json().errors[0].field, '/operations/0/predecessors');
    });

    it('names unknown predecessors, duplicate seq numbers, unknown work centers and machines', async () => {
      const res = await create(
        [
          op(10),
          op(10, { predecessors: [99] }),
          op(20, { workCenterId: 'nope', alternatives: [{ machineId: 'nope', runMinutes: '1' }] }),
        ],
        'BAD',
      );
      assert.equal(res.statusCode, 400);
      assert.deepEqual(
        res
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
        [
          '/operations/1/predecessors/0',
          '/operations/1/seq',
          '/operations/2/alternatives/0/machineId',
          '/operations/2/workCenterId',
        ],
      );
      const schema = await create([op(10, { runMinutes: '1.2345', setupMinutes: -1 })], 'BAD');
      assert.deepEqual(
        schema
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
        ['/operations/0/runMinutes', '/operations/0/setupMinutes'],
      );
    });

    it('computes setup and run minutes per eligible machine, after efficiency, rounded up once', async () => {
      const all = (await create([op(10)], 'DUR')).json();
      const res = await call('GET', `/api/v1/routings/${all.id}/duration?qty=100`);
      assert.equal(res.statusCode, 200, res.body);
      // 100 × 1.25 = 125 min at 100 %; at 80 % 156.25 → 157.
      assert.deepEqual(
        res
          .json()
          .operations[0].machines.map(
            (x: { machineCode: string; setupMinutes: number; runMinutes: number; totalMinutes: number }) => [
              x.machineCode,
              x.setupMinutes,
              x.runMinutes,
              x.totalMinutes,
            ],
          ),
        [
          ['RT-M1', 30, 125, 155],
          ['RT-M2', 30, 157, 187],
        ],
      );
      const listed = (
        await create(
          [op(10, { alternatives: [{ machineId: m.get('RT-M2'), runMinutes: '0.5', setupMinutes: 10 }] })],
          'ALT',
        )
      ).json();
      const alt = (await call('GET', `/api/v1/routings/${listed.id}/duration?qty=3`)).json();
      // Only the listed machine is eligible: 3 × 0.5 / 0.8 = 1.875 → 2.
      assert.deepEqual(
        alt.operations[0].machines.map(
          (x: { machineCode: string; runMinutes: number; alternative: boolean }) => [
            x.machineCode,
            x.runMinutes,
            x.alternative,
          ],
        ),
        [['RT-M2', 2, true]],
      );
    });

    it('keeps one active routing per item, refuses stale versions and records every mutation', async () => {
      const a = (await create([op(10)], 'A1')).json();
      const b = (await create([op(10)], 'B1')).json();
      assert.equal((await call('POST', `/api/v1/routings/${a.id}/activate`, { version: 1 })).statusCode, 200);
      const results = await Promise.all([
        call('POST', `/api/v1/routings/${b.id}/activate`, { version: 1 }),
        call('POST', `/api/v1/routings/${b.id}/activate`, { version: 1 }),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
      const active = (await call('GET', `/api/v1/routings?itemId=${itemId}&status=active`)).json().items;
      assert.deepEqual(
        active.map((r: { id: string }) => r.id),
        [b.id],
      );
      assert.equal((await call('GET', `/api/v1/routings/${a.id}`)).json().status, 'archived');
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', a.id)
        .orderBy('at')
        .execute();
      assert.deepEqual(
        audit.map((x) => x.action),
        ['create', 'activate', 'archive'],
      );
    });

    it('refuses to delete a machine a routing names, and deletes an unused draft', async () => {
      const r = (
        await create([op(10, { alternatives: [{ machineId: m.get('RT-M1'), runMinutes: '1' }] })], 'DEL')
      ).json();
      const refused = await call('DELETE', `/api/v1/machines/${m.get('RT-M1')}`);
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'IN_USE');
      assert.equal((await call('DELETE', `/api/v1/routings/${r.id}`)).statusCode, 204);
      assert.equal((await call('GET', `/api/v1/routings/${r.id}`)).statusCode, 404);
    });
  });
}
