import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The README's run command, end to end: `npm start` on an empty data directory with no DATABASE_URL
 * or REDIS_URL brings up embedded PostgreSQL and a spawned Redis, serves every app, each service's
 * /health reports both up, and Ctrl-C (SIGINT to the foreground process group) stops everything.
 */
const root = path.resolve(__dirname, '../..');
const SERVICES = { order: 3001, inventory: 3002, notify: 3003 };
const BROKER_PORTS = [9876, 10911];

function processesCarrying(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForHealth(url: string, deadline: number): Promise<{ status: number; body: unknown }> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return { status: 200, body: await response.json() };
      last = `${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} never answered 200: ${String(last)}`);
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return condition();
}

describe('npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flashsale-start-'));
  const marker = `FLASHSALE_DATA_DIR=${dataDir}`;
  let output = '';
  let announcedPostgres = false;
  const capture = (chunk: Buffer): void => {
    const text = chunk.toString();
    if (/\[start\] PostgreSQL: postgres:\/\//.test(text)) announcedPostgres = true;
    output = (output + text).slice(-20000);
  };

  afterAll(() => {
    for (const pid of processesCarrying(marker)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves every app with PostgreSQL, Redis and the broker up, and Ctrl-C leaves no process behind', async () => {
    const busy = await Promise.all([...Object.values(SERVICES), ...BROKER_PORTS].map(isListening));
    expect(busy.every((taken) => !taken)).toBe(true); // another stack on the default ports would mislead us

    const env: NodeJS.ProcessEnv = { ...process.env, FLASHSALE_DATA_DIR: dataDir };
    env.STORE_DIR = path.join(dataDir, 'broker');
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const start = spawn('npm', ['start'], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout?.on('data', capture);
    start.stderr?.on('data', capture);
    const exited = exitOf(start);

    try {
      const deadline = Date.now() + 150_000;
      for (const [name, port] of Object.entries(SERVICES)) {
        const health = await waitForHealth(`http://127.0.0.1:${port}/health`, deadline);
        expect(health.body).toMatchObject({
          status: 'ok',
          info: { database: { status: 'up' }, redis: { status: 'up' }, broker: { status: 'up' } },
        });
        expect(name).toBeDefined();
      }
      for (const port of BROKER_PORTS) expect(await isListening(port)).toBe(true);
      expect(announcedPostgres).toBe(true);
    } catch (error) {
      throw new Error(`${String(error)}\n--- npm start output ---\n${output}`);
    } finally {
      process.kill(-start.pid!, 'SIGINT'); // what Ctrl-C in a terminal does
    }

    // npm itself dies of the SIGINT at once; the script it ran finishes its clean-up after it.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    expect(await waitUntil(() => processesCarrying(marker).length === 0, 60_000)).toBe(true);
    expect(output).toMatch(/\[start\] stopped/);
    for (const port of [...Object.values(SERVICES), ...BROKER_PORTS])
      expect(await isListening(port)).toBe(false);
    expect(processesCarrying(marker)).toEqual([]);
  }, 240_000);
});
