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
 * Headers that only a document (an HTML page a browser renders) makes use of: isolation of its
 * window and agent cluster, DNS prefetching of its links, legacy XSS auditing, Internet Explorer's
 * open-downloads prompt and Flash/Acrobat cross-domain policy files. The API's answers (JSON, files,
 * event streams) go without them; what protects those (CSP, nosniff, frame options, CORP, referrer
 * policy, HSTS) stays.
 */
const DOCUMENT_ONLY = new Set([
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-xss-protection',
  'x-download-options',
  'x-permitted-cross-domain-policies',
]);

/** The headers for an API answer that is no HTML document: `headers` less the document-only ones. */
function apiHeaders(headers: HeaderList): HeaderList {
  return headers.filter(([name]) => !DOCUMENT_ONLY.has(name));
}

/** Where a route's config keeps the headers of its answers. */
const HEADERS = Symbol('security headers');

/** Whether a route's answers go to a browser as documents: anything outside /api/v1, or HTML it declares. */
function servesDocuments(url: string, produces: unknown): boolean {
  if (!url.startsWith('/api/v1/') && url !== '/api/v1') return true;
  return Array.isArray(produces) && produces.some((t) => String(t).startsWith('text/html'));
}

/**
 * Helmet's security headers on every response, set as reply headers: they are written with the
 * status line in one go, not through the raw response one by one. Routes of the JSON API get
 * `apiHeaders` (fewer headers to set on the busiest answers); pages, the API documentation and
 * HTML the API prints get the full set. A route that takes over the raw response (`reply.hijack()`)
 * copies them with `applyRaw`.
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: Readonly<HelmetOptions>,
): { readonly headers: HeaderList; applyRaw(res: ServerResponse): void } {
  const headers = securityHeaders(options);
  const api = apiHeaders(headers);
  app.addHook('onRoute', (route) => {
    const list = servesDocuments(route.url, route.schema?.produces) ? headers : api;
    route.config = { ...(route.config as object), [HEADERS]: list } as typeof route.config;
  });
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const list = (request.routeOptions.config as { [HEADERS]?: HeaderList })[HEADERS] ?? headers;
    for (let i = 0; i < list.length; i++) reply.header(list[i]![0], list[i]![1]);
    done();
  });
  return {
    headers,
    applyRaw(res) {
      for (const [name, value] of api) res.setHeader(name, value);
    },
  };
}
