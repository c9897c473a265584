/**
 * A real NameServer + broker for a service's integration tests, in a child process on free ports with
 * its store in a fresh temp dir — in the spirit of nats.js's test server.
 *
 * Why a child process rather than importing the broker: the module-boundary rules let services (and
 * this library) depend only on libs, never on apps/broker; the broker is started exactly as
 * `nx serve broker` starts it, from its source path. Why we speak one request of the remoting protocol
 * ourselves: this library may not import @flashsale/mq either, and "the broker port accepts
 * connections" is not enough — the broker listens a moment before it has registered with the
 * NameServer, and a client that asks for a route in between gets none. So readiness is "the
 * NameServer's GET_BROKER_CLUSTER_INFO (106) answer names our broker's address".
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';
import { tempDir } from './temp-dir';

export interface SpawnBrokerOptions {
  /**
   * Extra environment for the broker (names from apps/broker/src/broker-config.ts), e.g.
   * `{ TRANSACTION_CHECK_INTERVAL: '500', TRANSACTION_TIMEOUT: '1000', DELAY_LEVEL_SCALE: '0.01' }`.
   */
  env?: Record<string, string>;
  /** Node flags for the broker process, e.g. `['--single-threaded-gc']` as `nx serve broker` runs it. */
  nodeArgs?: string[];
  /** How long to wait for the broker to register (default 60 s: the first start compiles its sources). */
  startTimeoutMs?: number;
}

export interface SpawnedBroker {
  /** `127.0.0.1:<port>`, for NAMESRV_ADDR / `nameServer`. */
  namesrvAddr: string;
  /** `127.0.0.1:<port>` of the broker itself. */
  brokerAddr: string;
  /** The broker's store directory (removed by stop()). */
  storeDir: string;
  /** The broker process, for /proc figures (CPU seconds, peak RSS). */
  pid: number;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes the store; safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const GET_BROKER_CLUSTER_INFO = 106;
const POLL_INTERVAL_MS = 100;
const STOP_GRACE_MS = 5_000;
/** Last bytes of the broker's output kept for the error message of a failed start. */
const OUTPUT_TAIL_CHARS = 4_000;

export async function spawnBrokerForTests(options: SpawnBrokerOptions = {}): Promise<SpawnedBroker> {
  const root = workspaceRoot();
  const store = await tempDir('flashsale-broker-');
  const [namesrvPort, brokerPort] = await distinctFreePorts();
  const namesrvAddr = `${HOST}:${namesrvPort}`;
  const brokerAddr = `${HOST}:${brokerPort}`;

  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '-r', '@swc-node/register', join('apps', 'broker', 'src', 'main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        ROLE: 'all',
        NAMESRV_PORT: String(namesrvPort),
        BROKER_PORT: String(brokerPort),
        BROKER_IP: HOST,
        BROKER_LISTEN_HOST: HOST,
        STORE_DIR: store.path,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await terminate(child, exited);
      await store.remove();
    })();
    return stopping;
  };

  try {
    await waitUntilRegistered(child, namesrvPort, brokerAddr, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`broker did not start: ${reason}\n--- broker output ---\n${output}`);
  }
  return { namesrvAddr, brokerAddr, storeDir: store.path, pid: child.pid as number, stop };
}

/** The directory holding nx.json, found by walking up from this file. */
function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

async function distinctFreePorts(): Promise<[number, number]> {
  const first = await freePort(HOST);
  let second = await freePort(HOST);
  // RocketMQ's HA port is listenPort + 1; keep the NameServer away from it too.
  while (second === first || second + 1 === first || first + 1 === second) second = await freePort(HOST);
  return [first, second];
}

async function waitUntilRegistered(
  child: ChildProcess,
  namesrvPort: number,
  brokerAddr: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the process exited (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const clusterInfo = await askClusterInfo(namesrvPort).catch(() => undefined);
    if (clusterInfo?.includes(`"${brokerAddr}"`)) return;
    if (Date.now() > deadline) throw new Error(`${brokerAddr} not registered after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/**
 * One GET_BROKER_CLUSTER_INFO round trip: frame = int32 length, int32 (serialize type 0 = JSON << 24 |
 * header length), JSON header, body. Resolves to the response body as text (the ClusterInfo JSON).
 */
function askClusterInfo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const header = Buffer.from(
      JSON.stringify({
        code: GET_BROKER_CLUSTER_INFO,
        language: 'JAVA',
        version: 0,
        opaque: 1,
        flag: 0,
        extFields: {},
      }),
    );
    const frame = Buffer.alloc(8 + header.length);
    frame.writeInt32BE(4 + header.length, 0);
    frame.writeInt32BE(header.length, 4);
    header.copy(frame, 8);

    const socket = connect(port, HOST);
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(2_000, () => fail(new Error('no answer from the NameServer')));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(frame));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const length = received.readInt32BE(0);
      if (received.length < 4 + length) return;
      socket.destroy();
      const headerLength = received.readInt32BE(4) & 0xffffff;
      resolve(received.subarray(8 + headerLength, 4 + length).toString('utf8'));
    });
  });
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(killer);
  }
}
