/**
 * One service (order, inventory or notify) as a real child process, started the way `nx serve` starts
 * it: `node -r @swc-node/register apps/<name>/src/main.ts`. A process, not an in-process Nest app,
 * because these tests kill services (SIGKILL) and restart them, and because the services must be
 * exercised exactly as deployed: their own config loading, signal handling and shutdown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ServiceName = 'order' | 'inventory' | 'notify';

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly pid: number;
  /** `http://127.0.0.1:<PORT>` */
  readonly url: string;
  /** The environment it was started with (to start a replacement with the same settings). */
  readonly env: Record<string, string>;
  /** The last part of its stdout and stderr, for failure messages. */
  output(): string;
  /** Whether the process has ended. */
  exited(): boolean;
  /** SIGTERM (or `signal`), then SIGKILL if it is still there after `graceMs`; safe to call twice. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface StartServiceOptions {
  /** How long to wait for `/health` to answer 200 (the first start compiles the sources). */
  startTimeoutMs?: number;
}

const OUTPUT_TAIL_CHARS = 16_000;
const HEALTH_POLL_MS = 250;
const STOP_GRACE_MS = 15_000;

/**
 * Starts `apps/<name>/src/main.ts` with `env` on top of this process's environment and waits until
 * `GET /health` answers 200 (database, Redis and broker reachable, consumers started). `env` must
 * contain PORT. Rejects with the process output if it exits or does not become healthy in time.
 */
export async function startServiceProcess(
  name: ServiceName,
  env: Record<string, string>,
  options: StartServiceOptions = {},
): Promise<ServiceProcess> {
  if (!env.PORT) throw new Error(`startServiceProcess(${name}): env.PORT is required`);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join('apps', name, 'src', 'main.ts')], {
    cwd: workspaceRoot(),
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let stopping: Promise<void> | undefined;
  const service: ServiceProcess = {
    name,
    pid: child.pid ?? -1,
    url: `http://127.0.0.1:${env.PORT}`,
    env,
    output: () => output,
    exited: () => hasExited(child),
    stop: (signal = 'SIGTERM', graceMs = STOP_GRACE_MS) => {
      stopping ??= terminate(child, exit, signal, graceMs);
      return stopping;
    },
  };

  try {
    await waitUntilHealthy(service, child, options.startTimeoutMs ?? 90_000);
  } catch (error) {
    await service.stop('SIGKILL');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${name} service did not start: ${reason}\n--- ${name} output ---\n${output}`);
  }
  return service;
}

async function waitUntilHealthy(service: ServiceProcess, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(child)) {
      throw new Error(`the process exited (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const status = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`/health not 200 after ${timeoutMs} ms (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
}

async function terminate(
  child: ChildProcess,
  exit: Promise<void>,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<void> {
  if (hasExited(child)) return;
  child.kill(signal);
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exit;
  } finally {
    clearTimeout(killer);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The directory holding nx.json: the services resolve their imports from there. */
function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
