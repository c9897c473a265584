/**
 * One client instance per process and clientId (`MQClientInstance`): it owns the connections, the
 * route cache, the NameServer selection, the heartbeat and route-refresh timers, and it answers the
 * requests brokers send to clients. Producers and consumers register their groups with it.
 *
 * Interview question: "What does a RocketMQ client do in the background?" — every 30 s it refreshes the
 * route of every topic it uses from a NameServer (failing over to the next one on error) and sends a
 * heartbeat with its producer groups and consumer subscriptions to every broker; brokers drop clients
 * silent for 120 s and tell the rest of the group to rebalance (NOTIFY_CONSUMER_IDS_CHANGED).
 */
import { networkInterfaces } from 'node:os';
import {
  RequestCode,
  ResponseCode,
  createResponse,
  parseNotifyConsumerIdsChangedRequestHeader,
  parseCheckTransactionStateRequestHeader,
  decodeStoredMessages,
  MessageConst,
  RemotingConnectionError,
  RemotingTimeoutError,
  type CheckTransactionStateRequestHeader,
  type ConsumerData,
  type HeartbeatData,
  type MessageRecord,
  type RemotingCommand,
  type TopicRouteData,
} from '../protocol';
import { MQClientError, errorMessage } from './client-errors';
import { type ClientLogger, silentClientLogger } from './client-logger';
import { MQClientAPI } from './mq-client-api';
import { RemotingClient } from './remoting-client';
import { TopicRouteCache, type TopicPublishInfo } from './topic-route-cache';

export const DEFAULT_TOPIC = 'TBW102';
export const DEFAULT_TOPIC_QUEUE_NUMS = 4;
export const POLL_NAME_SERVER_INTERVAL_MILLIS = 30_000;
export const HEARTBEAT_BROKER_INTERVAL_MILLIS = 30_000;

export interface ClientConfig {
  /** 'host:9876;host2:9876'. */
  nameServer: string;
  /** Defaults to the process id; give two consumers of one group in one process different names. */
  instanceName?: string;
  /** Defaults to the first non-internal IPv4 address. */
  clientIP?: string;
  logger?: ClientLogger;
  /** Timeout of every request except send and pull (Java `mqClientApiTimeout`). */
  apiTimeoutMillis?: number;
  pollNameServerInterval?: number;
  heartbeatBrokerInterval?: number;
}

/** What a producer registers: its group and the topics it has sent to. */
export interface ProducerHandle {
  readonly group: string;
  publishedTopics(): Iterable<string>;
  /**
   * A broker asks about a half message (CHECK_TRANSACTION_STATE); `brokerAddr` is the connection it came
   * on, where the END_TRANSACTION answer goes. The transactional producer implements it.
   */
  checkTransactionState?(
    header: CheckTransactionStateRequestHeader,
    message: MessageRecord,
    brokerAddr: string,
  ): void;
}

/** What a consumer registers: its heartbeat data and a way to make it rebalance now. */
export interface ConsumerHandle {
  readonly group: string;
  consumerData(): ConsumerData;
  subscribedTopics(): Iterable<string>;
  rebalanceNow(): void;
}

const instances = new Map<string, MQClientInstance>();

export class MQClientInstance {
  readonly clientId: string;
  readonly api: MQClientAPI;
  readonly routes = new TopicRouteCache();
  readonly logger: ClientLogger;
  private readonly remoting: RemotingClient;
  private readonly namesrvAddrs: string[];
  private namesrvIndex: number;
  private readonly producers = new Map<string, ProducerHandle>();
  private readonly consumers = new Map<string, ConsumerHandle>();
  private readonly routeFetches = new Map<string, Promise<TopicRouteData | undefined>>();
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  private readonly registryKey: string | undefined;

  /**
   * The shared instance for this clientId and NameServer list; created on first use. Every Producer,
   * PushConsumer of a process with the same instanceName shares its connections and timers.
   */
  static getOrCreate(config: ClientConfig): MQClientInstance {
    const clientId = buildClientId(config);
    const key = `${clientId}|${config.nameServer}`;
    let instance = instances.get(key);
    if (instance === undefined) {
      instance = new MQClientInstance(config, key);
      instances.set(key, instance);
    }
    return instance;
  }

  /** A private instance (the admin client): not shared, no heartbeat unless groups register. */
  constructor(config: ClientConfig, registryKey?: string) {
    this.clientId = buildClientId(config);
    this.registryKey = registryKey;
    this.logger = config.logger ?? silentClientLogger;
    this.namesrvAddrs = parseNameServerList(config.nameServer);
    if (this.namesrvAddrs.length === 0) {
      throw new MQClientError(
        'NO_NAMESERVER',
        `no NameServer address in ${JSON.stringify(config.nameServer)}`,
      );
    }
    this.namesrvIndex = Math.floor(Math.random() * this.namesrvAddrs.length);
    this.remoting = new RemotingClient({
      logger: this.logger,
      onRequest: (request, addr) => this.onServerRequest(request, addr),
    });
    this.api = new MQClientAPI(this.remoting, config.apiTimeoutMillis);
    this.pollInterval = config.pollNameServerInterval ?? POLL_NAME_SERVER_INTERVAL_MILLIS;
    this.heartbeatInterval = config.heartbeatBrokerInterval ?? HEARTBEAT_BROKER_INTERVAL_MILLIS;
  }

