/**
 * A NameServer (RocketMQ's NamesrvController): a remoting server with the NameServer's processors, the
 * route tables behind them, and the housekeeping that drops silent or disconnected brokers.
 *
 * Interview question: "Why does RocketMQ need no ZooKeeper?" — NameServers are independent and
 * stateless: each one learns the whole cluster from the brokers' periodic registrations (every broker
 * registers with every NameServer), so any one of them can answer route queries and losing one loses
 * nothing. The price is eventual consistency: a dead broker stays in routes for up to 120 s unless
 * its connection closes first.
 */
import { RequestCode } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import { RemotingServer } from '../remoting/remoting-server';
import { KVConfigManager } from './kv-config-manager';
import { BrokerRegistrationProcessor, KVConfigProcessor, RouteQueryProcessor } from './processors';
import { RouteInfoManager } from './route-info-manager';

export interface NamesrvControllerOptions {
  /** RocketMQ's NameServer port is 9876; 0 picks a free one. */
  listenPort: number;
  host?: string;
  logger: BrokerLogger;
  /** A broker not heard from this long is dropped (120 s). */
  brokerChannelExpiredMillis?: number;
  /** How often expired brokers are looked for (10 s in 4.x). */
  scanIntervalMillis?: number;
  /** Idle connections are closed after this long (120 s). */
  channelMaxIdleSeconds?: number;
}

const DEFAULT_SCAN_INTERVAL_MILLIS = 10_000;

export class NamesrvController {
  readonly routeInfoManager: RouteInfoManager;
  readonly kvConfigManager = new KVConfigManager();
  private readonly server: RemotingServer;
  private readonly logger: BrokerLogger;
  private scanTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: NamesrvControllerOptions) {
    this.logger = options.logger;
    this.routeInfoManager = new RouteInfoManager({
      logger: options.logger,
      brokerChannelExpiredMillis: options.brokerChannelExpiredMillis,
    });
    this.server = new RemotingServer({
      host: options.host,
      port: options.listenPort,
      logger: options.logger,
      channelMaxIdleSeconds: options.channelMaxIdleSeconds,
    });
    this.registerProcessors();
    // RocketMQ's BrokerHousekeepingService: a closed registration channel removes its broker at once.
    this.server.onChannelClose((channel) => this.routeInfoManager.onChannelDestroy(channel));
  }

  async start(): Promise<void> {
    await this.server.start();
    const interval = this.options.scanIntervalMillis ?? DEFAULT_SCAN_INTERVAL_MILLIS;
    this.scanTimer = setInterval(() => this.routeInfoManager.scanNotActiveBroker(), interval);
    this.scanTimer.unref();
    this.logger.info(`name server started on port ${this.port}`);
  }

  get port(): number {
    return this.server.port;
  }

  async shutdown(): Promise<void> {
    if (this.scanTimer !== undefined) clearInterval(this.scanTimer);
    this.scanTimer = undefined;
    await this.server.close();
    this.logger.info('name server stopped');
  }

  private registerProcessors(): void {
    const registration = new BrokerRegistrationProcessor(this.routeInfoManager, this.kvConfigManager);
    this.server.registerProcessor(RequestCode.REGISTER_BROKER, registration);
    this.server.registerProcessor(RequestCode.UNREGISTER_BROKER, registration);

    const routes = new RouteQueryProcessor(this.routeInfoManager);
    this.server.registerProcessor(RequestCode.GET_ROUTEINFO_BY_TOPIC, routes);
    this.server.registerProcessor(RequestCode.GET_BROKER_CLUSTER_INFO, routes);
    this.server.registerProcessor(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, routes);
    this.server.registerProcessor(RequestCode.GET_TOPICS_BY_CLUSTER, routes);

    const kvConfig = new KVConfigProcessor(this.kvConfigManager);
    this.server.registerProcessor(RequestCode.PUT_KV_CONFIG, kvConfig);
    this.server.registerProcessor(RequestCode.GET_KV_CONFIG, kvConfig);
    this.server.registerProcessor(RequestCode.DELETE_KV_CONFIG, kvConfig);
  }
}
