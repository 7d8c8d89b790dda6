import cluster from 'node:cluster';
import net from 'node:net';
import type { FastifyInstance, FastifyListenOptions } from 'fastify';

/**
 * Listens with several accepting sockets on one port.
 *
 * libuv takes one new connection off a listening socket per turn of the event loop. A busy server
 * whose turns last 100–200 ms (each turn answers every request that arrived meanwhile) thus lets
 * in 5–10 new connections a second: a tablet that reconnects at a busy moment waited seconds before
 * its first byte was even read, and a burst of 200 clients saw requests time out unanswered.
 * With SO_REUSEPORT the kernel spreads new connections over `acceptors` sockets, and every turn
 * takes one off each. The extra sockets hand their connections to the same HTTP server, so they
 * are served, tracked and closed like any other.
 *
 * SO_REUSEPORT is Linux's (Node refuses it on some platforms); elsewhere, and with `acceptors` 1,
 * this is a plain listen. In a cluster worker the sockets are the worker's own (`exclusive`), not
 * the primary's shared handle that passes connections over IPC (which has the same limit).
 */
export async function listenWithAcceptors(
  app: FastifyInstance,
  options: { readonly port: number; readonly host: string; readonly acceptors: number },
): Promise<string> {
  const spread = options.acceptors > 1 && process.platform === 'linux';
  if (!spread) return app.listen({ port: options.port, host: options.host });
  // SO_REUSEPORT would also let a second Takt started by mistake share the port (and split the
  // traffic between two processes on one SQLite file): a plain socket must be able to take it first.
  // Cluster workers share the port on purpose; their primary checked it (main.ts).
  if (!cluster.isWorker && options.port !== 0) await assertPortFree(options.port, options.host);
  // Node's listen takes `reusePort` (22.12+); Fastify passes its options on but does not type it.
  const listenOptions: FastifyListenOptions & { reusePort: boolean } = {
    port: options.port,
    host: options.host,
    reusePort: true,
    exclusive: cluster.isWorker,
  };
  const first = await app.listen(listenOptions);
  const extras: net.Server[] = [];
  const stop = () => {
    for (const s of extras.splice(0)) s.close();
  };
  // Closing the server (Fastify does on close) stops the extra sockets first: new connections they
  // took would otherwise keep the closing server waiting.
  const closeMain = app.server.close.bind(app.server);
  app.server.close = ((cb?: (err?: Error) => void) => {
    stop();
    return closeMain(cb);
  }) as typeof app.server.close;
  for (const address of app.addresses()) {
    if (typeof address === 'string' || (address.family !== 'IPv4' && address.family !== 'IPv6')) continue;
    for (let i = 1; i < options.acceptors; i++) {
      const extra = net.createServer((socket) => app.server.emit('connection', socket));
      await new Promise<void>((resolve, reject) => {
        extra.once('error', reject);
        extra.listen({ port: address.port, host: address.address, reusePort: true, exclusive: true }, () => {
          extra.off('error', reject);
          resolve();
        });
      });
      extras.push(extra);
    }
  }
  return first;
}

/**
 * Fails with EADDRINUSE when something listens on the port, as a plain listen would: a socket
 * without SO_REUSEPORT cannot bind beside one that has it.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
