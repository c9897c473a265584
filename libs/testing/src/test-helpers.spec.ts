import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, tempDir } from './index';

describe('freePort', () => {
  it('returns a port another server can listen on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('tempDir', () => {
  it('creates a directory and removes it with its contents', async () => {
    const dir = await tempDir('testing-spec-');
    await writeFile(join(dir.path, 'file.txt'), 'x');
    expect(existsSync(join(dir.path, 'file.txt'))).toBe(true);
    await dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });
});
