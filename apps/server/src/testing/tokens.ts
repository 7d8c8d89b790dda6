import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { api, Harness } from './harness.ts';

/** A call as an API client makes it: the token secret as bearer, no session or CSRF header. */
export type BearerCall = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) => Promise<LightMyRequestResponse>;

export function bearer(h: Harness, secret: string): BearerCall {
  return (method, url, payload) =>
    h.runtime.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${secret}` },
      ...(payload ? { payload } : {}),
    }) as Promise<LightMyRequestResponse>;
}

/** Creates an API token through the API, valid for 30 days, as the given administrator session. */
export async function createToken(
  h: Harness,
  admin: ReturnType<typeof api>,
  token: { name: string; scopes: readonly string[]; rateLimitPerMinute: number },
): Promise<{ id: string; secret: string; call: BearerCall }> {
  const created = await admin('POST', '/api/v1/identity/tokens', {
    name: token.name,
    scopes: token.scopes,
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    rateLimitPerMinute: token.rateLimitPerMinute,
  });
  assert.equal(created.statusCode, 201, created.body);
  const { token: made, secret } = created.json() as { token: { id: string }; secret: string };
  return { id: made.id, secret, call: bearer(h, secret) };
}
