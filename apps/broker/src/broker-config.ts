/**
 * BrokerConfig: the broker's settings under RocketMQ's own names (`BrokerConfig`, `NettyServerConfig`,
 * `MessageStoreConfig`), with RocketMQ's defaults unless a comment says otherwise, and the one place
 * that reads them from environment variables and command-line flags.
 *
 * Interview question: "Which broker settings matter in production?" — the identity (cluster, broker
 * name, brokerId 0 = master), the advertised address (brokerIP1: it ends up in every offset msgId, so
 * it must be reachable by clients), the NameServer list, flushDiskType (ASYNC_FLUSH vs SYNC_FLUSH),
 * and autoCreateTopicEnable, which production clusters usually switch off.
 */
import * as path from 'node:path';
import { DEFAULT_MESSAGE_DELAY_LEVEL } from './schedule/delay-level-table';
import { scheduleSettingsProblem } from './schedule/schedule-settings';
import type { FlushDiskType } from './store';

export type ProcessRole = 'all' | 'namesrv' | 'broker';

export interface BrokerConfig {
  brokerClusterName: string;
  /** Master and slaves of one broker group share the name; RocketMQ defaults to the hostname. */
  brokerName: string;
  /** 0 = master, >= 1 = slave. */
  brokerId: number;
  /** The address advertised to NameServers and written into STOREHOST and offset msgIds. */
  brokerIP1: string;
  /** Interface the remoting server binds to (ours; RocketMQ binds to all interfaces). */
  listenHost: string;
  listenPort: number;
  /** ';'-separated NameServer addresses, as in RocketMQ. */
  namesrvAddr: string;
  autoCreateTopicEnable: boolean;
  /** Queue count of TBW102, and so the ceiling for auto-created topics. */
  defaultTopicQueueNums: number;
  autoCreateSubscriptionGroup: boolean;
  /** PermName bits of the whole broker: 6 = read and write. */
  brokerPermission: number;
  registerNameServerPeriod: number;
  registerBrokerTimeoutMills: number;
  regionId: string;
  traceOn: boolean;
  longPollingEnable: boolean;
  shortPollingTimeMills: number;
  notifyConsumerIdsChangedEnable: boolean;
  rejectTransactionMessage: boolean;
  /** How often the transaction check service looks for unresolved half messages (RocketMQ: 60 s). */
  transactionCheckInterval: number;
  /** A half message younger than this (from its born time) is not checked back yet (RocketMQ: 6 s). */
  transactionTimeOut: number;
  /** Check-backs per half message before it is discarded to TRANS_CHECK_MAX_TIME_TOPIC (RocketMQ: 15). */
  transactionCheckMax: number;
  /** An orderly consumer's queue lock expires this long after its last renewal (RocketMQ: 60 s). */
  rebalanceLockMaxLiveTime: number;
  /** A client channel silent for this long is dropped (RocketMQ: 120 s). */
  channelExpiredTimeout: number;
  /** How often idle client channels are looked for (RocketMQ: 10 s). */
  clientScanInterval: number;
  flushConsumerOffsetInterval: number;
  /** QUERY_MESSAGE by unique key returns at most this many messages. */
  defaultQueryMaxNum: number;
  maxMessageSize: number;
  storePathRootDir: string;
  flushDiskType: FlushDiskType;
  /** The delay levels, RocketMQ's `messageDelayLevel` (units s, m, h, d). */
  messageDelayLevel: string;
  /** Ours: multiplies every delay level (0.01 runs the retry ladder 100x faster for tests and demos). */
  delayLevelScale: number;
  /** How often config/delayOffset.json is written (RocketMQ: 10 s). */
  flushDelayOffsetInterval: number;
  /** Timer messages (5.x): delivery times are rounded down to this step; 100, 200, 500 or 1000 ms. */
  timerPrecisionMs: number;
  /** Timer messages further ahead than this are refused with MESSAGE_ILLEGAL (RocketMQ: 3 days). */
  timerMaxDelaySec: number;
}

/** What a process runs, beyond the broker itself. */
export interface BrokerStartupConfig {
  role: ProcessRole;
  namesrvListenPort: number;
  logLevel: string;
  broker: BrokerConfig;
}

