import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`calendars API on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('refuses an unknown time zone and malformed shifts, naming each field', async () => {
      const zone = await call('POST', '/api/v1/calendars', {
        code: 'X',
        name: 'x',
        timeZone: 'Asia/Atlantis',
      });
      assert.equal(zone.statusCode, 400);
      assert.equal(zone.json().errors[0].field, '/timeZone');
      const shifts = await call('POST', '/api/v1/calendars', {
        code: 'X',
        name: 'x',
        timeZone: 'Asia/Shanghai',
        shifts: [{ weekday: 8, start: '25:00', end: '04:00' }],
      });
      assert.equal(shifts.statusCode, 400);
      assert.deepEqual(
        shifts
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
        ['/shifts/0/start', '/shifts/0/weekday'],
      );
    });

    it('expands a Berlin night-shift calendar across the DST change through the API', async () => {
      const res = await call('POST', '/api/v1/calendars', {
        code: 'de-night',
        name: 'Nachtschicht',
        timeZone: 'Europe/Berlin',
        shifts: [6, 7].map((weekday) => ({ weekday, start: '22:00', end: '06:00' })),
      });
      assert.equal(res.statusCode, 201, res.body);
      const av = await call(
        'GET',
        `/api/v1/calendars/${res.json().id}/availability?from=2026-03-28T00:00:00Z&to=2026-03-30T12:00:00Z`,
      );
      assert.equal(av.statusCode, 200, av.body);
      // Sat 22:00 CET → Sun 06:00 CEST is 7 h; Sun 22:00 CEST → Mon 06:00 CEST is 8 h.
      assert.deepEqual(
        av.json().intervals.map((i: { start: string; end: string }) => [i.start, i.end]),
        [
          ['2026-03-28T21:00:00.000Z', '2026-03-29T04:00:00.000Z'],
          ['2026-03-29T20:00:00.000Z', '2026-03-30T04:00:00.000Z'],
        ],
      );
      assert.equal(av.json().totalMinutes, 15 * 60);
    });

    it('updates with the version read, refuses a stale one, and audits each change', async () => {
      const cal = (
        await call('POST', '/api/v1/calendars', { code: 'ver-1', name: 'v', timeZone: 'Asia/Shanghai' })
      ).json();
      const ok = await call('PATCH', `/api/v1/calendars/${cal.id}`, {
        version: 1,
        exceptions: [{ date: '2026-05-01', kind: 'holiday', name: '劳动节' }],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().version, 2);
      const stale = await call('PATCH', `/api/v1/calendars/${cal.id}`, { version: 1, name: 'late' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
      const off = await call('PATCH', `/api/v1/calendars/${cal.id}`, { version: 2, active: false });
      assert.equal(off.json().active, false);
      const del = await call('DELETE', `/api/v1/calendars/${cal.id}`);
      assert.equal(del.statusCode, 204);
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', cal.id)
        .orderBy('at')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['create', 'update', 'deactivate', 'delete'],
      );
      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', cal.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['calendar.created', 'calendar.updated', 'calendar.updated', 'calendar.deleted'],
      );
    });

    it('refuses a duplicate code and pages calendars by name', async () => {
      const dup = await call('POST', '/api/v1/calendars', {
        code: 'DE-NIGHT',
        name: 'again',
        timeZone: 'UTC',
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().code, 'DUPLICATE_CODE');
      await call('POST', '/api/v1/calendars', { code: 'day', name: '白班', timeZone: 'Asia/Shanghai' });
      const first = (await call('GET', '/api/v1/calendars?sort=name&limit=1')).json();
      assert.equal(first.items.length, 1);
      const second = (
        await call('GET', `/api/v1/calendars?sort=name&limit=1&cursor=${first.nextCursor}`)
      ).json();
      assert.notEqual(second.items[0]?.id, first.items[0].id);
    });
  });
}
