import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db/database.ts';
import type { RequestLogTable } from '../../platform/db/schema-request-log.ts';
import { timeOrderedId } from '../../platform/http/request-id.ts';
import { isSecretKey, REDACTED, redactJson } from '../../platform/secrets.ts';
import { insertRequestLog } from './request-log.repo.ts';

/**
 * Every /api/v1 request leaves one `request_log` row. Rows are buffered in memory and written in
 * batches (every second or every `maxRows`), off the request path; closing the app writes the rest.
 * Bodies are kept for mutating calls only, with secrets redacted and cut at `bodyBytes`.
 */
export interface RequestLogOptions {
  readonly flushMs: number;
  readonly maxRows: number;
  /** Rows held while the database is unreachable; beyond this the oldest are dropped. */
  readonly maxBuffered: number;
  readonly bodyBytes: number;
}

const DEFAULTS: RequestLogOptions = { flushMs: 1000, maxRows: 500, maxBuffered: 20_000, bodyBytes: 16_384 };
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Under these routes a `code` is a one-time code, not a business code. */
const CODE_ROUTE = /\/auth\/|totp|mfa/i;
const MAX_PATH = 2000;
const NO_BODY = { text: null, truncated: false } as const;

export type RequestLogRow = RequestLogTable;

export class RequestLogWriter {
  readonly #db: Db;
  readonly #log: Logger | undefined;
  readonly #options: RequestLogOptions;
  #buffer: RequestLogRow[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #dropped = 0;

  constructor(db: Db, log: Logger | undefined, options: Partial<RequestLogOptions> = {}) {
    this.#db = db;
    this.#log = log;
    this.#options = { ...DEFAULTS, ...options };
    this.#timer = setInterval(() => void this.flush(), this.#options.flushMs);
    this.#timer.unref();
  }

  get bodyBytes(): number {
    return this.#options.bodyBytes;
  }

  add(row: RequestLogRow): void {
    this.#buffer.push(row);
    const max = this.#options.maxBuffered;
    if (this.#buffer.length > max) {
      // Full while the database cannot take the rows (a long write holds it): the oldest tenth goes at
      // once. Taking one off the front per request moved the whole buffer every time.
      const excess = this.#buffer.length - max + Math.ceil(max / 10);
      this.#buffer.splice(0, excess);
      this.#dropped += excess;
    }
    if (this.#buffer.length === this.#options.maxRows) void this.flush();
  }

  /** Rows waiting to be written, and rows dropped since the last warning. */
  get backlog(): { readonly buffered: number; readonly dropped: number } {
    return { buffered: this.#buffer.length, dropped: this.#dropped };
  }

  /** Writes what is buffered; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }

  async #write(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, this.#options.maxRows);
      try {
        await insertRequestLog(this.#db, batch);
      } catch (err) {
        this.#dropped += batch.length;
        this.#log?.error({ err, rows: batch.length }, 'request log rows could not be written');
        return;
      }
    }
    if (this.#dropped > 0) {
      this.#log?.warn({ dropped: this.#dropped }, 'request log rows were dropped');
      this.#dropped = 0;
    }
  }
}

/** A JSON value with every field whose key names a secret (platform/secrets.ts) replaced. */
export function redact(value: unknown, codeIsSecret = false): unknown {
  return redactJson(value, codeIsSecret);
}

/**
 * Every key isSecretKey matches contains one of these: a query string without them (nor escapes) is
 * kept as it is, unparsed.
 */
const MAYBE_SECRET = /pass|pin|secret|token|hash|auth|cookie|csrf|otp|mfa|key|code|credential|%/i;

function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !MAYBE_SECRET.test(url.slice(q + 1)))
    return url.length > MAX_PATH ? url.slice(0, MAX_PATH) : url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (isSecretKey(key)) params.set(key, REDACTED);
  return `${url.slice(0, q)}?${params.toString()}`.slice(0, MAX_PATH);
}

/**
 * Whether redacting a JSON text could change it: a text without any of the words every secret key
 * contains (nor an escape that could spell one, nor `__proto__`) has nothing to redact, and is kept
 * as it is instead of being parsed and written again.
 */
function mayHoldSecret(json: string): boolean {
  return MAYBE_SECRET.test(json) || json.includes('\\') || json.includes('__proto__');
}

/** Redacted text of a body, cut at `limit` bytes; `truncated` says whether it was cut. */
export function bodyText(
  body: unknown,
  contentType: string | undefined,
  limit: number,
  codeIsSecret: boolean,
): { text: string | null; truncated: boolean } {
  if (body === undefined || body === null || body === '') return { text: null, truncated: false };
  let text: string;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const raw = body.toString();
    if (contentType?.includes('json')) {
      try {
        text = mayHoldSecret(raw) ? JSON.stringify(redact(JSON.parse(raw), codeIsSecret)) : raw;
      } catch {
        text = raw;
      }
    } else text = contentType && !/text|json|xml|csv/.test(contentType) ? `[${contentType}]` : raw;
  } else if (typeof (body as { pipe?: unknown }).pipe === 'function') {
    text = '[stream]';
  } else {
    // Through JSON first: honours toJSON (an upload stands for itself as "file") and refuses cycles.
    try {
      const json = JSON.stringify(body) ?? 'null';
      text = mayHoldSecret(json) ? JSON.stringify(redact(JSON.parse(json), codeIsSecret)) : json;
    } catch {
      text = '[unserializable]';
    }
  }
  if (Buffer.byteLength(text) <= limit) return { text, truncated: false };
  return {
    text: Buffer.from(text)
      .subarray(0, limit)
      .toString()
      .replace(/\uFFFD$/, ''),
    truncated: true,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    loggedResponse: { text: string | null; truncated: boolean } | null;
  }
  interface FastifyInstance {
    requestLog: RequestLogWriter;
  }
}

