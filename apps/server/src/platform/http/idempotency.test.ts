import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import {
  ADMIN_PASSWORD,
  api,
  type Harness,
  type Session,
  signIn,
  startHarness,
} from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`idempotency keys and the business transaction on ${target.name}`, () => {
    let h: Harness;
    let admin: Session;
    let call: ReturnType<typeof api>;
    before(async () => {
      h = await startHarness(target, { demo: true });
      admin = await signIn(h.runtime, 'admin', ADMIN_PASSWORD);
      call = api(h.runtime, admin);
    });
    after(async () => h.close());

    const keyRow = (key: string) =>
      h.runtime.db.kysely
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
    const items = async (code: string) =>
      (await h.runtime.db.kysely.selectFrom('items').select('id').where('code', '=', code).execute()).length;

    it('stamps the key inside the transaction that wrote, and not for a refusal', async () => {
      const made = await call(
        'POST',
        '/api/v1/items',
        { code: 'IDK-0001', name: 'a', type: 'raw', uom: 'pcs' },
        { 'idempotency-key': 'idk-commit-0001' },
      );
      assert.equal(made.statusCode, 201);
      const row = await keyRow('idk-commit-0001');
      assert.equal(row.state, 'done');
      assert.ok(row.committed_at, 'committed with the item');
      const item = await h.runtime.db.kysely
        .selectFrom('items')
        .select('created_at')
        .where('code', '=', 'IDK-0001')
        .executeTakeFirstOrThrow();
      assert.ok(row.committed_at! >= item.created_at);

      const refused = await call(
        'POST',
        '/api/v1/items',
        { code: 'FG-100100', name: 'dup', type: 'raw', uom: 'pcs' },
        { 'idempotency-key': 'idk-commit-0002' },
      );
      assert.equal(refused.statusCode, 409);
      assert.equal((await keyRow('idk-commit-0002')).committed_at, null);
    });

    it('never runs a request again whose write committed but whose response was lost', async () => {
      const body = { code: 'IDK-0003', name: 'b', type: 'raw', uom: 'pcs' };
      const headers = { 'idempotency-key': 'idk-crash-0003' };
      assert.equal((await call('POST', '/api/v1/items', body, headers)).statusCode, 201);
      // As if the process had died after the commit, before the response was stored.
      await h.runtime.db.kysely
        .updateTable('idempotency_keys')
        .set({
          state: 'in_flight',
          response_status: null,
          response_body: null,
          locked_until: new Date(Date.now() - 1000).toISOString(),
        })
        .where('key', '=', 'idk-crash-0003')
        .execute();
      const retry = await call('POST', '/api/v1/items', body, headers);
      assert.equal(retry.statusCode, 409);
      assert.equal(retry.json().code, 'IDEMPOTENCY_RESPONSE_LOST');
      assert.equal(await items('IDK-0003'), 1);
    });

    it('takes over an abandoned claim that wrote nothing', async () => {
      const body = { code: 'IDK-0004', name: 'c', type: 'raw', uom: 'pcs' };
      const fingerprint = createHash('sha256')
        .update(`POST /api/v1/items\n${JSON.stringify(body)}`)
        .digest('base64url');
      // A claim whose process died before it wrote anything.
      await h.runtime.db.kysely
        .insertInto('idempotency_keys')
        .values({
          scope: (await keyRow('idk-commit-0001')).scope,
          key: 'idk-crash-0004',
          fingerprint,
          state: 'in_flight',
          locked_until: new Date(Date.now() - 1000).toISOString(),
          response_status: null,
          response_type: null,
          response_location: null,
          response_body: null,
          created_at: new Date().toISOString(),
          committed_at: null,
        })
        .execute();
      const res = await call('POST', '/api/v1/items', body, { 'idempotency-key': 'idk-crash-0004' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(await items('IDK-0004'), 1);
      assert.equal((await keyRow('idk-crash-0004')).state, 'done');
    });

    it('fingerprints an uploaded file by its bytes', async () => {
      const upload = (csv: string, key: string) =>
        h.runtime.app.inject({
          method: 'POST',
          url: '/api/v1/items/import?dryRun=true',
          payload: csv,
          headers: {
            cookie: admin.cookie,
            'x-csrf-token': admin.csrf,
            'content-type': 'text/csv',
            'idempotency-key': key,
          },
        });
      const a = 'code,name,type,uom\nIMP-IDK-1,one,raw,pcs\n';
      const b = 'code,name,type,uom\nIMP-IDK-2,two,raw,pcs\n';
      const first = await upload(a, 'idk-upload-0001');
      assert.ok(first.statusCode < 500, first.body);
      const same = await upload(a, 'idk-upload-0001');
      assert.equal(same.headers['idempotent-replayed'], 'true');
      assert.equal(same.body, first.body);
      const other = await upload(b, 'idk-upload-0001');
      assert.equal(other.statusCode, 422, other.body);
      assert.equal(other.json().code, 'IDEMPOTENCY_KEY_MISMATCH');
    });
  });
}
