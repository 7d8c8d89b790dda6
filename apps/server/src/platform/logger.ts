import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

/** Structured JSON logs; secrets never reach them (redacted by path). */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'takt', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.pin',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}
