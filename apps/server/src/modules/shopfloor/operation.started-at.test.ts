import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { insertBom, insertMachine, insertRouting, insertWorkCenter } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

for (const target of await testTargets()) {
  describe(`an operation started with an earlier start time on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let asOperator: ReturnType<typeof api>;
    const id: Record<string, string> = {};

    before(async () => {
      h = await startHarness(target, { demo: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const created = await call('POST', '/api/v1/identity/users', {
        login: 'late.starter',
        displayName: 'Late starter',
        password: 'Correct-Staple-4711',
        roles: ['operator'],
      });
      assert.equal(created.statusCode, 201, created.body);
      asOperator = api(h.runtime, await signIn(h.runtime, 'late.starter', 'Correct-Staple-4711'));
      const db = h.runtime.db.kysely;
      id.item = (
        await call('POST', '/api/v1/items', {
          code: 'SF-LATE',
          name: '轴',
          type: 'semi_finished',
          uom: 'pcs',
        })
      ).json().id;
      const rm = (
        await call('POST', '/api/v1/items', { code: 'RM-LATE', name: '圆钢', type: 'raw', uom: 'kg' })
      ).json().id;
      await insertBom(db, id.item!, 'SF-LATE', [[rm, 'RM-LATE', 1_500, 0]]);
      id.WC = await insertWorkCenter(db, 'WC-LATE');
      id.M = await insertMachine(db, 'M-LATE', id.WC);
      await insertRouting(db, id.item!, 'SF-LATE', [[10, 'op10', id.WC, false]], {
        setup: 10,
        runMilliMinutes: 1_000,
      });
    });
    after(async () => h.close());

    /** A dispatched operation of an order released `releasedAgo` before now. */
    const dispatchedOperation = async (releasedAgo: number) => {
      const wo = (await call('POST', '/api/v1/work-orders', { itemId: id.item, qty: '10' })).json();
      const rel = await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'release',
        version: wo.version,
      });
      assert.equal(rel.statusCode, 200, rel.body);
      // The order was released earlier in the shift than this test runs.
      await h.runtime.db.kysely
        .updateTable('work_order_history')
        .set({ at: ago(releasedAgo) })
        .where('work_order_id', '=', wo.id)
        .where('action', '=', 'release')
        .execute();
      const op = rel.json().operations[0] as { id: string };
      const d = await call('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: id.M });
      assert.equal(d.statusCode, 200, d.body);
      return { woId: wo.id as string, opId: op.id };
    };

    const row = (opId: string) =>
      h.runtime.db.kysely
        .selectFrom('work_order_operations')
        .select(['status', 'started_at', 'status_since', 'version'])
        .where('id', '=', opId)
        .executeTakeFirstOrThrow();

    it('stores the given start time and shows it in the history, the audit, the event and the floor view', async () => {
      const { woId, opId } = await dispatchedOperation(5 * HOUR);
      const startedAt = ago(2 * HOUR);
      const res = await asOperator('POST', `/api/v1/operations/${opId}/actions`, {
        action: 'start',
        startedAt,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().statusSince, startedAt);
      const stored = await row(opId);
      assert.equal(stored.status, 'in_progress');
      assert.equal(stored.started_at, startedAt);
      assert.equal(stored.status_since, startedAt);

      const history = (await call('GET', `/api/v1/work-orders/${woId}`)).json().history as {
        action: string;
        operationId: string | null;
        at: string;
      }[];
      const start = history.find((x) => x.action === 'operation.start');
      assert.equal(start?.at, startedAt);
      // The row names its operation; the order's own rows name none.
      assert.equal(start?.operationId, opId);
      assert.ok(
        history.filter((x) => !x.action.startsWith('operation.')).every((x) => x.operationId === null),
      );

      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select(['at', 'diff'])
        .where('entity_type', '=', 'operation')
        .where('entity_id', '=', opId)
        .where('action', '=', 'start')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.diff).started_at.to, startedAt, 'the audit row has the start time');
      assert.ok(Date.parse(audit.at) > Date.parse(startedAt) + HOUR, 'and the time it was entered');

      const events = await h.runtime.db.kysely
        .selectFrom('outbox')
        .select('data')
        .where('type', '=', 'operation.status_changed')
        .where('aggregate_id', '=', woId)
        .execute();
      const started = events.map((e) => JSON.parse(e.data)).find((d) => d.action === 'start');
      assert.equal(started.startedAt, startedAt);
      assert.equal(started.at, startedAt);
      assert.ok(Date.parse(started.enteredAt) > Date.parse(startedAt) + HOUR);

      const floor = (await call('GET', '/api/v1/shopfloor/floor')).json() as {
        id: string;
        operation: { id: string; since: string } | null;
      }[];
      assert.equal(floor.find((m) => m.operation?.id === opId)?.operation?.since, startedAt);
    });

    it('refuses each start time the record does not allow, naming startedAt and changing nothing', async () => {
      const { opId } = await dispatchedOperation(3 * HOUR);
      const cases: [string, string, ReturnType<typeof api>][] = [
        [new Date(Date.now() + 10 * 60_000).toISOString(), 'START_TIME_IN_FUTURE', asOperator],
        [ago(4 * HOUR), 'START_TIME_BEFORE_RELEASE', asOperator],
        [ago(13 * HOUR), 'START_TIME_TOO_FAR_BACK', asOperator],
      ];
      const unchanged = await row(opId);
      for (const [startedAt, code, as] of cases) {
        const res = await as('POST', `/api/v1/operations/${opId}/actions`, { action: 'start', startedAt });
        assert.equal(res.statusCode, 400, `${code}: ${res.body}`);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        const fields = res.json().errors as { field: string; code?: string }[];
        assert.deepEqual(
          fields.map((f) => [f.field, f.code]),
          [['/startedAt', code]],
        );
        assert.deepEqual(await row(opId), unchanged, `${code} changed nothing`);
      }
      const malformed = await asOperator('POST', `/api/v1/operations/${opId}/actions`, {
        action: 'start',
        startedAt: 'half past seven',
      });
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.body, /startedAt/);
      const onPause = await asOperator('POST', `/api/v1/operations/${opId}/actions`, {
        action: 'pause',
        startedAt: ago(HOUR),
      });
      assert.equal(onPause.statusCode, 400);
      assert.equal(onPause.json().errors[0].field, '/startedAt');
      assert.deepEqual(await row(opId), unchanged);
    });

    it('lets a supervisor date a start further back than an operator may', async () => {
      const { opId } = await dispatchedOperation(30 * HOUR);
      const startedAt = ago(20 * HOUR);
      const byOperator = await asOperator('POST', `/api/v1/operations/${opId}/actions`, {
        action: 'start',
        startedAt,
      });
      assert.equal(byOperator.json().errors?.[0]?.code, 'START_TIME_TOO_FAR_BACK', byOperator.body);
      const bySupervisor = await call('POST', `/api/v1/operations/${opId}/actions`, {
        action: 'start',
        startedAt,
      });
      assert.equal(bySupervisor.statusCode, 200, bySupervisor.body);
      assert.equal((await row(opId)).started_at, startedAt);
    });

    it('refuses a start dated before the last hold recorded on the operation', async () => {
      const { opId } = await dispatchedOperation(6 * HOUR);
      for (const action of ['hold', 'unhold']) {
        const r = await call('POST', `/api/v1/operations/${opId}/actions`, {
          action,
          reason: 'tooling check',
        });
        assert.equal(r.statusCode, 200, `${action}: ${r.body}`);
      }
      const before = await row(opId);
      const early = await asOperator('POST', `/api/v1/operations/${opId}/actions`, {
        action: 'start',
        startedAt: ago(HOUR),
      });
      assert.equal(early.statusCode, 400, early.body);
      assert.equal(early.json().errors?.[0]?.code, 'START_TIME_BEFORE_LAST_EVENT', early.body);
      assert.deepEqual(await row(opId), before);
      const after = await asOperator('POST', `/api/v1/operations/${opId}/actions`, {
        action: 'start',
        startedAt: new Date().toISOString(),
      });
      assert.equal(after.statusCode, 200, after.body);
    });

    it('replays the same start for the same key and refuses the key with another start time', async () => {
      const { opId } = await dispatchedOperation(4 * HOUR);
      const body = { action: 'start', startedAt: ago(HOUR) };
      const key = { 'idempotency-key': `late-start-${opId}` };
      const first = await asOperator('POST', `/api/v1/operations/${opId}/actions`, body, key);
      assert.equal(first.statusCode, 200, first.body);
      const again = await asOperator('POST', `/api/v1/operations/${opId}/actions`, body, key);
      assert.equal(again.statusCode, 200);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.json().version, first.json().version);
      const changed = await asOperator(
        'POST',
        `/api/v1/operations/${opId}/actions`,
        { ...body, startedAt: ago(2 * HOUR) },
        key,
      );
      assert.equal(changed.statusCode, 422, changed.body);
      assert.equal(changed.json().code, 'IDEMPOTENCY_KEY_MISMATCH');
      assert.equal((await row(opId)).started_at, body.startedAt);
    });
  });
}
