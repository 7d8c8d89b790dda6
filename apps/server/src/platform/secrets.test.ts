import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { redact } from '../modules/integration/request-log.writer.ts';
import { diffRows } from './audit.ts';
import { createLogger } from './logger.ts';
import { isSecretKey, REDACTED, redactLogObject } from './secrets.ts';

const SECRET = [
  'password',
  'newPassword',
  'password_hash',
  'pass',
  'passphrase',
  'pin',
  'newPin',
  'pin_code',
  'pincode',
  'totp_secret',
  'totpCode',
  'totp',
  'otp',
  'token',
  'csrfToken',
  'apiToken',
  'token_hash',
  'refresh_token',
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
  'apiKey',
  'api_key',
  'x-api-key',
  'APIKey',
  'private_key',
  'clientSecret',
  'credentials',
];
const READABLE = [
  'shipping_address',
  'passes',
  'opinion',
  'badge',
  'totp_enabled',
  'prefix',
  'spotPrice',
  'keyboard',
  'code',
  'itemCode',
  'name',
];

describe('the one rule for secret keys', () => {
  it('names secrets by word and pair of words and keeps look-alikes readable', () => {
    for (const k of SECRET) assert.equal(isSecretKey(k), true, k);
    for (const k of READABLE) assert.equal(isSecretKey(k), false, k);
  });

  it('is the rule of the audit diff, the request log and the process log alike', () => {
    const row = Object.fromEntries([...SECRET, ...READABLE].map((k) => [k, `v-${k}`]));
    const changed = Object.fromEntries([...SECRET, ...READABLE].map((k) => [k, `w-${k}`]));

    const diff = diffRows(row, changed);
    const logged = redact(row) as Record<string, unknown>;
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger('info', sink).info({ body: row }, 'a line');
    const line = JSON.parse(lines[0]!).body as Record<string, unknown>;

    for (const k of SECRET) {
      assert.deepEqual(diff[k], { to: '[changed]' }, `audit ${k}`);
      assert.equal(logged[k], REDACTED, `request log ${k}`);
      assert.equal(line[k], REDACTED, `process log ${k}`);
    }
    for (const k of READABLE) {
      assert.deepEqual(diff[k], { from: `v-${k}`, to: `w-${k}` }, `audit ${k}`);
      assert.equal(logged[k], `v-${k}`, `request log ${k}`);
      assert.equal(line[k], `v-${k}`, `process log ${k}`);
    }
  });

  it('copies a log object only where it replaces a field and leaves errors to their serializer', () => {
    const plain = { req: { method: 'GET', url: '/x' }, res: { statusCode: 200 }, list: [1, 2] };
    assert.equal(redactLogObject(plain), plain);
    const err = Object.assign(new Error('boom'), { token: 'kept for the serializer' });
    const mixed = { err, nested: [{ pin: '1234', badge: 'B1' }] };
    const out = redactLogObject(mixed);
    assert.notEqual(out, mixed);
    assert.equal(out.err, err);
    assert.deepEqual(out.nested, [{ pin: REDACTED, badge: 'B1' }]);
    assert.equal(mixed.nested[0]!.pin, '1234', 'the logged object itself is not changed');

    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger('info', sink).error({ err }, 'failed');
    const logged = JSON.parse(lines[0]!).err;
    assert.equal(logged.message, 'boom');
    assert.equal(logged.token, REDACTED);
  });
});
