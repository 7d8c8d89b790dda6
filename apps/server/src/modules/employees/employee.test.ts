import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`employees and skills on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => h.close());

    it('loads twenty demo operators and finds welders of level 4 or more', async () => {
      assert.equal((await call('GET', '/api/v1/employees?limit=500')).json().items.length, 20);
      const welders = (
        await call('GET', `/api/v1/employees?skill=${encodeURIComponent('焊接')}&minLevel=4`)
      ).json().items;
      assert.deepEqual(
        welders.map((e: { name: string }) => e.name),
        ['郭鹏', '何俊'],
      );
    });

    it('stores skills with levels, a team, a shift and a normalised badge', async () => {
      const res = await call('POST', '/api/v1/employees', {
        code: 'E2001',
        name: '新员工',
        team: '钣金组',
        shift: '夜班',
        badgeCode: ' ｂ-2001 ',
        skills: [
          { skill: '折弯', level: 2 },
          { skill: '激光切割', level: 1 },
        ],
      });
      assert.equal(res.statusCode, 201, res.body);
      const e = res.json();
      assert.equal(e.badgeCode, 'B-2001');
      assert.deepEqual(
        e.skills.map((s: { skill: string; level: number }) => `${s.skill}${s.level}`).sort(),
        ['折弯2', '激光切割1'].sort(),
      );
    });

    it('refuses a skill level outside 1–5 and a skill listed twice', async () => {
      const high = await call('POST', '/api/v1/employees', {
        code: 'E2002',
        name: 'x',
        skills: [{ skill: '铣', level: 6 }],
      });
      assert.equal(high.statusCode, 400);
      assert.equal(high.json().errors[0].field, '/skills/0/level');
      const twice = await call('POST', '/api/v1/employees', {
        code: 'E2002',
        name: 'x',
        skills: [
          { skill: '铣', level: 2 },
          { skill: '铣 ', level: 3 },
        ],
      });
      assert.equal(twice.statusCode, 400);
      assert.equal(twice.json().errors[0].field, '/skills/1/skill');
    });

    it('refuses a badge that is already assigned with DUPLICATE_BADGE', async () => {
      const res = await call('POST', '/api/v1/employees', { code: 'E2003', name: 'y', badgeCode: 'B-2001' });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'DUPLICATE_BADGE');
      assert.equal(res.json().errors[0].field, '/badgeCode');
    });

    it('replaces skills on update and records the change in the history', async () => {
      const e = (await call('GET', '/api/v1/employees?q=E2001')).json().items[0];
      const res = await call('PATCH', `/api/v1/employees/${e.id}`, {
        version: e.version,
        skills: [{ skill: '折弯', level: 3 }],
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().skills, [{ skill: '折弯', level: 3 }]);
      const history = (await call('GET', `/api/v1/employees/${e.id}/history`)).json().items;
      assert.equal(history.length, 2);
      assert.ok(history[1].diff.skills);
    });
  });
}
