import type { IncomingMessage } from 'node:http';
import type { ServerResponse } from 'node:http';
import { pinoHttpOptions, requestLogLevel } from './pino-http.options';

describe('pinoHttpOptions', () => {
  it('writes JSON unless asked for pretty output', () => {
    expect(pinoHttpOptions({ service: 'order', level: 'info', pretty: false }).transport).toBeUndefined();
    expect(pinoHttpOptions({ service: 'order', level: 'info', pretty: true }).transport).toMatchObject({
      target: 'pino-pretty',
    });
  });

  it('does not log probe and scrape requests', () => {
    const { autoLogging } = pinoHttpOptions({ service: 'order', level: 'info', pretty: false });
    const ignore = (autoLogging as { ignore: (req: IncomingMessage) => boolean }).ignore;
    expect(ignore({ url: '/health' } as IncomingMessage)).toBe(true);
    expect(ignore({ url: '/metrics?x=1' } as IncomingMessage)).toBe(true);
    expect(ignore({ url: '/orders' } as IncomingMessage)).toBe(false);
    // Fastify's middleware layer rewrites `url` relative to the mount point and keeps `originalUrl`.
    expect(ignore({ url: '/', originalUrl: '/alive' } as unknown as IncomingMessage)).toBe(true);
  });

  it("logs server errors as errors and a flash sale's expected refusals (409, 429) only at debug", () => {
    const req = { url: '/sales/1/purchases' } as IncomingMessage;
    const level = (statusCode: number, error?: Error) =>
      requestLogLevel(req, { statusCode } as ServerResponse, error);
    expect(level(503)).toBe('error');
    expect(level(200, new Error('aborted'))).toBe('error');
    expect(level(409)).toBe('debug');
    expect(level(429)).toBe('debug');
    expect(level(400)).toBe('info');
    expect(level(202)).toBe('info');
  });
});