function actorName(type: string, login: string): string {
  return type === 'token' && login.startsWith('token:') ? login.slice(6) : login;
}

/** The ISO time of the last millisecond asked for: requests finishing together share it. */
let lastAtMs = Number.NaN;
let lastAt = '';

function isoAt(ms: number): string {
  if (ms !== lastAtMs) {
    lastAtMs = ms;
    lastAt = new Date(ms).toISOString();
  }
  return lastAt;
}

function rowOf(request: FastifyRequest, reply: FastifyReply, limit: number): RequestLogRow {
  const req = MUTATING.has(request.method)
    ? bodyText(request.body, request.headers['content-type'], limit, CODE_ROUTE.test(request.url))
    : NO_BODY;
  const res = request.loggedResponse;
  const key = request.headers['idempotency-key'];
  const agent = request.headers['user-agent'];
  const actor = request.ctx?.actor;
  const elapsed = reply.elapsedTime;
  return {
    id: timeOrderedId(),
    at: isoAt(Math.trunc(Date.now() - elapsed)),
    actor_kind: !actor || actor.id === null ? 'anonymous' : actor.type === 'token' ? 'token' : 'user',
    actor_id: actor?.id ?? null,
    actor_name: !actor || actor.id === null ? null : actorName(actor.type, actor.login),
    method: request.method,
    path: redactUrl(request.url),
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    duration_us: Math.round(elapsed * 1000),
    request_id: String(request.id),
    ip: request.ip ?? null,
    user_agent: typeof agent === 'string' ? (agent.length > 500 ? agent.slice(0, 500) : agent) : null,
    idempotency_key: typeof key === 'string' ? key.slice(0, 200) : null,
    request_body: req.text,
    response_body: res?.text ?? null,
    truncated: req.truncated || res?.truncated ? 1 : 0,
  };
}

/** Hooks that feed every /api/v1 request into the writer; the writer is closed with the app. */
export function registerRequestLog(
  app: FastifyInstance,
  db: Db,
  log: Logger | undefined,
  options: Partial<RequestLogOptions> = {},
): RequestLogWriter {
  const writer = new RequestLogWriter(db, log, options);
  app.decorate('requestLog', writer);
  app.decorateRequest('loggedResponse', null);
  const limit = writer.bodyBytes;

  app.addHook(
    'onSend',
    (
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: (err: null, p: unknown) => void,
    ) => {
      if (MUTATING.has(request.method) && request.url.startsWith('/api/v1/')) {
        const type = String(reply.getHeader('content-type') ?? '');
        request.loggedResponse = bodyText(payload, type, limit, CODE_ROUTE.test(request.url));
      }
      done(null, payload);
    },
  );

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const url = request.url;
    if (url.startsWith('/api/v1/') || url === '/api/v1') writer.add(rowOf(request, reply, limit));
    done();
  });

  app.addHook('onClose', async () => {
    await writer.close();
  });
  return writer;
}
