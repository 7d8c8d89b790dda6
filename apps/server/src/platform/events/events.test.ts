import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '@takt/contracts';
import { pino } from 'pino';
import { redisUrlIfReachable, testTargets } from '../../testing/databases.ts';
import { createRuntime } from '../../runtime.ts';
import {
  ADMIN_PASSWORD,
  type Harness,
  type Session,
  api,
  signIn,
  startHarness,
  testConfig,
  waitFor,
} from '../../testing/harness.ts';
import { LocalBus } from './bus.ts';
import { OutboxDispatcher } from './dispatcher.ts';
import { appendEvent } from './outbox.ts';

/** Reads SSE frames from a streaming fetch response. */
async function* sseFrames(res: Response): AsyncGenerator<{ id?: string; event?: string; data?: string }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const frame: { id?: string; event?: string; data?: string } = {};
      for (const line of block.split('\n')) {
        const i = line.indexOf(': ');
        if (line.startsWith(':') || i < 0) continue;
        const k = line.slice(0, i) as 'id' | 'event' | 'data';
        frame[k] = line.slice(i + 2);
      }
      if (frame.event || frame.data) yield frame;
      cut = buffer.indexOf('\n\n');
    }
  }
}

for (const target of await testTargets()) {
  describe(`outbox and live events on ${target.name}`, () => {
    let h: Harness;
    let admin: Session;
    let base: string;
    before(async () => {
      h = await startHarness(target, { demo: false });
      admin = await signIn(h.runtime, 'admin', ADMIN_PASSWORD);
      base = await h.runtime.app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => h.close());

    it('delivers events in sequence order, at least once, holding back the rest while a subscriber fails', async () => {
      const db = h.runtime.db;
      const bus = new LocalBus();
      const dispatcher = new OutboxDispatcher(db, bus, pino({ level: 'silent' }), {
        holder: 'test-dispatcher',
        pollMs: 20,
      });
      // The runtime's own dispatcher would race this one for the lease: stop it for this test.
      await h.runtime.dispatcher.stop();
      await db.kysely.updateTable('outbox').set({ dispatched_at: new Date().toISOString() }).execute();
      await db.kysely.deleteFrom('leases').execute();
      const seen: string[] = [];
      let failuresLeft = 2;
      dispatcher.subscribe('recorder', 'test.*', async (e) => {
        const n = (e.data as { n: number }).n;
        if (n === 3 && failuresLeft > 0) {
          failuresLeft--;
          throw new Error('subscriber temporarily down');
        }
        seen.push(`${e.aggregateId}:${n}`);
      });
      for (let n = 1; n <= 6; n++) {
        await db.transaction((tx) =>
          appendEvent(tx, null, {
            type: 'test.happened',
            aggregateType: 'test',
            aggregateId: n % 2 ? 'A' : 'B',
            data: { n },
          }),
        );
      }
      dispatcher.start();
      await waitFor(async () => seen.length >= 6, 8000);
      await dispatcher.stop();
      // Events 1 and 2 were delivered once before the failure; 3 was retried until it went through,
      // and 4–6 waited for it.
      assert.deepEqual(seen, ['A:1', 'B:2', 'A:3', 'B:4', 'A:5', 'B:6']);
      const pending = await db.kysely
        .selectFrom('outbox')
        .select('seq')
        .where('dispatched_at', 'is', null)
        .execute();
      assert.equal(pending.length, 0);
      h.runtime.dispatcher.start();
    });

    it('keeps a standby dispatcher quiet while another process holds the lease', async () => {
      const db = h.runtime.db;
      const standby = new OutboxDispatcher(db, new LocalBus(), pino({ level: 'silent' }), {
        holder: 'standby',
        pollMs: 20,
      });
      // The runtime's dispatcher holds the lease; make sure it has taken it.
      await waitFor(
        async () =>
          (await db.kysely.selectFrom('leases').selectAll().executeTakeFirst())?.holder !== undefined,
      );
      let leaseQueries = 0;
      const off = db.observe((e) => {
        if (e.query.sql.includes('"leases"') || e.query.sql.includes('leases')) leaseQueries++;
      });
      standby.start();
      for (let n = 0; n < 20; n++) {
        await db.transaction((tx) =>
          appendEvent(tx, null, { type: 'test.noise', aggregateType: 'test', aggregateId: 'N', data: { n } }),
        );
        standby.wake();
      }
      await new Promise((r) => setTimeout(r, 300));
      await standby.stop();
      off();
      assert.ok(leaseQueries <= 3, `standby tried the lease ${leaseQueries} times`);
    });

    it('pushes a committed change to an SSE client filtered by topic, and replays what a reconnecting client missed', async () => {
      const controller = new AbortController();
      const res = await fetch(`${base}/api/v1/events?topics=item`, {
        headers: { cookie: admin.cookie },
        signal: controller.signal,
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const frames = sseFrames(res);
      const first = await frames.next();
      assert.equal(first.value?.event, 'ready');

      const call = api(h.runtime, admin);
      // A job event must not reach a client that asked for items only.
      await h.runtime.db.transaction((tx) =>
        appendEvent(tx, null, { type: 'job.dead', aggregateType: 'job', aggregateId: 'j1', data: {} }),
      );
      const created = (
        await call('POST', '/api/v1/items', { code: 'SSE-0001', name: 'live', type: 'raw', uom: 'pcs' })
      ).json();
      const next = await frames.next();
      assert.equal(next.value?.event, 'item.created');
      const event = JSON.parse(next.value!.data!) as DomainEvent;
      assert.equal(event.aggregateId, created.id);
      assert.equal(String(event.seq), next.value?.id);
      controller.abort();

      // Reconnect with Last-Event-ID from before the item: the missed event is replayed.
      await call('PATCH', `/api/v1/items/${created.id}`, { version: 1, name: 'live 2' });
      await waitFor(async () => {
        const r = await h.runtime.db.kysely
          .selectFrom('outbox')
          .select('seq')
          .where('dispatched_at', 'is', null)
          .execute();
        return r.length === 0;
      });
      const c2 = new AbortController();
      const res2 = await fetch(`${base}/api/v1/events?topics=item`, {
        headers: { cookie: admin.cookie, 'last-event-id': String(event.seq) },
        signal: c2.signal,
      });
      const f2 = sseFrames(res2);
      const replayed = await f2.next();
      assert.equal(replayed.value?.event, 'item.updated');
      c2.abort();
    });

    it('sends a burst of events to each stream in order, and closes a stream whose client stopped reading', async () => {
      const event = (seq: number, type: string, data: unknown): DomainEvent => ({
        id: `e-${seq}`,
        seq,
        type,
        aggregateType: type.split('.')[0]!,
        aggregateId: `a-${seq}`,
        occurredAt: new Date().toISOString(),
        data,
      });
      const open = async (topics: string) => {
        const controller = new AbortController();
        const res = await fetch(`${base}/api/v1/events${topics}`, {
          headers: { cookie: admin.cookie },
          signal: controller.signal,
        });
        assert.equal(res.status, 200);
        const frames = sseFrames(res);
        assert.equal((await frames.next()).value?.event, 'ready');
        return { frames, controller };
      };
      const reading = await open('?topics=item');
      const stalled = await open('');
      try {
        // One turn of the event loop: three item events and one of another topic.
        const bus = h.runtime.bus;
        await Promise.all([
          bus.publish(event(900_001, 'item.created', { n: 1 })),
          bus.publish(event(900_002, 'job.dead', {})),
          bus.publish(event(900_003, 'item.updated', { n: 2 })),
          bus.publish(event(900_004, 'item.updated', { n: 3 })),
        ]);
        const got: string[] = [];
        for (let i = 0; i < 3; i++) got.push((await reading.frames.next()).value!.id!);
        assert.deepEqual(got, ['900001', '900003', '900004']);

        // The stalled client reads nothing more while big events pile up for it (none reach the
        // item-only stream): once more than the limit waits, the server closes its stream.
        const big = 'x'.repeat(100_000);
        for (let i = 0; i < 400; i++) {
          await bus.publish(event(910_000 + i, 'job.dead', { big }));
          await new Promise((r) => setImmediate(r));
        }
        let ended = false;
        try {
          for await (const f of stalled.frames) if (f.event === 'never') break;
          ended = true;
        } catch {
          ended = true;
        }
        assert.ok(ended);
        // The reading stream goes on.
        await bus.publish(event(920_000, 'item.created', { n: 4 }));
        assert.equal((await reading.frames.next()).value?.id, '920000');
      } finally {
        reading.controller.abort();
        stalled.controller.abort();
      }
    });

    it('refuses the event stream without a session', async () => {
      const res = await fetch(`${base}/api/v1/events`);
      assert.equal(res.status, 401);
      await res.body?.cancel();
    });
  });
}

describe('live events across processes through Redis', async () => {
  const targets = await testTargets();
  const pgTarget = targets.find((t) => t.name === 'postgres');
  const redisUrl = await redisUrlIfReachable();
  it('delivers an event committed through one API process to an SSE client of another', {
    skip: !pgTarget || !redisUrl,
  }, async (t) => {
    const database = await pgTarget!.create();
    const config = testConfig(database, { redisUrl, demo: false });
    const a = await createRuntime(config, { log: pino({ level: 'silent' }) });
    const b = await createRuntime(
      { ...config, role: 'api' },
      { log: pino({ level: 'silent' }), bootstrap: false },
    );
    const controller = new AbortController();
    // One hook, in order: hang up the stream, stop both processes, then drop their database.
    t.after(async () => {
      controller.abort();
      await b.close();
      await a.close();
      await database.drop();
    });
    a.start();
    b.start();
    const baseB = await b.app.listen({ port: 0, host: '127.0.0.1' });
    const session = await signIn(a, 'admin', ADMIN_PASSWORD);
    const res = await fetch(`${baseB}/api/v1/events?topics=item`, {
      headers: { cookie: session.cookie },
      signal: controller.signal,
    });
    const frames = sseFrames(res);
    assert.equal((await frames.next()).value?.event, 'ready');
    const created = await api(a, session)('POST', '/api/v1/items', {
      code: 'REDIS-1',
      name: 'fan-out',
      type: 'raw',
      uom: 'pcs',
    });
    assert.equal(created.statusCode, 201);
    const next = await frames.next();
    assert.equal(next.value?.event, 'item.created');
    assert.equal((JSON.parse(next.value!.data!) as DomainEvent).aggregateId, created.json().id);
  });
});
