import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers on every response. The middleware is built once: its options are fixed
 * for the life of the process, so nothing is parsed again per request.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    // Helmet sets its headers synchronously and throws, not passes, an error.
    apply(request.raw, reply.raw, done as (err?: unknown) => void);
  });
}
