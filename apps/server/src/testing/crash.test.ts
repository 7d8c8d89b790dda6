import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Db } from '../platform/db/database.ts';
import { testTargets } from './databases.ts';
import { startServerProcess, stopProcess } from './process.ts';
import path from 'node:path';

const PASSWORD = 'crash-test-admin';

async function login(base: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

for (const target of await testTargets()) {
  describe(`crash safety on ${target.name}`, () => {
    it('keeps every acknowledged write and no partial one after SIGKILL during a burst', async (t) => {
      const database = await target.create();
      t.after(() => database.drop());
      const env = {
        TAKT_DATA_DIR: database.dataDir,
        TAKT_ADMIN_PASSWORD: PASSWORD,
        TAKT_DEMO: '0',
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      };
      const first = await startServerProcess(env);
      t.after(() => stopProcess(first.child, 'SIGKILL'));
      const session = await login(first.base);

      const acknowledged: string[] = [];
      let attempted = 0;
      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const code = `CRASH-${w}-${i}`;
          attempted++;
          try {
            const res = await fetch(`${first.base}/api/v1/items`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                cookie: session.cookie,
                'x-csrf-token': session.csrf,
              },
              body: JSON.stringify({
                code,
                name: `crash ${w}/${i}`,
                type: 'raw',
                uom: 'pcs',
                safetyStock: '1.5',
              }),
            });
            if (res.status === 201) acknowledged.push(code);
            await res.body?.cancel();
          } catch {
            return; // connection died with the server
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 700));
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      stop = true;
      await Promise.all(writers);
      assert.ok(acknowledged.length > 20, `only ${acknowledged.length} writes acknowledged before the kill`);

      const second = await startServerProcess(env);
      t.after(() => stopProcess(second.child));
      await stopProcess(second.child);

      const db = Db.open({ url: database.url, sqliteFile: path.join(database.dataDir, 'takt.db') });
      try {
        const rows = await db.kysely
          .selectFrom('items')
          .select(['id', 'code', 'safety_stock'])
          .where('code', 'like', 'CRASH-%')
          .execute();
        const stored = new Set(rows.map((r) => r.code));
        const lost = acknowledged.filter((c) => !stored.has(c));
        assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost`);
        assert.ok(rows.length <= attempted);
        // No partial write: each stored item has its audit entry and its event, and exact values.
        const audits = await db.kysely
          .selectFrom('audit_log')
          .select('entity_id')
          .where('entity_type', '=', 'item')
          .execute();
        const events = await db.kysely
          .selectFrom('outbox')
          .select('aggregate_id')
          .where('type', '=', 'item.created')
          .execute();
        const audited = new Set(audits.map((a) => a.entity_id));
        const evented = new Set(events.map((e) => e.aggregate_id));
        for (const r of rows) {
          assert.ok(audited.has(r.id), `item ${r.code} has no audit entry`);
          assert.ok(evented.has(r.id), `item ${r.code} has no event`);
          assert.equal(Number(r.safety_stock), 1500);
        }
        assert.equal(audits.length, rows.length);
        assert.equal(events.length, rows.length);
        if (db.dialect === 'sqlite') {
          const { sql } = await import('kysely');
          const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db.kysely);
          assert.equal(check.rows[0]?.integrity_check, 'ok');
        }
      } finally {
        await db.close();
      }
    });
  });
}