  private readonly pollInterval: number;
  private readonly heartbeatInterval: number;

  // --- lifecycle -------------------------------------------------------------------------------------

  /** Starts the background timers (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.timers.push(setInterval(() => void this.updateAllTopicRoutes(), this.pollInterval));
    this.timers.push(setInterval(() => void this.sendHeartbeatToAllBrokers(), this.heartbeatInterval));
    for (const timer of this.timers) timer.unref();
  }

  registerProducer(handle: ProducerHandle): void {
    if (this.producers.has(handle.group)) {
      throw new MQClientError(
        'GROUP_ALREADY_REGISTERED',
        `producer group ${handle.group} already runs in ${this.clientId}`,
      );
    }
    this.producers.set(handle.group, handle);
  }

  registerConsumer(handle: ConsumerHandle): void {
    if (this.consumers.has(handle.group)) {
      throw new MQClientError(
        'GROUP_ALREADY_REGISTERED',
        `consumer group ${handle.group} already runs in ${this.clientId}; give the second consumer another instanceName`,
      );
    }
    this.consumers.set(handle.group, handle);
  }

  /** Leaves the group on every broker, and shuts the instance down when nobody is left. */
  async unregisterProducer(group: string): Promise<void> {
    if (!this.producers.delete(group)) return;
    await this.unregisterOnBrokers({ producerGroup: group });
    this.shutdownIfUnused();
  }

  async unregisterConsumer(group: string): Promise<void> {
    if (!this.consumers.delete(group)) return;
    await this.unregisterOnBrokers({ consumerGroup: group });
    this.shutdownIfUnused();
  }

  shutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.started = false;
    this.remoting.close();
    if (this.registryKey !== undefined && instances.get(this.registryKey) === this)
      instances.delete(this.registryKey);
  }

  private shutdownIfUnused(): void {
    if (this.producers.size === 0 && this.consumers.size === 0) this.shutdown();
  }

  private async unregisterOnBrokers(group: {
    producerGroup?: string;
    consumerGroup?: string;
  }): Promise<void> {
    await Promise.all(
      this.routes.allBrokerAddrs().map((addr) =>
        this.api.unregisterClient(addr, this.clientId, group).catch((error: unknown) => {
          this.logger.warn(`unregister ${JSON.stringify(group)} at ${addr} failed: ${errorMessage(error)}`);
        }),
      ),
    );
  }

  // --- NameServer and routes -------------------------------------------------------------------------

  /**
   * Runs a NameServer request against the current NameServer and, on a transport failure, against the
   * next one in the list until each was tried once. Broker-style errors (a response) are not retried.
   */
  async invokeNameServer<T>(call: (addr: string) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.namesrvAddrs.length; attempt++) {
      const addr = this.namesrvAddrs[this.namesrvIndex % this.namesrvAddrs.length];
      try {
        return await call(addr);
      } catch (error) {
        if (!(error instanceof RemotingConnectionError || error instanceof RemotingTimeoutError)) throw error;
        lastError = error;
        this.namesrvIndex = (this.namesrvIndex + 1) % this.namesrvAddrs.length;
        this.logger.warn(`NameServer ${addr} failed, trying the next one: ${errorMessage(error)}`);
      }
    }
    throw new MQClientError('NO_NAMESERVER', `no NameServer answered: ${errorMessage(lastError)}`, {
      cause: lastError,
    });
  }

  /** Fetches one topic's route (concurrent callers share the request) and caches it. */
  updateTopicRoute(topic: string): Promise<TopicRouteData | undefined> {
    const pending = this.routeFetches.get(topic);
    if (pending !== undefined) return pending;
    const fetch = this.invokeNameServer((addr) => this.api.getTopicRouteInfo(addr, topic))
      .then((route) => {
        if (route !== undefined) this.routes.update(topic, route);
        return route;
      })
      .finally(() => this.routeFetches.delete(topic));
    this.routeFetches.set(topic, fetch);
    return fetch;
  }

  /** The periodic refresh: every topic of every producer and consumer; forgets brokers nobody uses. */
  async updateAllTopicRoutes(): Promise<void> {
    const topics = new Set<string>();
    for (const producer of this.producers.values())
      for (const topic of producer.publishedTopics()) topics.add(topic);
    for (const consumer of this.consumers.values())
      for (const topic of consumer.subscribedTopics()) topics.add(topic);
    await Promise.all(
      [...topics].map((topic) =>
        this.updateTopicRoute(topic).catch((error: unknown) => {
          this.logger.warn(`route refresh of ${topic} failed: ${errorMessage(error)}`);
        }),
      ),
    );
    for (const addr of this.routes.pruneBrokers()) this.remoting.closeConnection(addr);
  }

  /**
   * The producer's route lookup (`tryToFindTopicPublishInfo`): cache, else NameServer, else TBW102's
   * route so that the first send auto-creates the topic on the broker.
   */
  async findPublishInfo(topic: string): Promise<TopicPublishInfo> {
    const cached = this.routes.getPublishInfo(topic);
    if (cached !== undefined && cached.queues.length > 0) return cached;
    await this.updateTopicRoute(topic);
    const fresh = this.routes.getPublishInfo(topic);
    if (fresh !== undefined && fresh.queues.length > 0) return fresh;
    const defaultRoute = await this.invokeNameServer((addr) =>
      this.api.getTopicRouteInfo(addr, DEFAULT_TOPIC),
    );
    if (defaultRoute === undefined) {
      throw new MQClientError(
        'NO_ROUTE',
        `no route for topic ${topic}, and auto-creation (${DEFAULT_TOPIC}) is off`,
      );
    }
    this.routes.setPublishInfoFromDefaultRoute(topic, defaultRoute, DEFAULT_TOPIC_QUEUE_NUMS);
    const fallback = this.routes.getPublishInfo(topic);
    if (fallback === undefined || fallback.queues.length === 0) {
      throw new MQClientError('NO_ROUTE', `no writable queue for topic ${topic}`);
    }
    return fallback;
  }

  /** The master's address of a broker group, refreshing the route of `topic` once if unknown. */
  async findBrokerAddr(brokerName: string, topic: string, masterOnly = true): Promise<string> {
    const find = () =>
      masterOnly ? this.routes.findMasterAddr(brokerName) : this.routes.findAnyAddr(brokerName);
    const known = find();
    if (known !== undefined) return known;
    await this.updateTopicRoute(topic);
    const fresh = find();
    if (fresh === undefined)
      throw new MQClientError('BROKER_NOT_FOUND', `broker ${brokerName} has no known address`);
    return fresh;
  }

  // --- heartbeat -------------------------------------------------------------------------------------

  heartbeatData(): HeartbeatData {
    return {
      clientID: this.clientId,
      producerDataSet: [...this.producers.keys()].map((groupName) => ({ groupName })),
      consumerDataSet: [...this.consumers.values()].map((consumer) => consumer.consumerData()),
    };
  }

  /** HEART_BEAT to every known broker; failures are logged, the next round retries. */
  async sendHeartbeatToAllBrokers(): Promise<void> {
    if (this.producers.size === 0 && this.consumers.size === 0) return;
    const data = this.heartbeatData();
    await Promise.all(
      this.routes.allBrokerAddrs().map((addr) =>
        this.api.heartbeat(addr, data).catch((error: unknown) => {
          this.logger.warn(`heartbeat to ${addr} failed: ${errorMessage(error)}`);
        }),
      ),
    );
  }

  // --- requests from brokers -------------------------------------------------------------------------

  private onServerRequest(request: RemotingCommand, addr: string): RemotingCommand | undefined {
    switch (request.code) {
      case RequestCode.NOTIFY_CONSUMER_IDS_CHANGED:
        this.onConsumerIdsChanged(request);
        return undefined;
      case RequestCode.CHECK_TRANSACTION_STATE:
        this.onCheckTransactionState(request, addr);
        return undefined;
      default:
        // GET_CONSUMER_RUNNING_INFO, CONSUME_MESSAGE_DIRECTLY, RESET_CONSUMER_CLIENT_OFFSET, ...: not yet.
        return createResponse(
          request,
          ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
          {},
          undefined,
          `request code ${request.code} is not supported by this client`,
        );
    }
  }

  private onConsumerIdsChanged(request: RemotingCommand): void {
    const { consumerGroup } = parseNotifyConsumerIdsChangedRequestHeader(request.extFields);
    this.logger.info(`consumer ids of ${consumerGroup} changed: rebalancing now`);
    this.consumers.get(consumerGroup)?.rebalanceNow();
  }

  private onCheckTransactionState(request: RemotingCommand, addr: string): void {
    const header = parseCheckTransactionStateRequestHeader(request.extFields);
    const [message] = decodeStoredMessages(request.body ?? Buffer.alloc(0));
    if (message === undefined) return;
    const group = message.properties[MessageConst.PGROUP];
    const producer = group === undefined ? undefined : this.producers.get(group);
    if (producer?.checkTransactionState === undefined) {
      this.logger.warn(`CHECK_TRANSACTION_STATE for group ${group ?? '?'}: no transactional producer here`);
      return;
    }
    producer.checkTransactionState(header, message, addr);
  }
}

export function parseNameServerList(nameServer: string): string[] {
  return nameServer
    .split(';')
    .map((addr) => addr.trim())
    .filter((addr) => addr.length > 0);
}

export function buildClientId(config: Pick<ClientConfig, 'instanceName' | 'clientIP'>): string {
  return `${config.clientIP ?? localIPv4()}@${config.instanceName ?? String(process.pid)}`;
}

let cachedIp: string | undefined;

function localIPv4(): string {
  if (cachedIp !== undefined) return cachedIp;
  cachedIp = '127.0.0.1';
  for (const addresses of Object.values(networkInterfaces())) {
    const found = (addresses ?? []).find((address) => address.family === 'IPv4' && !address.internal);
    if (found !== undefined) {
      cachedIp = found.address;
      break;
    }
  }
  return cachedIp;
}
