/**
 * A real cluster for tests, in the spirit of nats.js's test server: a NameServer and one or more
 * brokers on free ports with their stores in temp dirs, in this process (`startTestCluster`) or as a
 * child process that a test can kill -9 (`spawnBrokerProcess`). Everything is torn down by `stop()`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import * as path from 'node:path';
import { freePort, tempDir, type TempDir } from '@flashsale/testing';
import { type BrokerConfig, resolveBrokerConfig } from '../../src/broker-config';
import { BrokerController } from '../../src/broker-controller';
import { type BrokerLogger, silentBrokerLogger } from '../../src/broker-logger';
import { NamesrvController } from '../../src/namesrv/namesrv-controller';
import type { FlushDiskType, MessageStoreOptions } from '../../src/store';

export interface TestClusterOptions {
  brokers?: number;
  flushDiskType?: FlushDiskType;
  /** Applied to every broker (brokerName, ports and store dir are set per broker). */
  brokerConfig?: Partial<BrokerConfig>;
  storeOptions?: Partial<MessageStoreOptions>;
  logger?: BrokerLogger;
}

export interface TestBroker {
  /** "127.0.0.1:port", as registered with the NameServer. */
  addr: string;
  controller: BrokerController;
  config: BrokerConfig;
  storeDir: string;
}

export interface TestCluster {
  namesrvAddr: string;
  namesrv: NamesrvController;
  brokers: TestBroker[];
  stop(): Promise<void>;
}

/** Modest store sizes so that many test brokers fit in memory. */
export const TEST_STORE_OPTIONS: Partial<MessageStoreOptions> = {
  mappedFileSizeCommitLog: 64 * 1024 * 1024,
  hotCacheBytes: 32 * 1024 * 1024,
  consumeQueueCacheBytes: 8 * 1024 * 1024,
  maxHashSlotNum: 50_000,
  maxIndexNum: 200_000,
  flushIntervalConsumeQueue: 100,
};

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const logger = options.logger ?? silentBrokerLogger;
  const namesrv = new NamesrvController({ listenPort: 0, host: '127.0.0.1', logger });
  await namesrv.start();
  const namesrvAddr = `127.0.0.1:${namesrv.port}`;
  const brokers: TestBroker[] = [];
  const dirs: TempDir[] = [];

  const stop = async (): Promise<void> => {
    for (const broker of brokers) await broker.controller.shutdown();
    await namesrv.shutdown();
    for (const dir of dirs) await dir.remove();
  };

  try {
    for (let i = 0; i < (options.brokers ?? 1); i++) {
      const dir = await tempDir('broker-test-');
      dirs.push(dir);
      const config = resolveBrokerConfig({
        brokerName: `broker-${String.fromCharCode(97 + i)}`,
        listenHost: '127.0.0.1',
        flushDiskType: options.flushDiskType ?? 'ASYNC_FLUSH',
        ...options.brokerConfig,
        listenPort: await freePort(),
        namesrvAddr,
        storePathRootDir: dir.path,
      });
      const controller = new BrokerController({
        config,
        logger,
        storeOptions: { ...TEST_STORE_OPTIONS, ...options.storeOptions },
      });
      await controller.start();
      brokers.push({ addr: controller.brokerAddr, controller, config, storeDir: dir.path });
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { namesrvAddr, namesrv, brokers, stop };
}

// ---- a broker in a child process ----------------------------------------------------------------

export interface SpawnBrokerOptions {
  storeDir: string;
  namesrvAddr: string;
  port: number;
  flushDiskType?: FlushDiskType;
  brokerName?: string;
  /** Extra environment variables (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /** Node flags for the broker process (e.g. the GC flags a benchmark runs it with). */
  nodeArgs?: string[];
  startTimeoutMillis?: number;
}

export interface BrokerProcess {
  readonly child: ChildProcess;
  readonly addr: string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** SIGKILL: no flush, no unregister — a crash. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
}

const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
const MAIN = path.join(WORKSPACE_ROOT, 'apps/broker/src/main.ts');

export async function spawnBrokerProcess(options: SpawnBrokerOptions): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '-r', '@swc-node/register', MAIN], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      ROLE: 'broker',
      BROKER_PORT: String(options.port),
      BROKER_IP: '127.0.0.1',
      BROKER_LISTEN_HOST: '127.0.0.1',
      STORE_DIR: options.storeDir,
      NAMESRV_ADDR: options.namesrvAddr,
      FLUSH_DISK_TYPE: options.flushDiskType ?? 'ASYNC_FLUSH',
      BROKER_NAME: options.brokerName ?? 'broker-a',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running: BrokerProcess = {
    child,
    addr: `127.0.0.1:${options.port}`,
    exited,
    output: () => output,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited).code;
    },
  };
  const deadline = Date.now() + (options.startTimeoutMillis ?? 30_000);
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  while (!(await canConnect(options.port))) {
    if (exitedEarly) throw new Error(`broker process exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      await running.kill9();
      throw new Error(`broker process did not open port ${options.port} in time:\n${output}`);
    }
    await sleep(100);
  }
  return running;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
