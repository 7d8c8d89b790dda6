import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../testing/harness.ts';
import { acknowledgeAlert, raiseAlert } from './alerts.ts';
import { systemCtx } from './context.ts';

for (const target of await testTargets()) {
  describe(`alert acknowledgement on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const db = () => h.runtime.db;
    const raise = async (title: string) => {
      const id = await db().transaction((tx) =>
        raiseAlert(tx, null, { severity: 'critical', kind: 'test', title, dedupeKey: `test:${title}` }),
      );
      assert.ok(id, 'raised');
      return id;
    };
    const audits = async (id: string) =>
      db()
        .kysely.selectFrom('audit_log')
        .select(['action', 'actor_type', 'diff'])
        .where('entity_type', '=', 'alert')
        .where('entity_id', '=', id)
        .execute();

    before(async () => {
      h = await startHarness(target, { demo: false, start: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('keeps the first acknowledgement’s time and person, and audits every one', async () => {
      const id = await raise('主轴异响');
      const res = await call('POST', `/api/v1/alerts/${id}/ack`);
      assert.equal(res.statusCode, 200, res.body);
      const first = res.json() as { id: string; acknowledgedAt: string | null };
      assert.equal(first.id, id);
      assert.ok(first.acknowledgedAt, 'acknowledged');

      const again = await acknowledgeAlert(db(), systemCtx(), id);
      assert.equal(again.acknowledged_at, first.acknowledgedAt);
      assert.equal(again.acknowledged_by, 'admin');
      const repeat = await call('POST', `/api/v1/alerts/${id}/ack`);
      assert.equal(repeat.json().acknowledgedAt, first.acknowledgedAt);

      assert.deepEqual((await audits(id)).map((a) => `${a.action}:${a.actor_type}`).sort(), [
        'acknowledge:system',
        'acknowledge:user',
        'acknowledge:user',
      ]);
      const open = (await call('GET', '/api/v1/alerts?open=true')).json() as { id: string }[];
      assert.ok(!open.some((a) => a.id === id), 'no longer open');
      const all = (await call('GET', '/api/v1/alerts')).json() as { id: string }[];
      assert.ok(
        all.some((a) => a.id === id),
        'still listed',
      );
    });

    it('keeps one acknowledgement when two arrive at once', async () => {
      const id = await raise('折弯上模磨损');
      const [a, b] = await Promise.allSettled([
        call('POST', `/api/v1/alerts/${id}/ack`),
        acknowledgeAlert(db(), systemCtx(), id),
      ]);
      assert.equal(a.status, 'fulfilled');
      assert.equal(b.status, 'fulfilled');
      const row = await db()
        .kysely.selectFrom('alerts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.ok(row.acknowledged_at);
      if (a.status === 'fulfilled') assert.equal(a.value.json().acknowledgedAt, row.acknowledged_at);
      if (b.status === 'fulfilled') {
        assert.equal(b.value.acknowledged_at, row.acknowledged_at);
        assert.equal(b.value.acknowledged_by, row.acknowledged_by);
      }
      // One of the two acknowledged it, the other saw it done.
      const diffs = (await audits(id)).map((x) => Object.keys(JSON.parse(x.diff)).sort());
      assert.deepEqual(diffs.sort(), [[], ['acknowledged_at', 'acknowledged_by']]);
    });

    it('answers 404 for an unknown alert and changes nothing', async () => {
      const before = await db().kysely.selectFrom('audit_log').select('id').execute();
      const res = await call('POST', '/api/v1/alerts/no-such-alert/ack');
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'NOT_FOUND');
      await assert.rejects(
        acknowledgeAlert(db(), systemCtx(), 'no-such-alert'),
        /Alert no-such-alert was not found/,
      );
      assert.equal((await db().kysely.selectFrom('audit_log').select('id').execute()).length, before.length);
    });
  });
}
