import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`work centers, machines and availability on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let calendarId: string;
    let centerId: string;

    const auditOf = (id: string) =>
      h.runtime.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', id)
        .orderBy('at')
        .execute();
    const eventsOf = (id: string) =>
      h.runtime.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('aggregate_id', '=', id)
        .orderBy('seq')
        .execute();

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const cal = await call('POST', '/api/v1/calendars', {
        code: 'cal-night',
        name: '夜班',
        timeZone: 'Asia/Shanghai',
        shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '20:00', end: '04:00' })),
        exceptions: [
          { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
          { date: '2026-09-27', kind: 'workday', name: '国庆调休' },
        ],
      });
      assert.equal(cal.statusCode, 201, cal.body);
      calendarId = cal.json().id;
      const wc = await call('POST', '/api/v1/work-centers', {
        code: 'wc-test',
        name: '测试车床组',
        kind: 'CNC车床',
        calendarId,
      });
      assert.equal(wc.statusCode, 201, wc.body);
      centerId = wc.json().id;
    });
    after(async () => h.close());

    it('creates a machine with exact cost, capacity and efficiency, with an audit entry and an event', async () => {
      const res = await call('POST', '/api/v1/machines', {
        code: 'm-t1',
        name: '测试车床',
        workCenterId: centerId,
        capacity: 2,
        efficiencyBp: 9250,
        hourlyCost: '68.50',
      });
      assert.equal(res.statusCode, 201, res.body);
      const m = res.json();
      assert.equal(m.code, 'M-T1');
      assert.equal(m.hourlyCost, '68.50');
      assert.equal(m.capacity, 2);
      assert.equal(m.status, 'up');
      assert.deepEqual(
        (await auditOf(m.id)).map((a) => a.action),
        ['create'],
      );
      assert.deepEqual(
        (await eventsOf(m.id)).map((e) => e.type),
        ['machine.created'],
      );
    });

    it('refuses invalid machines naming each field', async () => {
      const res = await call('POST', '/api/v1/machines', {
        code: 'm-bad',
        name: 'x',
        workCenterId: centerId,
        capacity: 0,
        efficiencyBp: 1.5,
        hourlyCost: '1.234',
      });
      assert.equal(res.statusCode, 400);
      const fields = res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort();
      assert.deepEqual(fields, ['/capacity', '/efficiencyBp', '/hourlyCost']);
      const unknown = await call('POST', '/api/v1/machines', {
        code: 'm-x',
        name: 'x',
        workCenterId: 'nope',
      });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().errors[0].field, '/workCenterId');
    });

    it('changes status through its own endpoint, emits machine.status_changed and refuses a stale version', async () => {
      const m = (
        await call('POST', '/api/v1/machines', { code: 'm-t2', name: 's', workCenterId: centerId })
      ).json();
      const supervisor = api(h.runtime, await signIn(h.runtime, 'supervisor', 'takt-demo'));
      const down = await supervisor('POST', `/api/v1/machines/${m.id}/status`, {
        version: 1,
        status: 'down',
        reason: '主轴异响',
      });
      assert.equal(down.statusCode, 200, down.body);
      assert.equal(down.json().status, 'down');
      const events = await eventsOf(m.id);
      const changed = events.find((e) => e.type === 'machine.status_changed');
      assert.ok(changed);
      assert.deepEqual(
        { ...JSON.parse(changed.data), at: undefined },
        {
          machineId: m.id,
          code: 'M-T2',
          workCenterId: centerId,
          from: 'up',
          to: 'down',
          reason: '主轴异响',
          at: undefined,
        },
      );
      const stale = await call('POST', `/api/v1/machines/${m.id}/status`, { version: 1, status: 'up' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      const warehouse = api(h.runtime, await signIn(h.runtime, 'warehouse', 'takt-demo'));
      const denied = await warehouse('POST', `/api/v1/machines/${m.id}/status`, { version: 2, status: 'up' });
      assert.equal(denied.statusCode, 403);
      assert.deepEqual(
        (await auditOf(m.id)).map((a) => a.action),
        ['create', 'status'],
      );
    });

    it('deactivates instead of deleting and refuses to delete a referenced work center', async () => {
      const m = (
        await call('POST', '/api/v1/machines', { code: 'm-t3', name: 'd', workCenterId: centerId })
      ).json();
      const off = await call('PATCH', `/api/v1/machines/${m.id}`, { version: 1, active: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().active, false);
      assert.equal((await auditOf(m.id)).at(-1)?.action, 'deactivate');
      const refused = await call('DELETE', `/api/v1/work-centers/${centerId}`);
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'IN_USE');
      const usedCalendar = await call('DELETE', `/api/v1/calendars/${calendarId}`);
      assert.equal(usedCalendar.json().code, 'IN_USE');
      const gone = await call('DELETE', `/api/v1/machines/${m.id}`);
      assert.equal(gone.statusCode, 204);
      assert.equal((await call('GET', `/api/v1/machines/${m.id}`)).statusCode, 404);
      assert.equal((await auditOf(m.id)).at(-1)?.action, 'delete');
    });

    it('pages machines filtered by work center and sorted by code without gaps', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/machines?sort=-code&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { items: { code: string }[]; nextCursor: string | null } = (
          await call('GET', url)
        ).json();
        seen.push(...page.items.map((m) => m.code));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [...seen].sort().reverse());
      assert.ok(seen.includes('CNC-01') && seen.includes('M-T1'));
      const mine = (await call('GET', `/api/v1/machines?workCenterId=${centerId}&status=up`)).json();
      assert.deepEqual(
        mine.items.map((m: { code: string }) => m.code),
        ['M-T1'],
      );
    });

    it('answers availability: night shifts across midnight, a holiday, a 调休 Sunday and planned downtime', async () => {
      const m = (
        await call('POST', '/api/v1/machines', { code: 'm-t4', name: 'a', workCenterId: centerId })
      ).json();
      const dt = await call('POST', `/api/v1/machines/${m.id}/downtimes`, {
        start: '2026-09-28T14:00:00Z',
        end: '2026-09-28T16:00:00Z',
        reason: '换主轴皮带',
      });
      assert.equal(dt.statusCode, 201, dt.body);
      const res = await call(
        'GET',
        `/api/v1/machines/${m.id}/availability?from=2026-09-27T00:00:00%2B08:00&to=2026-10-03T00:00:00%2B08:00`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.timeZone, 'Asia/Shanghai');
      assert.equal(body.calendarId, calendarId);
      // Sun 27 (make-up) … Wed 30 work 20:00–04:00; Thu 1 Oct is a holiday; Fri 2 Oct works.
      assert.deepEqual(
        body.intervals.map((i: { start: string; end: string }) => [i.start, i.end]),
        [
          ['2026-09-27T12:00:00.000Z', '2026-09-27T20:00:00.000Z'],
          ['2026-09-28T12:00:00.000Z', '2026-09-28T14:00:00.000Z'],
          ['2026-09-28T16:00:00.000Z', '2026-09-28T20:00:00.000Z'],
          ['2026-09-29T12:00:00.000Z', '2026-09-29T20:00:00.000Z'],
          ['2026-09-30T12:00:00.000Z', '2026-09-30T20:00:00.000Z'],
          ['2026-10-02T12:00:00.000Z', '2026-10-02T16:00:00.000Z'],
        ],
      );
      assert.equal(body.totalMinutes, 4 * 480 - 120 + 240);
      const removed = await call('DELETE', `/api/v1/machines/${m.id}/downtimes/${dt.json().id}`);
      assert.equal(removed.statusCode, 204);
    });

    it('refuses an availability horizon that ends before it starts, naming the query field', async () => {
      const m = (await call('GET', '/api/v1/machines?q=CNC-01')).json().items[0];
      const res = await call(
        'GET',
        `/api/v1/machines/${m.id}/availability?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`,
      );
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/querystring/to');
    });
  });
}
