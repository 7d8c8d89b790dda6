import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, hotp, otpauthUri, totpAt, verifyTotp } from './totp.ts';

// RFC 6238 appendix B uses the ASCII key "12345678901234567890" for SHA-1.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    assert.equal(totpAt(RFC_SECRET, 59, 8), '94287082');
    assert.equal(totpAt(RFC_SECRET, 1111111109, 8), '07081804');
    assert.equal(totpAt(RFC_SECRET, 1111111111, 8), '14050471');
    assert.equal(totpAt(RFC_SECRET, 1234567890, 8), '89005924');
    assert.equal(totpAt(RFC_SECRET, 2000000000, 8), '69279037');
    assert.equal(totpAt(RFC_SECRET, 59), '287082');
  });

  it('matches the RFC 4226 HOTP test vectors', () => {
    const key = Buffer.from('12345678901234567890');
    assert.deepEqual(
      [0, 1, 2, 9].map((c) => hotp(key, c)),
      ['755224', '287082', '359152', '520489'],
    );
  });

  it('round-trips base32 as authenticator apps write it', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Decode('mzxw6ytboi======').toString(), 'foobar');
    const bytes = Buffer.from([0, 255, 1, 254, 2, 253, 3]);
    assert.deepEqual(base32Decode(base32Encode(bytes)), bytes);
  });

  it('accepts a code from one step before or after and refuses two steps away', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    for (const offset of [-1, 0, 1]) {
      const code = totpAt(RFC_SECRET, (step + offset) * 30);
      assert.equal(verifyTotp(RFC_SECRET, code, now), step + offset);
    }
    assert.equal(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, (step + 2) * 30), now), null);
    assert.equal(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, (step - 2) * 30), now), null);
    assert.equal(verifyTotp(RFC_SECRET, 'abcdef', now), null);
  });

  it('builds an otpauth URI with issuer, label and parameters', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'wang.fang'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Takt:wang.fang');
    assert.equal(uri.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP');
    assert.equal(uri.searchParams.get('issuer'), 'Takt');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.equal(uri.searchParams.get('digits'), '6');
  });
});
