import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { raiseAlert } from '../../platform/alerts.ts';
import { systemCtx } from '../../platform/context.ts';
import { toDomainEvent } from '../../platform/events/outbox.ts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';
import { alertSubscriber } from './notify.delivery.ts';

interface Hit {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/** A chat robot stand-in on 127.0.0.1: records every request; `plan` decides the status per path. */
async function receiver(plan: (path: string, n: number) => number) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      hits.push({ path: url.pathname, query: url.searchParams, body: JSON.parse(raw || '{}') });
      const status = plan(url.pathname, hits.filter((h) => h.path === url.pathname).length);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { errcode: 0, code: 0 } : { error: 'no' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { hits, base, close: () => new Promise((r) => server.close(r)) };
}

for (const target of await testTargets()) {
  describe(`alert channels on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let rx: Awaited<ReturnType<typeof receiver>>;
    const A = '/api/v1/integration/alerts';
    const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
      const res = await call(method, url, body);
      assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
      return res.statusCode === 204 ? null : res.json();
    };
    const channel = async (name: string, kind: string, path: string, pattern: string, extra: object = {}) => {
      const ch = await ok('POST', `${A}/channels`, { name, kind, url: `${rx.base}${path}`, ...extra });
      await ok('POST', `${A}/rules`, { pattern, minSeverity: 'info', channelId: ch.id });
      return ch;
    };
    const alert = (kind: string, title: string, severity: 'info' | 'warning' | 'critical' = 'warning') =>
      h.runtime.db.transaction((tx) =>
        raiseAlert(tx, systemCtx(), { severity, kind, title, detail: '3 号机' }),
      );
    const notes = (channelId: string) =>
      h.runtime.db.kysely
        .selectFrom('notifications')
        .selectAll()
        .where('channel_id', '=', channelId)
        .execute();

    before(async () => {
      rx = await receiver((path, n) => (path === '/down' ? 500 : path === '/flaky' && n <= 2 ? 503 : 200));
      h = await startHarness(target, {
        demo: false,
        runtime: { notify: { retryBaseMs: 10, windowMs: 1500, timeoutMs: 2000 } },
      });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => {
      await h.close();
      await rx.close();
    });

    it('formats and signs each robot kind, never returns secrets, and matches kind and severity', async () => {
      const wecom = await channel('企业微信', 'wecom', '/wecom', 'fmt.*');
      const ding = await channel('钉钉', 'dingtalk', '/ding?access_token=t1', 'fmt.*', { secret: 'SECding' });
      const feishu = await channel('飞书', 'feishu', '/feishu', 'fmt.*', { secret: 'SECfeishu' });
      const hook = await channel('ERP', 'webhook', '/hook', 'fmt.check');
      assert.equal(ding.signed, true);
      assert.equal('secret' in ding, false);
      const list = await ok('GET', `${A}/channels`);
      assert.ok(!JSON.stringify(list).includes('SECding'));
      const crit = await ok('POST', `${A}/rules`, {
        pattern: 'fmt.*',
        minSeverity: 'critical',
        channelId: hook.id,
      });
      assert.equal(crit.minSeverity, 'critical');

      const alertId = await alert('fmt.check', 'Machine M-03 down', 'critical');
      await waitFor(async () => rx.hits.length >= 4, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      const at = (p: string) => rx.hits.filter((x) => x.path === p);
      assert.equal(rx.hits.length, 4, 'one message per channel even with two matching rules');

      const w = at('/wecom')[0]!.body as { msgtype: string; markdown: { content: string } };
      assert.equal(w.msgtype, 'markdown');
      assert.match(w.markdown.content, /Machine M-03 down/);

      const d = at('/ding')[0]!;
      assert.equal((d.body as { msgtype: string }).msgtype, 'markdown');
      assert.equal((d.body as { markdown: { title: string } }).markdown.title, 'Machine M-03 down');
      assert.equal(d.query.get('access_token'), 't1');
      const ts = d.query.get('timestamp')!;
      assert.ok(Math.abs(Number(ts) - Date.now()) < 60_000, 'timestamp in milliseconds');
      const want = createHmac('sha256', 'SECding').update(`${ts}\nSECding`).digest('base64');
      assert.equal(d.query.get('sign'), want);

      const f = at('/feishu')[0]!.body as {
        msg_type: string;
        content: { text: string };
        timestamp: string;
        sign: string;
      };
      assert.equal(f.msg_type, 'text');
      assert.match(f.content.text, /Machine M-03 down/);
      assert.ok(Math.abs(Number(f.timestamp) - Date.now() / 1000) < 60, 'timestamp in seconds');
      assert.equal(f.sign, createHmac('sha256', `${f.timestamp}\nSECfeishu`).update('').digest('base64'));

      const g = at('/hook')[0]!.body as { type: string; alert: { id: string; kind: string } };
      assert.equal(g.type, 'alert.raised');
      assert.equal(g.alert.id, alertId);
      assert.equal(g.alert.kind, 'fmt.check');

      for (const ch of [wecom, ding, feishu, hook]) {
        const [n] = await notes(ch.id);
        assert.equal(n?.status, 'sent');
      }
      const page = await ok('GET', `${A}/notifications?status=sent&limit=2`);
      assert.equal(page.items.length, 2);
      assert.ok(page.nextCursor);

      rx.hits.length = 0;
      await alert('fmt.quiet', 'below the minimum', 'info');
      await alert('other.kind', 'matches no rule', 'critical');
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(rx.hits.filter((x) => x.path === '/hook').length, 0, 'info is below the critical rule');
      assert.equal(rx.hits.length, 3);
    });

    it('de-duplicates a redelivered alert event: one notification and one message per channel', async () => {
      const ch = await channel('dedupe', 'webhook', '/dedupe', 'dup.*');
      await alert('dup.once', 'once');
      await waitFor(async () => (await notes(ch.id))[0]?.status === 'sent', 10_000);
      const row = await h.runtime.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('type', '=', 'alert.raised')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      const event = toDomainEvent({ ...row, seq: Number(row.seq) });
      await alertSubscriber(h.runtime.db)(event);
      await alertSubscriber(h.runtime.db)(event);
      await new Promise((r) => setTimeout(r, 800));
      assert.equal((await notes(ch.id)).length, 1);
      assert.equal(rx.hits.filter((x) => x.path === '/dedupe').length, 1);
    });

    it('retries a failing channel up to three times and leaves a visible failed state', async () => {
      const flaky = await channel('flaky', 'wecom', '/flaky', 'retry.*');
      const down = await channel('down', 'dingtalk', '/down', 'retry.*');
      await alert('retry.me', 'retry me');
      await waitFor(async () => (await notes(down.id))[0]?.status === 'failed', 15_000);
      await waitFor(async () => (await notes(flaky.id))[0]?.status === 'sent', 15_000);
      const [f] = await notes(flaky.id);
      assert.equal(f!.attempts, 3);
      const [d] = await notes(down.id);
      assert.equal(d!.attempts, 4);
      assert.equal(d!.last_error, 'channel answered 500');
      assert.equal(rx.hits.filter((x) => x.path === '/down').length, 4);
      const failed = await ok('GET', `${A}/notifications?status=failed&channelId=${down.id}`);
      assert.equal(failed.items.length, 1);
    });

    it('holds alerts beyond the rate limit and sends one summary when the window allows', async () => {
      const ch = await channel('flapping', 'feishu', '/rate', 'flap.*', { ratePerMinute: 2 });
      for (let i = 1; i <= 5; i++) await alert('flap.down', `M-07 down ${i}`);
      await waitFor(
        async () => (await notes(ch.id)).filter((n) => n.status === 'suppressed').length === 3,
        10_000,
      );
      // The two alerts within the limit are sent by the delivery loop, possibly after the others are held.
      await waitFor(async () => rx.hits.filter((x) => x.path === '/rate').length >= 2, 10_000);
      assert.equal(rx.hits.filter((x) => x.path === '/rate').length, 2);
      const summary = await waitFor(
        async () => (await notes(ch.id)).find((n) => n.summary_of !== null && n.status === 'sent'),
        10_000,
      );
      assert.equal(summary.summary_of, 3);
      assert.equal(summary.title, '3 more alerts');
      const texts = rx.hits
        .filter((x) => x.path === '/rate')
        .map((x) => (x.body as { content: { text: string } }).content.text);
      assert.equal(texts.length, 3);
      assert.match(texts[2]!, /3 more alerts/);
      const all = await notes(ch.id);
      assert.equal(all.filter((n) => n.status === 'summarised').length, 3);
    });

    it('sends a test message on demand and records it; CRUD is audited', async () => {
      const ch = await ok('POST', `${A}/channels`, {
        name: 'test-ch',
        kind: 'webhook',
        url: `${rx.base}/probe`,
      });
      const sent = await ok('POST', `${A}/channels/${ch.id}/test`);
      assert.equal(sent.status, 'sent');
      assert.equal(rx.hits.filter((x) => x.path === '/probe').length, 1);
      const broken = await ok('PATCH', `${A}/channels/${ch.id}`, {
        version: ch.version,
        url: `${rx.base}/down`,
      });
      const failed = await ok('POST', `${A}/channels/${broken.id}/test`);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.lastError, 'channel answered 500');
      const stale = await call('PATCH', `${A}/channels/${ch.id}`, { version: ch.version, name: 'x' });
      assert.equal(stale.statusCode, 409);
      const rule = await ok('POST', `${A}/rules`, { pattern: 'exception.*', channelId: ch.id });
      assert.equal(rule.minSeverity, 'warning');
      const moved = await ok('PATCH', `${A}/rules/${rule.id}`, {
        version: rule.version,
        minSeverity: 'critical',
      });
      assert.equal(moved.minSeverity, 'critical');
      await ok('DELETE', `${A}/rules/${rule.id}`);
      await ok('DELETE', `${A}/channels/${ch.id}`);
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', 'in', [ch.id, rule.id])
        .execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), [
        'create',
        'create',
        'delete',
        'delete',
        'test',
        'test',
        'update',
        'update',
      ]);
      const bad = await call('POST', `${A}/channels`, { name: 'no-url', kind: 'wecom' });
      assert.equal(bad.statusCode, 400);
    });
  });
}
