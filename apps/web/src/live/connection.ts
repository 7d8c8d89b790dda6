import type { DomainEvent } from '@takt/contracts';

export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface LiveSnapshot {
  status: LiveStatus;
  /** When the current connection got its `ready` event. */
  connectedAt: number | null;
  /** When the next attempt is due, while reconnecting or offline. */
  retryAt: number | null;
  /** Failed attempts in a row. */
  failures: number;
  /** The browser reports no network. */
  browserOffline: boolean;
}

export interface LiveConnectionOptions {
  url: string;
  onEvent(event: DomainEvent): void;
  /** A connection was re-established after a break: events may have been missed, so reload. */
  onResync(): void;
  onStatus(snapshot: LiveSnapshot): void;
  /** The stream answered 401: the session has ended. */
  onUnauthorized(): void;
}

/** A message of an event stream (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface StreamMessage {
  event: string;
  data: string;
  id: string | null;
}

/**
 * Incremental parser for the `text/event-stream` format. Feed it decoded text chunks; it calls
 * `onMessage` for each complete message and `onComment` for comment lines (`: ping`).
 */
export class EventStreamParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | null = null;
  #onMessage: (message: StreamMessage) => void;
  #onComment: () => void;

  constructor(onMessage: (message: StreamMessage) => void, onComment: () => void = () => {}) {
    this.#onMessage = onMessage;
    this.#onComment = onComment;
  }

  push(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      if (!match) return;
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.#buffer.length - 1) return;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length > 0) {
        this.#onMessage({ event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id });
      }
      this.#event = '';
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) {
      this.#onComment();
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
  }
}

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** Pings come every 15 s; three missed ones mean the connection is dead even if the socket is open. */
const SILENCE_LIMIT_MS = 45_000;
/** After this many failures in a row the server counts as unreachable ("offline") rather than "reconnecting". */
const OFFLINE_AFTER_FAILURES = 4;

export function backoffDelay(failures: number, random = Math.random()): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, failures - 1));
  // "equal jitter": between half and all of the ceiling, so many tablets do not reconnect in lockstep
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * One live connection to `GET /api/v1/events`, read with `fetch` so that every event type of the
 * subscribed topics arrives (an `EventSource` only delivers the named events it has a listener for),
 * HTTP errors such as 401 are visible, and reconnection uses exponential backoff with jitter.
 * `Last-Event-ID` is sent on reconnect so the server can resume.
 */
export class LiveConnection {
  #options: LiveConnectionOptions;
  #topics: string[] = [];
  #controller: AbortController | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #silenceTimer: ReturnType<typeof setTimeout> | null = null;
  #lastEventId: string | null = null;
  #everConnected = false;
  #stopped = true;
  #snapshot: LiveSnapshot = {
    status: 'idle',
    connectedAt: null,
    retryAt: null,
    failures: 0,
    browserOffline: typeof navigator !== 'undefined' && navigator.onLine === false,
  };

  constructor(options: LiveConnectionOptions) {
    this.#options = options;
  }

  get topics(): readonly string[] {
    return this.#topics;
  }

  get snapshot(): LiveSnapshot {
    return this.#snapshot;
  }

  /** Connects (or reconnects) for these topics; an empty list closes the connection. */
  setTopics(topics: readonly string[]): void {
    const next = [...new Set(topics)].sort();
    const same = next.length === this.#topics.length && next.every((t, i) => t === this.#topics[i]);
    this.#topics = next;
    if (next.length === 0) {
      this.#close();
      this.#update({ status: 'idle', connectedAt: null, retryAt: null, failures: 0 });
      return;
    }
    if (same && !this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  start(): void {
    window.addEventListener('online', this.#handleOnline);
    window.addEventListener('offline', this.#handleOffline);
  }

  stop(): void {
    this.#stopped = true;
    window.removeEventListener('online', this.#handleOnline);
    window.removeEventListener('offline', this.#handleOffline);
    this.#close();
  }

  /** Skips the wait of a pending retry. */
  reconnectNow(): void {
    if (this.#topics.length === 0 || this.#stopped) return;
    this.#connect();
  }

  #handleOnline = () => {
    this.#update({ browserOffline: false });
    this.reconnectNow();
  };

  #handleOffline = () => {
    this.#update({ browserOffline: true });
    this.#close();
    this.#scheduleRetry();
  };

  #update(patch: Partial<LiveSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.#options.onStatus(this.#snapshot);
  }

  #close(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
    this.#retryTimer = null;
    this.#silenceTimer = null;
    this.#controller?.abort();
    this.#controller = null;
  }

  #armSilenceTimer(controller: AbortController): void {
    if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = setTimeout(
      () => controller.abort(new DOMException('silent', 'TimeoutError')),
      SILENCE_LIMIT_MS,
    );
  }

  #connect(): void {
    this.#close();
    const controller = new AbortController();
    this.#controller = controller;
    const failing = this.#snapshot.failures > 0;
    this.#update({
      status: failing ? this.#snapshot.status : this.#everConnected ? 'reconnecting' : 'connecting',
      retryAt: null,
    });
    void this.#run(controller).then((outcome) => {
      if (this.#controller !== controller) return; // replaced or closed on purpose
      this.#controller = null;
      if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
      if (outcome === 'unauthorized') {
        this.#stopped = true;
        this.#update({ status: 'idle', connectedAt: null, retryAt: null });
        this.#options.onUnauthorized();
        return;
      }
      this.#scheduleRetry();
    });
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#topics.length === 0) return;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const failures = this.#snapshot.failures + 1;
    const delay = backoffDelay(failures);
    const offline = this.#snapshot.browserOffline || failures >= OFFLINE_AFTER_FAILURES;
    this.#update({
      status: offline ? 'offline' : 'reconnecting',
      connectedAt: null,
      failures,
      retryAt: Date.now() + delay,
    });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
  }

  async #run(controller: AbortController): Promise<'closed' | 'unauthorized'> {
    const url = `${this.#options.url}?topics=${encodeURIComponent(this.#topics.join(','))}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#lastEventId) headers['last-event-id'] = this.#lastEventId;
    try {
      this.#armSilenceTimer(controller);
      const response = await fetch(url, {
        headers,
        credentials: 'same-origin',
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401) return 'unauthorized';
      if (!response.ok || !response.body) return 'closed';
      const parser = new EventStreamParser(
        (message) => this.#message(message),
        () => undefined,
      );
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'closed';
        this.#armSilenceTimer(controller);
        parser.push(value);
      }
    } catch {
      return 'closed';
    }
  }

  #message(message: StreamMessage): void {
    if (message.id) this.#lastEventId = message.id;
    if (message.event === 'ready') {
      const resync = this.#everConnected;
      this.#everConnected = true;
      this.#update({ status: 'connected', connectedAt: Date.now(), retryAt: null, failures: 0 });
      if (resync) this.#options.onResync();
      return;
    }
    let event: DomainEvent;
    try {
      event = JSON.parse(message.data) as DomainEvent;
    } catch {
      return;
    }
    if (!event || typeof event !== 'object') return;
    if (typeof event.type !== 'string') event.type = message.event;
    this.#options.onEvent(event);
  }
}

/** `item.created` → `item`. */
export function topicOf(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}