export const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  brokerClusterName: 'DefaultCluster',
  brokerName: 'broker-a',
  brokerId: 0,
  brokerIP1: '127.0.0.1',
  listenHost: '0.0.0.0',
  listenPort: 10911,
  namesrvAddr: '127.0.0.1:9876',
  autoCreateTopicEnable: true,
  defaultTopicQueueNums: 8,
  autoCreateSubscriptionGroup: true,
  brokerPermission: 6,
  registerNameServerPeriod: 30_000,
  registerBrokerTimeoutMills: 6_000,
  regionId: 'DefaultRegion',
  traceOn: true,
  longPollingEnable: true,
  shortPollingTimeMills: 1_000,
  notifyConsumerIdsChangedEnable: true,
  rejectTransactionMessage: false,
  transactionCheckInterval: 60_000,
  transactionTimeOut: 6_000,
  transactionCheckMax: 15,
  rebalanceLockMaxLiveTime: 60_000,
  channelExpiredTimeout: 120_000,
  clientScanInterval: 10_000,
  flushConsumerOffsetInterval: 5_000,
  defaultQueryMaxNum: 32,
  maxMessageSize: 4 * 1024 * 1024,
  storePathRootDir: '.data/broker',
  flushDiskType: 'ASYNC_FLUSH',
  messageDelayLevel: DEFAULT_MESSAGE_DELAY_LEVEL,
  delayLevelScale: 1,
  flushDelayOffsetInterval: 10_000,
  timerPrecisionMs: 1000,
  timerMaxDelaySec: 259_200,
};

export const DEFAULT_NAMESRV_PORT = 9876;

export class BrokerConfigError extends Error {
  override readonly name = 'BrokerConfigError';

  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
  }
}

/** The broker's own address as clients and NameServers see it. */
export function brokerAddrOf(config: BrokerConfig): string {
  return `${config.brokerIP1}:${config.listenPort}`;
}

/** RocketMQ's HA port convention: listenPort + 1. */
export function haServerAddrOf(config: BrokerConfig): string {
  return `${config.brokerIP1}:${config.listenPort + 1}`;
}

export function namesrvAddrList(config: BrokerConfig): string[] {
  return config.namesrvAddr
    .split(';')
    .map((addr) => addr.trim())
    .filter((addr) => addr.length > 0);
}

/** Defaults overlaid with `overrides`, then validated. */
export function resolveBrokerConfig(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  const config = { ...DEFAULT_BROKER_CONFIG, ...overrides };
  validateBrokerConfig(config);
  return config;
}

// ---- validation ---------------------------------------------------------------------------------

const NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
const ADDRESS_PATTERN = /^[^\s:;]+:\d{1,5}$/;

function validateBrokerConfig(config: BrokerConfig): void {
  requireName('brokerClusterName', config.brokerClusterName);
  requireName('brokerName', config.brokerName);
  requireIntIn('brokerId', config.brokerId, 0, 1_000_000);
  requireIntIn('listenPort', config.listenPort, 1, 65_534);
  requireIntIn('defaultTopicQueueNums', config.defaultTopicQueueNums, 1, 1024);
  requireIntIn('brokerPermission', config.brokerPermission, 0, 7);
  requireIntIn('registerNameServerPeriod', config.registerNameServerPeriod, 1_000, 3_600_000);
  requireIntIn('maxMessageSize', config.maxMessageSize, 1024, 16 * 1024 * 1024 - 1024);
  requireIntIn('channelExpiredTimeout', config.channelExpiredTimeout, 1_000, 3_600_000);
  requireIntIn('clientScanInterval', config.clientScanInterval, 100, 600_000);
  requireIntIn('transactionCheckInterval', config.transactionCheckInterval, 10, 3_600_000);
  requireIntIn('transactionTimeOut', config.transactionTimeOut, 0, 86_400_000);
  requireIntIn('transactionCheckMax', config.transactionCheckMax, 1, 10_000);
  requireIntIn('rebalanceLockMaxLiveTime', config.rebalanceLockMaxLiveTime, 10, 3_600_000);
  if (!config.brokerIP1) throw new BrokerConfigError('brokerIP1', 'must not be empty');
  if (config.brokerIP1 === '0.0.0.0') {
    throw new BrokerConfigError('brokerIP1', 'must be an address clients can reach, not 0.0.0.0');
  }
  if (!config.storePathRootDir) throw new BrokerConfigError('storePathRootDir', 'must not be empty');
  if (config.flushDiskType !== 'ASYNC_FLUSH' && config.flushDiskType !== 'SYNC_FLUSH') {
    throw new BrokerConfigError(
      'flushDiskType',
      `must be ASYNC_FLUSH or SYNC_FLUSH, got ${config.flushDiskType}`,
    );
  }
  const scheduleProblem = scheduleSettingsProblem(config);
  if (scheduleProblem) throw new BrokerConfigError(scheduleProblem.setting, scheduleProblem.message);
  const addrs = namesrvAddrList(config);
  if (addrs.length === 0) throw new BrokerConfigError('namesrvAddr', 'needs at least one ip:port');
  for (const addr of addrs) {
    if (!ADDRESS_PATTERN.test(addr)) throw new BrokerConfigError('namesrvAddr', `"${addr}" is not ip:port`);
  }
}

