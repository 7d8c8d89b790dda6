import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { listenWithAcceptors } from './listen.ts';

const linux = process.platform === 'linux';

/** Listening TCP sockets on `port` (from /proc/net/tcp and tcp6; state 0A is LISTEN). */
function listeningSockets(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') n++;
    }
  }
  return n;
}

function app(): FastifyInstance {
  const a = Fastify();
  a.get('/hello', async (request) => ({ hello: 'world', remotePort: request.socket.remotePort }));
  return a;
}

const portOf = (address: string) => Number(new URL(address).port);

/** A connection that sends one request and resolves with the status line of its answer. */
function ask(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(data.slice(0, data.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
    socket.write('GET /hello HTTP/1.1\r\nHost: t\r\n\r\n');
  });
}

describe('listening with several accepting sockets', { skip: !linux && 'SO_REUSEPORT is Linux only' }, () => {
  test('opens one socket per acceptor, serves through every one of them and closes them all', async () => {
    const a = app();
    const address = await listenWithAcceptors(a, { port: 0, host: '127.0.0.1', acceptors: 4 });
    const port = portOf(address);
    assert.equal(listeningSockets(port), 4);
    // The kernel spreads connections over the sockets: all of them are answered by the one app.
    const answers = await Promise.all(Array.from({ length: 40 }, () => ask(port)));
    assert.deepEqual(new Set(answers), new Set(['HTTP/1.1 200 OK']));
    await a.close();
    assert.equal(listeningSockets(port), 0);
    await assert.rejects(ask(port), { code: 'ECONNREFUSED' });
  });

  test('one acceptor is a plain listen', async () => {
    const a = app();
    const port = portOf(await listenWithAcceptors(a, { port: 0, host: '127.0.0.1', acceptors: 1 }));
    assert.equal(listeningSockets(port), 1);
    assert.equal(await ask(port), 'HTTP/1.1 200 OK');
    await a.close();
    assert.equal(listeningSockets(port), 0);
  });

  test('a fixed port is taken by all acceptors and freed again for the next start', async () => {
    const a = app();
    const port = portOf(await listenWithAcceptors(a, { port: 0, host: '127.0.0.1', acceptors: 3 }));
    await a.close();
    const b = app();
    await listenWithAcceptors(b, { port, host: '127.0.0.1', acceptors: 3 });
    assert.equal(listeningSockets(port), 3);
    assert.equal(await ask(port), 'HTTP/1.1 200 OK');
    await b.close();
  });

  test('a second server cannot take a port in use, as with a plain listen', async () => {
    const a = app();
    const port = portOf(await listenWithAcceptors(a, { port: 0, host: '127.0.0.1', acceptors: 4 }));
    // Pick the port of a running server: reuse would otherwise let both share the traffic.
    const b = app();
    try {
      await assert.rejects(listenWithAcceptors(b, { port, host: '127.0.0.1', acceptors: 4 }), {
        code: 'EADDRINUSE',
      });
      assert.equal(listeningSockets(port), 4);
    } finally {
      await b.close();
      await a.close();
    }
  });

  test('a turn of a busy event loop lets in more than one waiting connection', async (t) => {
    // While the loop is blocked, another process opens connections; the kernel queues them. After
    // the block, one turn of the loop runs: with a single socket it takes exactly one of them.
    const taken = async (acceptors: number) => {
      const a = app();
      const port = portOf(await listenWithAcceptors(a, { port: 0, host: '127.0.0.1', acceptors }));
      let accepted = 0;
      a.server.on('connection', () => accepted++);
      const code = `const net = require('node:net');
        process.on('message', () => {
          for (let i = 0; i < 40; i++) net.connect(${port}, '127.0.0.1').on('error', () => {});
          process.send('sent');
        });
        process.send('ready');`;
      const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      await new Promise((resolve) => child.once('message', resolve));
      child.send('go');
      // Block this loop until the other process has connected (its `sent` is read after the block).
      const until = performance.now() + 1500;
      while (performance.now() < until) {}
      // From this turn's check phase to the next one's: exactly one poll phase in between.
      const inFirstTurn = await new Promise<number>((resolve) =>
        setImmediate(() => {
          const before = accepted;
          setImmediate(() => resolve(accepted - before));
        }),
      );
      child.kill();
      await a.close();
      return inFirstTurn;
    };
    const one = await taken(1);
    const eight = await taken(8);
    t.diagnostic(`accepted in one turn: ${one} with one socket, ${eight} with eight`);
    assert.ok(one >= 1, `one socket: ${one} accepted in the first turn`);
    assert.ok(eight > one, `eight sockets took ${eight} in the first turn, one socket took ${one}`);
  });
});
