import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { sendProblem } from '../../platform/http/problem.ts';

/** Serves the built web app; unknown non-API paths get index.html so client-side routes work on reload. */
export async function webRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const root = deps.config.webDist;
  const index = path.join(root, 'index.html');
  if (!fs.existsSync(index)) {
    app.log.warn({ root }, 'web app is not built; run npm run build');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    maxAge: '1y',
    immutable: true,
    setHeaders: (reply, file) => {
      if (file.endsWith('.html') || file.endsWith('sw.js') || file.endsWith('.webmanifest')) {
        reply.header('cache-control', 'no-cache');
      }
    },
  });
  // Re-read index.html when a new build replaced it, so a running server never points at stale assets.
  let html = fs.readFileSync(index);
  let htmlMtime = fs.statSync(index).mtimeMs;
  const currentHtml = () => {
    const m = fs.statSync(index, { throwIfNoEntry: false })?.mtimeMs;
    if (m !== undefined && m !== htmlMtime) {
      html = fs.readFileSync(index);
      htmlMtime = m;
    }
    return html;
  };
  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(currentHtml());
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url === '/api') {
      return sendProblem(request, reply, 404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${url}`);
    }
    const file = path.join(root, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
    if (file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      return reply.sendFile(path.relative(root, file));
    }
    if (path.extname(url) !== '') {
      return sendProblem(request, reply, 404, 'ROUTE_NOT_FOUND', `No file ${url}`);
    }
    return sendIndex(reply);
  });
}