function requireName(setting: string, value: string): void {
  if (!NAME_PATTERN.test(value)) {
    throw new BrokerConfigError(setting, `"${value}" may contain only letters, digits, '_' and '-'`);
  }
}

function requireIntIn(setting: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BrokerConfigError(setting, `must be an integer in [${min}, ${max}], got ${value}`);
  }
}

// ---- environment and command line -------------------------------------------------------------

type Setting = keyof BrokerConfig | 'role' | 'namesrvListenPort' | 'logLevel';
type Parser = (raw: string, setting: string) => string | number | boolean;

interface SettingSource {
  setting: Setting;
  env: string;
  flag: string;
  parse: Parser;
}

const asString: Parser = (raw) => raw;

const asInt: Parser = (raw, setting) => {
  if (!/^-?\d+$/.test(raw.trim())) throw new BrokerConfigError(setting, `"${raw}" is not an integer`);
  return Number(raw.trim());
};

const asNumber: Parser = (raw, setting) => {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value))
    throw new BrokerConfigError(setting, `"${raw}" is not a number`);
  return value;
};

const asBoolean: Parser = (raw, setting) => {
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 'no') return false;
  throw new BrokerConfigError(setting, `"${raw}" is not a boolean (true/false)`);
};

const asFlushDiskType: Parser = (raw, setting) => {
  const value = raw.trim().toUpperCase();
  if (value === 'ASYNC_FLUSH' || value === 'SYNC_FLUSH') return value;
  throw new BrokerConfigError(setting, `"${raw}" must be ASYNC_FLUSH or SYNC_FLUSH`);
};

const asRole: Parser = (raw, setting) => {
  const value = raw.trim().toLowerCase();
  if (value === 'all' || value === 'namesrv' || value === 'broker') return value;
  throw new BrokerConfigError(setting, `"${raw}" must be all, namesrv or broker`);
};

const SOURCES: readonly SettingSource[] = [
  { setting: 'role', env: 'ROLE', flag: 'role', parse: asRole },
  { setting: 'namesrvListenPort', env: 'NAMESRV_PORT', flag: 'namesrv-port', parse: asInt },
  { setting: 'logLevel', env: 'LOG_LEVEL', flag: 'log-level', parse: asString },
  { setting: 'brokerClusterName', env: 'BROKER_CLUSTER', flag: 'broker-cluster', parse: asString },
  { setting: 'brokerName', env: 'BROKER_NAME', flag: 'broker-name', parse: asString },
  { setting: 'brokerId', env: 'BROKER_ID', flag: 'broker-id', parse: asInt },
  { setting: 'brokerIP1', env: 'BROKER_IP', flag: 'broker-ip', parse: asString },
  { setting: 'listenHost', env: 'BROKER_LISTEN_HOST', flag: 'listen-host', parse: asString },
  { setting: 'listenPort', env: 'BROKER_PORT', flag: 'broker-port', parse: asInt },
  { setting: 'namesrvAddr', env: 'NAMESRV_ADDR', flag: 'namesrv-addr', parse: asString },
  { setting: 'storePathRootDir', env: 'STORE_DIR', flag: 'store-dir', parse: asString },
  { setting: 'flushDiskType', env: 'FLUSH_DISK_TYPE', flag: 'flush-disk-type', parse: asFlushDiskType },
  { setting: 'autoCreateTopicEnable', env: 'AUTO_CREATE_TOPIC', flag: 'auto-create-topic', parse: asBoolean },
  {
    setting: 'autoCreateSubscriptionGroup',
    env: 'AUTO_CREATE_SUBSCRIPTION_GROUP',
    flag: 'auto-create-subscription-group',
    parse: asBoolean,
  },
  {
    setting: 'defaultTopicQueueNums',
    env: 'DEFAULT_TOPIC_QUEUE_NUMS',
    flag: 'default-topic-queue-nums',
    parse: asInt,
  },
  { setting: 'brokerPermission', env: 'BROKER_PERMISSION', flag: 'broker-permission', parse: asInt },
  {
    setting: 'registerNameServerPeriod',
    env: 'REGISTER_NAMESRV_PERIOD',
    flag: 'register-namesrv-period',
    parse: asInt,
  },
  { setting: 'regionId', env: 'REGION_ID', flag: 'region-id', parse: asString },
  { setting: 'traceOn', env: 'TRACE_ON', flag: 'trace-on', parse: asBoolean },
  { setting: 'longPollingEnable', env: 'LONG_POLLING_ENABLE', flag: 'long-polling-enable', parse: asBoolean },
  {
    setting: 'rejectTransactionMessage',
    env: 'REJECT_TRANSACTION_MESSAGE',
    flag: 'reject-transaction-message',
    parse: asBoolean,
  },
  {
    setting: 'transactionCheckInterval',
    env: 'TRANSACTION_CHECK_INTERVAL',
    flag: 'transaction-check-interval',
    parse: asInt,
  },
  { setting: 'transactionTimeOut', env: 'TRANSACTION_TIMEOUT', flag: 'transaction-timeout', parse: asInt },
  {
    setting: 'transactionCheckMax',
    env: 'TRANSACTION_CHECK_MAX',
    flag: 'transaction-check-max',
    parse: asInt,
  },
  {
    setting: 'rebalanceLockMaxLiveTime',
    env: 'REBALANCE_LOCK_MAX_LIVE_TIME',
    flag: 'rebalance-lock-max-live-time',
    parse: asInt,
  },
  { setting: 'maxMessageSize', env: 'MAX_MESSAGE_SIZE', flag: 'max-message-size', parse: asInt },
  { setting: 'messageDelayLevel', env: 'MESSAGE_DELAY_LEVEL', flag: 'message-delay-level', parse: asString },
  { setting: 'delayLevelScale', env: 'DELAY_LEVEL_SCALE', flag: 'delay-level-scale', parse: asNumber },
  { setting: 'timerPrecisionMs', env: 'TIMER_PRECISION_MS', flag: 'timer-precision-ms', parse: asInt },
  { setting: 'timerMaxDelaySec', env: 'TIMER_MAX_DELAY_SEC', flag: 'timer-max-delay-sec', parse: asInt },
];

