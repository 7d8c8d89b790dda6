import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { createItem, getItem, updateItem } from '../../modules/items/item.service.ts';
import * as itemRepo from '../../modules/items/item.repo.ts';
import { createRole, updateRole } from '../../modules/identity/role.service.ts';
import { getSettings, updateSettings } from '../../modules/identity/settings.service.ts';
import { createRuntime } from '../../runtime.ts';
import { redisUrlIfReachable, testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness, testConfig } from '../../testing/harness.ts';
import { permissionsFor, requireAdminTotp } from '../auth/access.ts';
import { SESSION_CACHE_MS } from '../auth/sessions.ts';
import { systemCtx } from '../context.ts';
import { cacheOf } from './cache.ts';

const ctx = systemCtx();

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const target of await testTargets()) {
  describe(`master-data cache on ${target.name}`, () => {
    it('serves repeated reads from the cache and drops an entry when its write commits', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      const cache = cacheOf(db);
      const item = await createItem(db, ctx, { code: 'CACHE-1', name: 'first', type: 'raw', uom: 'pcs' });

      await getItem(db, item.id);
      const before = cache.stats();
      assert.equal((await getItem(db, item.id)).name, 'first');
      assert.equal(cache.stats().hits, before.hits + 1, 'the second read is a hit');

      // A returned value is a copy: changing it changes nothing cached.
      (await getItem(db, item.id)).conversions.push({ from: 'x', to: 'y', num: 1, den: 1 });
      assert.deepEqual((await getItem(db, item.id)).conversions, []);

      const updated = await updateItem(db, ctx, item.id, { name: 'second', version: item.version });
      assert.equal((await getItem(db, item.id)).name, 'second');

      // A write that rolls back invalidates nothing and leaves the committed value in place.
      const invalidations = cache.stats().invalidations;
      await assert.rejects(
        db.transaction(async (tx) => {
          await itemRepo.updateItem(tx, item.id, updated.version, { name: 'rolled back' });
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(cache.stats().invalidations, invalidations);
      assert.equal((await getItem(db, item.id)).name, 'second');
    });

    it('never keeps a value loaded before a commit that invalidated it', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      const cache = cacheOf(db);
      const item = await createItem(db, ctx, { code: 'CACHE-2', name: 'old', type: 'raw', uom: 'pcs' });

      // A reader loads the old row, a writer commits and invalidates, then the reader finishes.
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const slowRead = cache.get(db, 'items', item.id, async () => {
        const row = await itemRepo.findItem(db.kysely, item.id);
        await gate;
        return { ...row, name: row?.name };
      });
      await updateItem(db, ctx, item.id, { name: 'new', version: item.version });
      release();
      assert.equal((await slowRead).name, 'old', 'the overlapping read returns what it read');
      assert.equal((await getItem(db, item.id)).name, 'new', 'but it was not cached');
    });

    it('loads only the missing keys of a batch and drops rows by table name after commit', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      const cache = cacheOf(db);
      const loads: string[][] = [];
      const load = async (keys: readonly string[]) => {
        loads.push([...keys]);
        return new Map(keys.filter((k) => k !== 'gone').map((k) => [k, { id: k }]));
      };
      await cache.getMany(db, 'machines', ['a', 'b'], load);
      const got = await cache.getMany(db, 'machines', ['a', 'b', 'c', 'gone', 'a'], load);
      assert.deepEqual([...got.keys()].sort(), ['a', 'b', 'c']);
      assert.deepEqual(loads, [
        ['a', 'b'],
        ['c', 'gone'],
      ]);

      await assert.rejects(
        db.transaction(async (tx) => {
          cache.invalidateRows(tx, 'machines', ['a']);
          throw new Error('abort');
        }),
        /abort/,
      );
      await db.transaction(async (tx) => cache.invalidateRows(tx, 'machines', ['b']));
      await cache.getMany(db, 'machines', ['a', 'b'], load);
      assert.deepEqual(loads.at(-1), ['b'], 'only the committed invalidation dropped a row');

      const invalidations = cache.stats().invalidations;
      cache.invalidateRows(db, 'stock_moves');
      assert.equal(cache.stats().invalidations, invalidations, 'a table the cache does not hold');
      cache.invalidateRows(db, 'machines');
      await cache.getMany(db, 'machines', ['a', 'b', 'c'], load);
      assert.deepEqual(loads.at(-1), ['a', 'b', 'c']);
    });

    it('drops settings and custom-role permissions on change', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      assert.equal(await requireAdminTotp(db.kysely), false);
      const settings = await getSettings(db);
      assert.deepEqual(await getSettings(db), settings);
      await updateSettings(db, ctx, { requireAdminTotp: true, version: settings.version });
      assert.equal(await requireAdminTotp(db.kysely), true);
      assert.deepEqual(await getSettings(db), { requireAdminTotp: true, version: settings.version + 1 });

      const role = (await createRole(db, ctx, { name: 'inspector', permissions: ['quality:read'] })) as {
        id: string;
        version: number;
      };
      assert.deepEqual([...(await permissionsFor(db.kysely, ['inspector']))], ['quality:read']);
      await updateRole(db, ctx, role.id, {
        version: role.version,
        permissions: ['quality:read', 'quality:approve'],
      });
      assert.deepEqual([...(await permissionsFor(db.kysely, ['inspector']))].sort(), [
        'quality:approve',
        'quality:read',
      ]);
    });
  });
}

