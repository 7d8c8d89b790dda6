/*
 * Service worker of the shop-floor terminal (scope /terminal). It keeps the terminal shell — the page
 * and its hashed assets — so a tablet can open the terminal without network. API calls are never
 * answered from or stored in a cache: they go to the network as if there were no worker.
 */
const CACHE = 'takt-terminal-shell-v1';
const SHELL = '/terminal';
const STATIC = ['/favicon.svg', '/terminal.webmanifest'];

const sameOrigin = (url) => url.origin === self.location.origin;
const isAsset = (url) => sameOrigin(url) && url.pathname.startsWith('/assets/');

async function cacheShellAssets(cache, html) {
  const urls = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await Promise.all(urls.map((u) => cache.add(u).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(STATIC.map((u) => cache.add(u).catch(() => undefined)));
      const response = await fetch(SHELL, { cache: 'no-cache' });
      if (response.ok) {
        await cache.put(SHELL, response.clone());
        await cacheShellAssets(cache, await response.text());
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('takt-terminal-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page lists the assets it loaded before the worker was in control.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (data?.type !== 'cache-urls' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const u of data.urls) {
        if (typeof u !== 'string' || !isAsset(new URL(u, self.location.origin))) continue;
        if (!(await cache.match(u))) await cache.add(u).catch(() => undefined);
      }
    })(),
  );
});

async function networkFirstShell(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(SHELL, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirstAsset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // Hashed file names never change content, so a stored copy stays right.
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // API (and anything else on the server's API paths): network only, never cached.
  if (!sameOrigin(url) || url.pathname.startsWith('/api/') || url.pathname === '/api') return;
  if (request.mode === 'navigate') {
    if (url.pathname === SHELL || url.pathname.startsWith(`${SHELL}/`)) {
      event.respondWith(networkFirstShell(request));
    }
    return;
  }
  if (isAsset(url)) {
    event.respondWith(cacheFirstAsset(request));
    return;
  }
  if (STATIC.includes(url.pathname)) event.respondWith(networkFirst(request));
});