/**
 * Reads the process configuration: defaults, then environment variables, then flags
 * (`--store-dir x` or `--store-dir=x`; a boolean flag alone means true). Unknown flags and bad
 * values throw a BrokerConfigError that names the setting.
 */
export function loadBrokerConfig(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
): BrokerStartupConfig {
  const values = new Map<Setting, string | number | boolean>();
  for (const source of SOURCES) {
    const raw = env[source.env];
    if (raw !== undefined && raw !== '') values.set(source.setting, source.parse(raw, source.env));
  }
  for (const [flag, raw] of parseFlags(argv)) {
    const source = SOURCES.find((s) => s.flag === flag);
    if (!source) throw new BrokerConfigError(`--${flag}`, 'unknown flag');
    const text = raw ?? (source.parse === asBoolean ? 'true' : undefined);
    if (text === undefined) throw new BrokerConfigError(`--${flag}`, 'needs a value');
    values.set(source.setting, source.parse(text, `--${flag}`));
  }
  return assemble(values);
}

function assemble(values: Map<Setting, string | number | boolean>): BrokerStartupConfig {
  const role = (values.get('role') as ProcessRole | undefined) ?? 'all';
  const namesrvListenPort = (values.get('namesrvListenPort') as number | undefined) ?? DEFAULT_NAMESRV_PORT;
  requireIntIn('namesrvListenPort', namesrvListenPort, 1, 65_535);
  const logLevel = (values.get('logLevel') as string | undefined) ?? 'info';
  const overrides: Record<string, unknown> = {};
  for (const [setting, value] of values) {
    if (setting !== 'role' && setting !== 'namesrvListenPort' && setting !== 'logLevel') {
      overrides[setting] = value;
    }
  }
  // One process running both: the broker registers with its sibling NameServer unless told otherwise.
  if (overrides.namesrvAddr === undefined) overrides.namesrvAddr = `127.0.0.1:${namesrvListenPort}`;
  overrides.storePathRootDir = path.resolve(
    (overrides.storePathRootDir as string | undefined) ?? DEFAULT_BROKER_CONFIG.storePathRootDir,
  );
  const broker = resolveBrokerConfig(overrides as Partial<BrokerConfig>);
  return { role, namesrvListenPort, logLevel, broker };
}

function parseFlags(argv: readonly string[]): Array<[string, string | undefined]> {
  const flags: Array<[string, string | undefined]> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new BrokerConfigError(arg, 'expected a --flag');
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.push([arg.slice(2, eq), arg.slice(eq + 1)]);
      continue;
    }
    const next = argv[i + 1];
    const hasValue = next !== undefined && !next.startsWith('--');
    flags.push([arg.slice(2), hasValue ? next : undefined]);
    if (hasValue) i++;
  }
  return flags;
}
