import { createServer } from 'node:net';

/** Resolves to `preferred` when it is free on 127.0.0.1, otherwise to a port the OS picks. */
export async function freePort(preferred = 0): Promise<number> {
  if (preferred > 0 && (await isFree(preferred))) return preferred;
  return listenAndClose(0);
}

async function isFree(port: number): Promise<boolean> {
  try {
    await listenAndClose(port);
    return true;
  } catch {
    return false;
  }
}

function listenAndClose(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}
