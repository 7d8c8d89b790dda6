import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { adminApi, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`idempotency keys and the change feed on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    before(async () => {
      h = await startHarness(target, { demo: true });
      call = await adminApi(h.runtime);
    });
    after(async () => h.close());

    const countCode = async (code: string) =>
      Number(
        (
          await h.runtime.db.kysely
            .selectFrom('items')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('code', '=', code)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('creates exactly one record from 50 concurrent identical POSTs with one key', async () => {
      const body = { code: 'IDEM-0001', name: '幂等', type: 'raw', uom: 'pcs' };
      const headers = { 'idempotency-key': 'erp-sync-7f3a-0001' };
      const results = await Promise.all(
        Array.from({ length: 50 }, () => call('POST', '/api/v1/items', body, headers)),
      );
      assert.equal(await countCode('IDEM-0001'), 1);
      const created = results.filter((r) => r.statusCode === 201);
      const busy = results.filter((r) => r.statusCode === 409);
      assert.equal(created.length + busy.length, 50, results.map((r) => r.statusCode).join(','));
      assert.ok(created.length >= 1);
      for (const r of busy) assert.equal(r.json().code, 'IDEMPOTENCY_IN_FLIGHT');
      assert.equal(new Set(created.map((r) => r.json().id)).size, 1, 'every 201 is the same stored response');
      const replay = await call('POST', '/api/v1/items', body, headers);
      assert.equal(replay.statusCode, 201);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.json().id, created[0]!.json().id);
      assert.equal(replay.headers.location, created[0]!.headers.location);
    });

    it('refuses the same key with a different body with 422 and writes nothing', async () => {
      const headers = { 'idempotency-key': 'erp-sync-7f3a-0002' };
      assert.equal(
        (
          await call(
            'POST',
            '/api/v1/items',
            { code: 'IDEM-0002', name: 'a', type: 'raw', uom: 'pcs' },
            headers,
          )
        ).statusCode,
        201,
      );
      const other = await call(
        'POST',
        '/api/v1/items',
        { code: 'IDEM-0003', name: 'b', type: 'raw', uom: 'pcs' },
        headers,
      );
      assert.equal(other.statusCode, 422);
      assert.equal(other.json().code, 'IDEMPOTENCY_KEY_MISMATCH');
      assert.equal(await countCode('IDEM-0003'), 0);
    });

    it('replays a stored refusal too, and keeps keys apart per caller', async () => {
      const headers = { 'idempotency-key': 'erp-sync-7f3a-0004' };
      const dup = { code: 'FG-100100', name: 'dup', type: 'finished', uom: 'pcs' };
      const first = await call('POST', '/api/v1/items', dup, headers);
      assert.equal(first.statusCode, 409);
      const again = await call('POST', '/api/v1/items', dup, headers);
      assert.equal(again.statusCode, 409);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      const planner = api(h.runtime, await signIn(h.runtime, 'planner', 'takt-demo'));
      const theirs = await planner('POST', '/api/v1/work-orders', { itemId: 'none', qty: '1' }, headers);
      assert.notEqual(theirs.headers['idempotent-replayed'], 'true');
    });

    it('refuses a malformed key', async () => {
      const res = await call(
        'POST',
        '/api/v1/items',
        { code: 'IDEM-9', name: 'x', type: 'raw', uom: 'pcs' },
        { 'idempotency-key': 'short' },
      );
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/headers/idempotency-key');
    });

    it('lists every event in order from any point, filtered by type', async () => {
      if (target.name === 'postgres') {
        await h.runtime.db.kysely
          .updateTable('outbox')
          .set({ occurred_at: new Date(Date.now() - 60_000).toISOString() })
          .execute();
      }
      const all: { seq: number; type: string }[] = [];
      let afterSeq = 0;
      for (;;) {
        const page = (await call('GET', `/api/v1/changes?after=${afterSeq}&limit=25`)).json();
        all.push(...page.items);
        afterSeq = page.next;
        if (!page.more) break;
      }
      const total = Number(
        (
          await h.runtime.db.kysely
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      assert.equal(all.length, total);
      for (let i = 1; i < all.length; i++) assert.ok(all[i]!.seq > all[i - 1]!.seq);
      const items = (await call('GET', '/api/v1/changes?types=item.&limit=1000')).json();
      assert.ok(items.items.length > 0);
      assert.ok(items.items.every((e: { type: string }) => e.type.startsWith('item.')));
    });
  });
}
