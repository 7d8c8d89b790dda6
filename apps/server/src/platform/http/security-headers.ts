import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export type HeaderList = readonly (readonly [name: string, value: string])[];

/**
 * The headers Helmet sets for `options`, worked out once. Helmet's headers depend on its options only
 * (no directive here is a per-request function), so running its middleware once against a recording
 * response gives every header it would set on each.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): HeaderList {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.set(name.toLowerCase(), String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  let failure: unknown = null;
  helmet(options)({} as never, recorder as never, (err?: unknown) => {
    failure = err ?? null;
  });
  if (failure) throw failure;
  return [...headers];
}

/**
 * Helmet's security headers on every response, set as reply headers: they are written with the
 * status line in one go, not through the raw response one by one. A route that takes over the raw
 * response (`reply.hijack()`) copies them with `applyRaw`.
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: Readonly<HelmetOptions>,
): { readonly headers: HeaderList; applyRaw(res: ServerResponse): void } {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });
  return {
    headers,
    applyRaw(res) {
      for (const [name, value] of headers) res.setHeader(name, value);
    },
  };
}
