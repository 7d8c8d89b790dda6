import { parentPort, workerData } from 'node:worker_threads';
import { readThrough } from '../cache/cache.ts';
import { Db } from './database.ts';
import { type Ask, type Close, crossed, type ReadSource, type Ready, type Reply } from './read-threads.ts';
import { ReadSet, trackReads } from './table-versions.ts';

/**
 * A read thread (read-threads.ts): answers the server's asks through its own connection to the
 * database. On an SQLite file, reads outside transactions go to its read-only connection, and nothing
 * here writes, so the thread never starts a checkpointer of its own either. On PostgreSQL it keeps
 * one connection, for which its reads queue.
 */
const source = workerData as ReadSource;
const db =
  'url' in source
    ? Db.open({ url: source.url, poolSize: 1 })
    : Db.open({ url: null, sqliteFile: source.file });
// The server drops its cached master data when it changes; nothing tells this thread, so it keeps none.
readThrough(db);
const port = parentPort!;

port.on('message', async (ask: Ask | Close) => {
  if ('close' in ask) {
    // The server's Db is closing: end the connection cleanly, then let this thread's loop run empty.
    await db.close();
    port.close();
    return;
  }
  const reads = new ReadSet();
  let reply: Reply;
  try {
    const fn = ((await import(ask.module)) as Record<string, unknown>)[ask.name];
    if (typeof fn !== 'function') throw new Error(`${ask.module} exports no function ${ask.name}`);
    const value: unknown = await trackReads(reads, () => fn(db, ...ask.args));
    reply = { id: ask.id, ok: true, value, reads: reads.noted() };
  } catch (err) {
    reply = { id: ask.id, ok: false, error: crossed(err), reads: reads.noted() };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies Ready);
