import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { raiseAlert } from '../../platform/alerts.ts';
import { systemCtx } from '../../platform/context.ts';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness, waitFor } from '../../testing/harness.ts';

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on 127.0.0.1 that wants a login; `refuse` makes it turn every message away. */
async function smtp(refuse: boolean) {
  const mails: Mail[] = [];
  const logins: { user: string; pass: string }[] = [];
  let tries = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, done) {
      logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
      if (auth.username === 'alerts' && auth.password === 'S3cret-smtp') done(null, { user: 'alerts' });
      else done(new Error('Invalid username or password'));
    },
    onData(stream, session, done) {
      tries++;
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      stream.on('end', () => {
        if (refuse) {
          const err = new Error('Mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 451;
          done(err);
          return;
        }
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    mails,
    logins,
    port,
    tries: () => tries,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

for (const target of await testTargets()) {
  describe(`email alert channel on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let good: Awaited<ReturnType<typeof smtp>>;
    let bad: Awaited<ReturnType<typeof smtp>>;
    const A = '/api/v1/integration/alerts';
    const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
      const res = await call(method, url, body);
      assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
      return res.statusCode === 204 ? null : res.json();
    };
    const settings = (port: number) => ({
      host: '127.0.0.1',
      port,
      security: 'none',
      user: 'alerts',
      from: 'takt@plant.example',
      to: ['shift-lead@plant.example', 'maintenance@plant.example'],
    });
    const notes = (channelId: string) =>
      h.runtime.db.kysely
        .selectFrom('notifications')
        .selectAll()
        .where('channel_id', '=', channelId)
        .execute();

    before(async () => {
      good = await smtp(false);
      bad = await smtp(true);
      h = await startHarness(target, {
        demo: false,
        runtime: { notify: { retryBaseMs: 10, windowMs: 1500, timeoutMs: 3000 } },
      });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
    });
    after(async () => {
      await h.close();
      await good.close();
      await bad.close();
    });

    it('mails a matching alert with subject and body through the SMTP server, logged in', async () => {
      const ch = await ok('POST', `${A}/channels`, {
        name: 'Maintenance mail',
        kind: 'email',
        email: settings(good.port),
        secret: 'S3cret-smtp',
      });
      assert.equal(ch.kind, 'email');
      assert.equal(ch.signed, true);
      assert.deepEqual(ch.email, settings(good.port));
      assert.ok(!JSON.stringify(await ok('GET', `${A}/channels`)).includes('S3cret-smtp'));
      await ok('POST', `${A}/rules`, { pattern: 'machine.*', minSeverity: 'warning', channelId: ch.id });

      await h.runtime.db.transaction((tx) =>
        raiseAlert(tx, systemCtx(), {
          severity: 'critical',
          kind: 'machine.down',
          title: 'Machine M-03 down',
          detail: 'Spindle overload on M-03 since 06:40',
        }),
      );
      await waitFor(async () => (await notes(ch.id))[0]?.status === 'sent', 10_000);
      assert.equal(good.mails.length, 1);
      const mail = good.mails[0]!;
      assert.equal(mail.from, 'takt@plant.example');
      assert.deepEqual(mail.to, ['shift-lead@plant.example', 'maintenance@plant.example']);
      assert.match(mail.raw, /^Subject: \[Takt CRITICAL\] Machine M-03 down$/m);
      // quoted-printable soft line breaks joined
      assert.match(mail.raw.replace(/=\r\n/g, ''), /Spindle overload on M-03 since 06:40/);
      assert.match(mail.raw, /X-Takt-Alert-Kind: machine\.down/);
      assert.deepEqual(good.logins.at(-1), { user: 'alerts', pass: 'S3cret-smtp' });

      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', ch.id)
        .execute();
      assert.ok(audit.length > 0);
      assert.ok(!JSON.stringify(audit).includes('S3cret-smtp'), 'the password stays out of the audit trail');

      const test = await ok('POST', `${A}/channels/${ch.id}/test`);
      assert.equal(test.status, 'sent');
      assert.equal(good.mails.length, 2);
      assert.match(good.mails[1]!.raw, /Subject: \[Takt INFO\] Takt test message for Maintenance mail/);
    });

    it('retries a refusing SMTP server per the delivery policy and records the failure', async () => {
      const ch = await ok('POST', `${A}/channels`, {
        name: 'Broken relay',
        kind: 'email',
        email: settings(bad.port),
        secret: 'S3cret-smtp',
      });
      await ok('POST', `${A}/rules`, { pattern: 'relay.*', minSeverity: 'info', channelId: ch.id });
      await h.runtime.db.transaction((tx) =>
        raiseAlert(tx, systemCtx(), { severity: 'warning', kind: 'relay.check', title: 'Relay check' }),
      );
      await waitFor(async () => (await notes(ch.id))[0]?.status === 'failed', 15_000);
      const [n] = await notes(ch.id);
      assert.equal(n!.attempts, 4);
      assert.match(n!.last_error ?? '', /^SMTP: .*Mailbox unavailable/);
      assert.equal(bad.tries(), 4);
      const failed = await ok('GET', `${A}/notifications?status=failed&channelId=${ch.id}`);
      assert.equal(failed.items.length, 1);

      const wrong = await ok('PATCH', `${A}/channels/${ch.id}`, {
        version: ch.version,
        email: settings(good.port),
        secret: 'wrong-password',
      });
      assert.equal(wrong.email.port, good.port);
      const test = await ok('POST', `${A}/channels/${ch.id}/test`);
      assert.equal(test.status, 'failed');
      assert.match(test.lastError, /SMTP: .*Invalid username or password/);
    });

    it('refuses an email channel without SMTP settings and settings on other kinds', async () => {
      const missing = await call('POST', `${A}/channels`, { name: 'no settings', kind: 'email' });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().errors[0].field, '/email');
      const badTo = await call('POST', `${A}/channels`, {
        name: 'bad to',
        kind: 'email',
        email: { ...settings(good.port), to: ['not-an-address'] },
      });
      assert.equal(badTo.statusCode, 400);
      const mixed = await call('POST', `${A}/channels`, {
        name: 'robot with mail',
        kind: 'wecom',
        url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
        email: settings(good.port),
      });
      assert.equal(mixed.statusCode, 400);
      const count = await h.runtime.db.kysely
        .selectFrom('alert_channels')
        .select('name')
        .where('name', 'in', ['no settings', 'bad to', 'robot with mail'])
        .execute();
      assert.equal(count.length, 0, 'bad input changes nothing');
    });
  });
}
