/**
 * Local Redis: use REDIS_URL when the user gives one, otherwise start the `redis-server` found on PATH
 * on a free port with its data under the given directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { InfraError } from './infra-error';

export interface RunningRedis {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface SpawnRedisOptions {
  dataDir: string;
  preferredPort?: number;
  /** Append-only persistence for the dev stack; none for tests. */
  persistent: boolean;
  /** Directories to search for redis-server (default: $PATH). */
  searchPath?: string;
  log?: (line: string) => void;
}

export const REDIS_INSTALL_HINT =
  'redis-server was not found on PATH. Install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`; ' +
  'macOS: `brew install redis`) or set REDIS_URL to a Redis you already run.';

export function findRedisServer(searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export async function spawnRedis(options: SpawnRedisOptions): Promise<RunningRedis> {
  const binary = findRedisServer(options.searchPath);
  if (!binary) throw new InfraError(REDIS_INSTALL_HINT);
  await mkdir(options.dataDir, { recursive: true });
  const port = await freePort(options.preferredPort ?? 0);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dataDir, '--save', ''];
  args.push('--appendonly', options.persistent ? 'yes' : 'no');
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.log ?? (() => undefined);
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, child);
  return { url, embedded: true, stop: () => stopChild(child) };
}

export async function useRedisUrl(url: string): Promise<RunningRedis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined); // the connect() rejection below carries the same error
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new InfraError(`cannot connect to REDIS_URL (${url}): ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    client.disconnect();
  }
  return { url, embedded: false, stop: async () => undefined };
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let attempt = 0; attempt < 100; attempt++) {
    if (exited) throw new InfraError(`redis-server exited during start-up (exit code ${child.exitCode})`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // the connect() rejection below carries the same error
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      client.disconnect();
    }
  }
  child.kill('SIGKILL');
  throw new InfraError('redis-server did not answer PING within 10 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
