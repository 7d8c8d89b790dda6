import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { Db } from '../db/database.ts';
import { TableVersions } from '../db/table-versions.ts';
import {
  ReadCache,
  registerReadCacheCompressed,
  registerReadCacheKeeper,
  registerReadCacheLookup,
} from './read-cache.ts';

type After = { after: (fn: () => Promise<void>) => void };

/**
 * An app with the read cache registered as the server registers it (keeper, compression, compressed
 * copies, lookup) around the routes `add` adds, for one caller.
 */
async function appWithCache(t: After, add: (app: FastifyInstance) => void) {
  const db = Db.open({ url: null, sqliteFile: ':memory:' });
  const cache = new ReadCache(db.versions, { ttlMs: 10_000 });
  const app = Fastify();
  app.decorateRequest('ctx', null as never);
  app.addHook('onRequest', async (request) => {
    request.ctx = { actor: { type: 'user', id: 'u1' } } as never;
  });
  registerReadCacheKeeper(app, cache);
  await app.register(compress, { threshold: 1024, syncThreshold: 8192 });
  registerReadCacheCompressed(app);
  registerReadCacheLookup(app, cache, db);
  add(app);
  await app.ready();
  t.after(async () => {
    await app.close();
    await db.close();
  });
  return { app, cache };
}

/** The read cache around one slow route and one that fails, counting the answers computed. */
async function appWithSlowRead(t: After, ms: number) {
  let computed = 0;
  const { app, cache } = await appWithCache(t, (app) => {
    app.get('/slow', { config: { readCache: true } }, async () => {
      computed++;
      await sleep(ms);
      return { n: computed };
    });
    app.get('/fails', { config: { readCache: true } }, async (_request, reply) => {
      computed++;
      await sleep(ms);
      return reply.code(503).send({ down: true });
    });
  });
  return { app, cache, computed: () => computed };
}

describe('read cache under bursts', () => {
  it('computes an answer once while identical requests for it arrive, and gives it to all of them', async (t) => {
    const { app, computed } = await appWithSlowRead(t, 50);
    const answers = await Promise.all(Array.from({ length: 6 }, () => app.inject('/slow')));
    assert.equal(computed(), 1);
    assert.deepEqual(
      answers.map((a) => a.json()),
      answers.map(() => ({ n: 1 })),
    );
    assert.deepEqual(answers.map((a) => a.headers['x-read-cache']).sort(), [
      'hit',
      'hit',
      'hit',
      'hit',
      'hit',
      'miss',
    ]);
  });

  it('lets waiting requests compute for themselves when the first answer cannot be kept', async (t) => {
    const { app, computed } = await appWithSlowRead(t, 20);
    const answers = await Promise.all(Array.from({ length: 3 }, () => app.inject('/fails')));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [503, 503, 503],
    );
    // The first computes; the other two wait for it, find nothing kept, and compute.
    assert.equal(computed(), 3);
  });

  it('keeps answers for between three quarters of the TTL and all of it, not all for the same time', () => {
    const versions = new TableVersions();
    const cache = new ReadCache(versions, { ttlMs: 10_000 });
    const remaining: number[] = [];
    for (let i = 0; i < 200; i++) {
      cache.keep(`k${i}`, {
        body: Buffer.from('{}'),
        type: 'application/json',
        tables: [],
        lookedUp: [],
        partitions: [],
        epoch: versions.epoch,
        encoded: new Map(),
      });
      remaining.push(cache.remainingMs(`k${i}`));
    }
    assert.ok(Math.min(...remaining) >= 7_400, `shortest ${Math.min(...remaining)} ms`);
    assert.ok(Math.max(...remaining) <= 10_000, `longest ${Math.max(...remaining)} ms`);
    assert.ok(Math.max(...remaining) - Math.min(...remaining) > 1_000, 'spread over more than a second');
  });

  it('compresses a kept answer once per Accept-Encoding, small or large, and sends that copy again', async (t) => {
    let computed = 0;
    const rows = (n: number) => {
      computed++;
      return Array.from({ length: n }, (_, i) => ({ i, name: `row ${i} of the list` }));
    };
    // Below and above the size up to which compression is done in one call (else as a stream).
    const { app, cache } = await appWithCache(t, (app) => {
      app.get('/small', { config: { readCache: true } }, async () => rows(60));
      app.get('/large', { config: { readCache: true } }, async () => rows(2000));
    });
    for (const url of ['/small', '/large']) {
      const plain = await app.inject(url);
      const gzip = { 'accept-encoding': 'gzip, deflate' };
      const first = await app.inject({ url, headers: gzip });
      const before = cache.stats.compressedHits;
      const again = await app.inject({ url, headers: gzip });
      assert.equal(again.headers['x-read-cache'], 'hit', url);
      assert.equal(again.headers['content-encoding'], 'gzip', url);
      assert.equal(again.headers.vary, 'accept-encoding', url);
      assert.equal(cache.stats.compressedHits, before + 1, `${url}: the kept copy was sent`);
      assert.equal(gunzipSync(again.rawPayload).toString(), plain.body, url);
      assert.equal(gunzipSync(first.rawPayload).toString(), plain.body, url);
      // Without Accept-Encoding, or refusing compression: the plain body.
      const none = await app.inject(url);
      assert.equal(none.headers['content-encoding'], undefined);
      assert.equal(none.body, plain.body);
      const refused = await app.inject({ url, headers: { ...gzip, 'x-no-compression': '1' } });
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.equal(refused.body, plain.body);
    }
    assert.equal(computed, 2, 'each answer computed once');
  });
});
