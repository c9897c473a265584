import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/base-service.config';

/** On Fastify, middleware sees `url` relative to where it is mounted; `originalUrl` is the full one. */
type MountedRequest = IncomingMessage & { originalUrl?: string };

/** Probes and scrapes: polled every few seconds, so logging each request would drown everything else. */
const QUIET_PATHS = new Set(['/health', '/alive', '/metrics']);

export interface LogOptions {
  service: string;
  level: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON; by default when stdout is a terminal. */
  pretty?: boolean;
}

/**
 * pino-http options: JSON lines for log collectors, pretty lines for a developer's terminal, one line
 * per HTTP request with method, URL, status and duration, and no credentials in headers.
 */
export function pinoHttpOptions({
  service,
  level,
  pretty = Boolean(process.stdout.isTTY),
}: LogOptions): Options {
  return {
    level,
    base: { service },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    autoLogging: { ignore: (req: MountedRequest) => QUIET_PATHS.has(pathOf(req.originalUrl ?? req.url)) },
    customLogLevel: requestLogLevel,
    transport: pretty
      ? {
          target: 'pino-pretty',
          options: {
            singleLine: true,
            translateTime: 'SYS:HH:MM:ss.l',
            messageFormat: '[{context}] {msg}',
            ignore: 'pid,hostname,service,context',
          },
        }
      : undefined,
  };
}

/**
 * 5xx is an error; 409 and 429 are how a flash sale answers its losers (sold out, already bought, slow
 * down) — tens of thousands a second at the peak, expected, and logged only at debug so the log keeps
 * what matters; everything else at info.
 */
export function requestLogLevel(_req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent {
  if (error || res.statusCode >= 500) return 'error';
  if (res.statusCode === 409 || res.statusCode === 429) return 'debug';
  return 'info';
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?', 1)[0];
}
