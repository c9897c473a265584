import type { IncomingMessage } from 'node:http';
import { pinoHttpOptions } from './pino-http.options';

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
});
