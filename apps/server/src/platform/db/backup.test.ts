import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Db } from './database.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness } from '../../testing/harness.ts';

const sqlite = {
  name: 'sqlite' as const,
  async create() {
    const dataDir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'takt-backup-'));
    return {
      name: 'sqlite' as const,
      url: null,
      dataDir,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  },
};

describe('SQLite online backup', () => {
  it('copies a consistent database while writes continue', async (t) => {
    const h = await startHarness(sqlite, { demo: true });
    t.after(() => h.close());
    const admin = await signIn(h.runtime, 'admin', ADMIN_PASSWORD);
    const call = api(h.runtime, admin);
    let stop = false;
    const writes = (async () => {
      for (let i = 0; !stop; i++)
        await call('POST', '/api/v1/items', { code: `BK-${i}`, name: 'b', type: 'raw', uom: 'pcs' });
    })();
    await new Promise((r) => setTimeout(r, 100));
    const file = path.join(h.database.dataDir, 'copy', 'takt-backup.db');
    await h.runtime.db.backup(file);
    stop = true;
    await writes;

    const copy = Db.open({ url: null, sqliteFile: file });
    try {
      const { sql } = await import('kysely');
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(copy.kysely);
      assert.equal(check.rows[0]?.integrity_check, 'ok');
      assert.deepEqual(await copy.pendingMigrations(), []);
      const items = await copy.kysely.selectFrom('items').select('id').execute();
      const audits = await copy.kysely
        .selectFrom('audit_log')
        .select('id')
        .where('entity_type', '=', 'item')
        .execute();
      assert.ok(items.length >= 40);
      assert.equal(audits.length, items.length, 'the copy holds whole transactions only');
    } finally {
      await copy.close();
    }
  });
});