const postgres = (await testTargets()).find((t) => t.name === 'postgres');
const redisUrl = await redisUrlIfReachable();

describe('master-data cache across processes', () => {
  it('an update committed by one runtime drops the entry in another through Redis', {
    skip: !postgres || !redisUrl ? 'PostgreSQL and Redis are needed' : false,
  }, async (t) => {
    const database = await postgres!.create();
    const config = testConfig(database, { demo: false, redisUrl });
    const a = await createRuntime(config, { log: pino({ level: 'silent' }) });
    const b = await createRuntime(config, { log: pino({ level: 'silent' }), bootstrap: false });
    t.after(async () => {
      await a.close();
      await b.close();
      await database.drop();
    });
    assert.equal(cacheOf(a.db).stats().shared, true);
    const item = await createItem(a.db, ctx, { code: 'CACHE-X', name: 'one', type: 'raw', uom: 'pcs' });
    assert.equal((await getItem(a.db, item.id)).name, 'one');
    assert.equal((await getItem(a.db, item.id)).name, 'one');

    await updateItem(b.db, ctx, item.id, { name: 'two', version: item.version });
    await until('runtime A to drop the entry', async () =>
      (await getItem(a.db, item.id)).name === 'two' ? true : undefined,
    );
    assert.ok(cacheOf(a.db).stats().invalidations > 0);
  });

  for (const shared of [true, false]) {
    it(`a sign-out in one runtime refuses the session in another ${shared ? 'at once through Redis' : 'within the session cache time without Redis'}`, {
      skip: !postgres || (shared && !redisUrl) ? 'PostgreSQL (and Redis) are needed' : false,
    }, async (t) => {
      const database = await postgres!.create();
      const config = testConfig(database, { demo: false, redisUrl: shared ? redisUrl : null });
      const a = await createRuntime(config, { log: pino({ level: 'silent' }) });
      const b = await createRuntime(config, { log: pino({ level: 'silent' }), bootstrap: false });
      t.after(async () => {
        await a.close();
        await b.close();
        await database.drop();
      });
      const session = await signIn(a, 'admin', ADMIN_PASSWORD);
      const status = async () => (await api(b, session)('GET', '/api/v1/items?limit=1')).statusCode;
      assert.equal(await status(), 200);
      const hits = cacheOf(b.db).stats().hits;
      assert.equal(await status(), 200);
      assert.ok(cacheOf(b.db).stats().hits > hits, 'runtime B serves the session from memory');

      assert.equal((await api(a, session)('POST', '/api/v1/auth/logout')).statusCode, 204);
      const ended = Date.now();
      await until(
        'runtime B to refuse the session',
        async () => ((await status()) === 401 ? true : undefined),
        SESSION_CACHE_MS + 2000,
      );
      const took = Date.now() - ended;
      assert.ok(took <= SESSION_CACHE_MS + 1000, `refused after ${took} ms`);
      if (shared) assert.ok(took < SESSION_CACHE_MS, `Redis carried the sign-out (${took} ms)`);
    });
  }
});
