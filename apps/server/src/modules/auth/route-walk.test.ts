import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { type Harness, signIn, startHarness } from '../../testing/harness.ts';

const [sqlite] = await testTargets();
const PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/terminal-login',
  'GET /api/v1/meta',
]);
// Any signed-in user manages their own credentials; auth.test.ts covers these one by one.
const SELF_SERVICE = new Set([
  'POST /api/v1/auth/logout-all',
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/totp/setup',
  'POST /api/v1/auth/totp/confirm',
  'POST /api/v1/auth/totp/disable',
]);

describe('every API operation is closed by default', () => {
  let h: Harness;
  let ops: { method: string; url: string; key: string }[];
  before(async () => {
    h = await startHarness(sqlite!, { demo: true });
    const doc = (await h.runtime.app.inject('/api/openapi.json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => {
        const template = p.replace(/\/$/, '');
        return {
          method: m.toUpperCase(),
          url: template.replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000'),
          key: `${m.toUpperCase()} ${template}`,
        };
      }),
    );
  });
  after(async () => h.close());

  it('documents the operations it walks', () => {
    assert.ok(ops.length >= 10, `only ${ops.length} operations in the OpenAPI document`);
  });

  it('answers 401 to every non-public operation without credentials', async () => {
    const open: string[] = [];
    for (const op of ops) {
      if (PUBLIC.has(op.key)) continue;
      const res = await h.runtime.app.inject({
        method: op.method as 'GET',
        url: op.url,
        payload: op.method === 'GET' ? undefined : {},
      });
      if (res.statusCode !== 401) open.push(`${op.key} → ${res.statusCode}`);
    }
    assert.deepEqual(open, []);
  });

  it('answers 403 to a viewer calling any write', async () => {
    const viewer = await signIn(h.runtime, 'viewer', 'takt-demo');
    const allowed: string[] = [];
    for (const op of ops) {
      if (op.method === 'GET' || PUBLIC.has(op.key) || SELF_SERVICE.has(op.key)) continue;
      const res = await h.runtime.app.inject({
        method: op.method as 'POST',
        url: op.url,
        payload: {},
        headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf },
      });
      if (res.statusCode !== 403) allowed.push(`${op.key} → ${res.statusCode}`);
    }
    assert.deepEqual(allowed, []);
  });
});
