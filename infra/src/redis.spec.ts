import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InfraError } from './infra-error';
import { findRedisServer, REDIS_INSTALL_HINT, spawnRedis } from './redis';

describe('spawnRedis', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'redis-spec-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds redis-server on the search path', () => {
    expect(findRedisServer(`${dir}${path.delimiter}/usr/bin${path.delimiter}/usr/local/bin`)).toMatch(
      /\/redis-server$/,
    );
    expect(findRedisServer(dir)).toBeUndefined();
  });

  it('stops with an install hint when no redis-server is on the search path', async () => {
    const attempt = spawnRedis({ dataDir: path.join(dir, 'redis'), persistent: false, searchPath: dir });
    await expect(attempt).rejects.toBeInstanceOf(InfraError);
    await expect(attempt).rejects.toThrow(REDIS_INSTALL_HINT);
    expect(REDIS_INSTALL_HINT).toMatch(/apt-get install redis-server/);
  });
});
