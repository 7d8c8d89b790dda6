import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

const [sqlite] = await testTargets();

describe('demo plant of 精工五金', () => {
  let h: Harness;
  let call: ReturnType<typeof api>;
  before(async () => {
    h = await startHarness(sqlite!, { demo: true });
    call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
  });
  after(async () => h.close());

  it('has twelve machines in four work centers on a two-shift Asia/Shanghai calendar', async () => {
    const machines = (await call('GET', '/api/v1/machines?limit=100')).json().items;
    const centers = (await call('GET', '/api/v1/work-centers?limit=100')).json().items;
    assert.equal(machines.length, 12);
    assert.equal(centers.length, 4);
    const cnc = centers.find((c: { code: string }) => c.code === 'WC-CNC');
    assert.equal(machines.filter((m: { workCenterId: string }) => m.workCenterId === cnc.id).length, 4);
    // Mon 2026-03-02 local: 08:00–01:00 next day is one merged 17-hour interval.
    const m = machines.find((x: { code: string }) => x.code === 'CNC-01');
    const av = (
      await call(
        'GET',
        `/api/v1/machines/${m.id}/availability?from=2026-03-02T00:00:00%2B08:00&to=2026-03-03T00:00:00%2B08:00`,
      )
    ).json();
    assert.equal(av.timeZone, 'Asia/Shanghai');
    assert.deepEqual(av.intervals[0], { start: '2026-03-02T00:00:00.000Z', end: '2026-03-02T16:00:00.000Z' });
  });

  it('explodes every finished good through active BOMs and times every active routing', async () => {
    const boms = (await call('GET', '/api/v1/boms?status=active&limit=100')).json().items;
    assert.ok(boms.length >= 20);
    const bracket = boms.find((b: { itemCode: string }) => b.itemCode === 'FG-100300');
    const ex = (await call('GET', `/api/v1/boms/${bracket.id}/explode?qty=10`)).json();
    assert.equal(Math.max(...ex.lines.map((l: { level: number }) => l.level)), 3);
    const routings = (await call('GET', '/api/v1/routings?status=active&limit=100')).json().items;
    assert.ok(routings.length >= 15);
    for (const r of routings) {
      const d = await call('GET', `/api/v1/routings/${r.id}/duration?qty=10`);
      assert.equal(d.statusCode, 200);
      for (const op of d.json().operations) assert.ok(op.machines.length > 0, `${r.itemCode} ${op.seq}`);
    }
  });
});
