import type { FastifyBaseLogger } from 'fastify';
import { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config.ts';
import { redactLogObject } from './secrets.ts';

/**
 * Structured JSON logs; secrets never reach them: every field whose key names a secret (the one rule of
 * secrets.ts, as for the audit trail and the request log) is replaced, at any depth of plain objects.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'takt', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => redactLogObject(object) },
      // An error's own fields (say, a client's `config.headers`) come out through its serializer.
      serializers: { err: (err: Error) => redactLogObject({ ...pino.stdSerializers.err(err) }) },
    },
    destination,
  );
}

type LogArgs = Parameters<Logger['info']>;
type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger that becomes a pino child (with the request id bound) only when it first writes
 * a line its level lets through: most requests log nothing of their own, and binding a child costs
 * as much as serving a small read.
 */
class RequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #child: Logger | null = null;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #logger(): Logger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }

  #write(level: Level, args: LogArgs): void {
    if (!(this.#child ?? this.#parent).isLevelEnabled(level)) return;
    (this.#logger()[level] as (...a: LogArgs) => void)(...args);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }
  set level(level: string) {
    this.#logger().level = level;
  }
  fatal(...args: LogArgs): void {
    this.#write('fatal', args);
  }
  error(...args: LogArgs): void {
    this.#write('error', args);
  }
  warn(...args: LogArgs): void {
    this.#write('warn', args);
  }
  info(...args: LogArgs): void {
    this.#write('info', args);
  }
  debug(...args: LogArgs): void {
    this.#write('debug', args);
  }
  trace(...args: LogArgs): void {
    this.#write('trace', args);
  }
  silent(): void {}
  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#logger().child(bindings, options);
  }
}

/**
 * Fastify's `childLoggerFactory`: request loggers bind their child lazily (above). A route with its
 * own level or serializers, or a logger that is not pino, gets an ordinary child at once.
 */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const pinoLogger = logger as Logger;
  if (options.level || options.serializers || typeof pinoLogger.isLevelEnabled !== 'function') {
    return logger.child(bindings, options);
  }
  return new RequestLogger(pinoLogger, bindings) as unknown as FastifyBaseLogger;
}
