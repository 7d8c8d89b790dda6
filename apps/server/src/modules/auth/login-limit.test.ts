import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { startHarness } from '../../testing/harness.ts';

const [sqlite] = await testTargets();

describe('sign-in rate limit', () => {
  it('answers 429 RATE_LIMITED once one address exceeds the sign-ins allowed per minute', async (t) => {
    const h = await startHarness(sqlite!, { demo: false, config: { loginRateLimit: 5 } });
    t.after(() => h.close());
    const codes: number[] = [];
    let last = null;
    for (let i = 0; i < 7; i++) {
      last = await h.runtime.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: 'admin', password: 'wrong' },
      });
      codes.push(last.statusCode);
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 429, 429]);
    assert.equal(last!.json().code, 'RATE_LIMITED');
  });
});
