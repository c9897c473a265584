/**
 * The NameServer's whole state (RocketMQ's RouteInfoManager): four in-memory tables rebuilt from broker
 * registrations, from which topic routes and cluster info are computed on request.
 *
 *   topicQueueTable   topic → brokerName → QueueData        (taken from masters only)
 *   brokerAddrTable   brokerName → BrokerData {cluster, brokerAddrs: brokerId → address}
 *   clusterAddrTable  cluster → brokerNames
 *   brokerLiveTable   brokerAddr → last registration time, data version, channel, HA address
 *
 * Interview question: "What happens on the NameServer when a broker dies?" — its channel closes (or it
 * misses registrations for 120 s) and its address is removed from its broker group. Only when a group
 * has no address left do its queue data, cluster membership and empty topics go, so a dead master
 * with a live slave still has readable queues (served by the slave) but no brokerId 0 to write to.
 */
import type {
  BrokerData,
  ClusterInfo,
  DataVersion,
  QueueData,
  TopicConfig,
  TopicConfigSerializeWrapper,
  TopicRouteData,
} from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';

/** The brokerId of a master; slaves have 1, 2, … */
export const MASTER_ID = 0;

/** RocketMQ's BROKER_CHANNEL_EXPIRED_TIME: a broker silent this long is dropped. */
export const DEFAULT_BROKER_CHANNEL_EXPIRED_MILLIS = 120_000;

interface BrokerGroup {
  cluster: string;
  brokerName: string;
  brokerAddrs: Map<number, string>;
}

interface BrokerLiveInfo {
  lastUpdateTimestamp: number;
  dataVersion: DataVersion;
  channel: RemotingChannel | undefined;
  haServerAddr: string;
}

export interface BrokerRegistration {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  topicConfigWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
  /** The connection the registration came on; when it closes, the broker is removed at once. */
  channel?: RemotingChannel;
}

/** What a slave needs to find its master: the master's address and HA address (both unset for a master). */
export interface BrokerRegistrationResult {
  masterAddr?: string;
  haServerAddr?: string;
}

export interface BrokerIdentity {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
}

export interface RouteInfoManagerOptions {
  logger: BrokerLogger;
  brokerChannelExpiredMillis?: number;
  /** Injectable clock so that expiry can be tested without waiting. */
  now?: () => number;
}

export class RouteInfoManager {
  private readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  private readonly brokerAddrTable = new Map<string, BrokerGroup>();
  private readonly clusterAddrTable = new Map<string, Set<string>>();
  private readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  private readonly filterServerTable = new Map<string, string[]>();
  private readonly logger: BrokerLogger;
  private readonly expiredMillis: number;
  private readonly now: () => number;

  constructor(options: RouteInfoManagerOptions) {
    this.logger = options.logger;
    this.expiredMillis = options.brokerChannelExpiredMillis ?? DEFAULT_BROKER_CHANNEL_EXPIRED_MILLIS;
    this.now = options.now ?? Date.now;
  }

  // --- registration --------------------------------------------------------------------------------

  registerBroker(registration: BrokerRegistration): BrokerRegistrationResult {
    const { clusterName, brokerAddr, brokerName, brokerId } = registration;
    this.addToCluster(clusterName, brokerName);
    const { group, firstRegistration } = this.putBrokerAddress(clusterName, brokerName, brokerId, brokerAddr);

    const dataVersion = registration.topicConfigWrapper.dataVersion;
    // Queue data comes from the master only, and only when its topics may have changed.
    if (brokerId === MASTER_ID && (firstRegistration || this.dataVersionChanged(brokerAddr, dataVersion))) {
      for (const topicConfig of Object.values(registration.topicConfigWrapper.topicConfigTable)) {
        this.putQueueData(brokerName, topicConfig);
      }
    }

    const previous = this.brokerLiveTable.get(brokerAddr);
    this.brokerLiveTable.set(brokerAddr, {
      lastUpdateTimestamp: this.now(),
      dataVersion: { ...dataVersion },
      channel: registration.channel,
      haServerAddr: registration.haServerAddr,
    });
    if (previous === undefined)
      this.logger.info(`new broker registered: ${brokerName} ${brokerId} ${brokerAddr}`);
    this.putFilterServers(brokerAddr, registration.filterServerList);
    return brokerId === MASTER_ID ? {} : this.masterOf(group);
  }

  unregisterBroker(identity: BrokerIdentity): void {
    const { clusterName, brokerAddr, brokerName, brokerId } = identity;
    this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    const group = this.brokerAddrTable.get(brokerName);
    if (group === undefined) return;
    if (group.brokerAddrs.get(brokerId) === brokerAddr) group.brokerAddrs.delete(brokerId);
    this.logger.info(`broker unregistered: ${brokerName} ${brokerId} ${brokerAddr} (cluster ${clusterName})`);
    if (group.brokerAddrs.size === 0) this.removeBrokerName(brokerName);
  }

  /** The registration connection closed: forget that broker now rather than after the expiry. */
  onChannelDestroy(channel: RemotingChannel): void {
    for (const [brokerAddr, live] of this.brokerLiveTable) {
      if (live.channel !== channel) continue;
      this.logger.info(`broker channel ${channel.id} closed, removing ${brokerAddr}`);
      this.removeBrokerAddress(brokerAddr);
      return;
    }
  }

  /**
   * Drops brokers whose last registration is older than the expiry and closes their channels. Returns
   * the addresses removed. RocketMQ runs this every 10 s.
   */
  scanNotActiveBroker(): string[] {
    const deadline = this.now() - this.expiredMillis;
    const expired: string[] = [];
    for (const [brokerAddr, live] of this.brokerLiveTable) {
      if (live.lastUpdateTimestamp >= deadline) continue;
      expired.push(brokerAddr);
      this.logger.warn(`broker ${brokerAddr} expired: no registration for ${this.expiredMillis} ms`);
      this.removeBrokerAddress(brokerAddr);
      live.channel?.close();
    }
    return expired;
  }

  // --- queries -------------------------------------------------------------------------------------

  /** The route of a topic, or null unless some broker group both serves it and is still known. */
  pickupTopicRouteData(topic: string): TopicRouteData | null {
    const queues = this.topicQueueTable.get(topic);
    if (queues === undefined || queues.size === 0) return null;
    const queueDatas: QueueData[] = [];
    const brokerDatas: BrokerData[] = [];
    const filterServerTable: Record<string, string[]> = {};
    for (const [brokerName, queueData] of queues) {
      queueDatas.push({ ...queueData });
      const group = this.brokerAddrTable.get(brokerName);
      if (group === undefined) continue;
      brokerDatas.push(toBrokerData(group));
      for (const brokerAddr of group.brokerAddrs.values()) {
        const filterServers = this.filterServerTable.get(brokerAddr);
        if (filterServers !== undefined) filterServerTable[brokerAddr] = [...filterServers];
      }
    }
    if (brokerDatas.length === 0) return null;
    queueDatas.sort(byBrokerName);
    brokerDatas.sort(byBrokerName);
    return { queueDatas, brokerDatas, filterServerTable };
  }

  getClusterInfo(): ClusterInfo {
    const brokerAddrTable: Record<string, BrokerData> = {};
    for (const [brokerName, group] of this.brokerAddrTable) brokerAddrTable[brokerName] = toBrokerData(group);
    const clusterAddrTable: Record<string, string[]> = {};
    for (const [cluster, names] of this.clusterAddrTable) clusterAddrTable[cluster] = [...names];
    return { brokerAddrTable, clusterAddrTable };
  }

  getAllTopicList(): string[] {
    return [...this.topicQueueTable.keys()];
  }

  /** Topics with queues on at least one broker group of the cluster (empty for an unknown cluster). */
  getTopicsByCluster(cluster: string): string[] {
    const brokerNames = this.clusterAddrTable.get(cluster);
    if (brokerNames === undefined) return [];
    const topics: string[] = [];
    for (const [topic, queues] of this.topicQueueTable) {
      for (const brokerName of brokerNames) {
        if (!queues.has(brokerName)) continue;
        topics.push(topic);
        break;
      }
    }
    return topics;
  }

  /** Addresses of the brokers currently registered (the keys of brokerLiveTable). */
  getLiveBrokerAddrs(): string[] {
    return [...this.brokerLiveTable.keys()];
  }

  // --- table maintenance ---------------------------------------------------------------------------

  private addToCluster(clusterName: string, brokerName: string): void {
    let brokerNames = this.clusterAddrTable.get(clusterName);
    if (brokerNames === undefined) {
      brokerNames = new Set();
      this.clusterAddrTable.set(clusterName, brokerNames);
    }
    brokerNames.add(brokerName);
  }

  /**
   * Files the address under its id. An address that re-registers under another id (a slave promoted
   * to master, or the reverse) loses its old entry, so one address never appears twice.
   */
  private putBrokerAddress(
    cluster: string,
    brokerName: string,
    brokerId: number,
    brokerAddr: string,
  ): { group: BrokerGroup; firstRegistration: boolean } {
    let group = this.brokerAddrTable.get(brokerName);
    let firstRegistration = false;
    if (group === undefined) {
      group = { cluster, brokerName, brokerAddrs: new Map() };
      this.brokerAddrTable.set(brokerName, group);
      firstRegistration = true;
    }
    for (const [id, addr] of group.brokerAddrs) {
      if (addr === brokerAddr && id !== brokerId) group.brokerAddrs.delete(id);
    }
    if (group.brokerAddrs.get(brokerId) === undefined) firstRegistration = true;
    group.brokerAddrs.set(brokerId, brokerAddr);
    return { group, firstRegistration };
  }

  private dataVersionChanged(brokerAddr: string, dataVersion: DataVersion): boolean {
    const live = this.brokerLiveTable.get(brokerAddr);
    if (live === undefined) return true;
    return (
      live.dataVersion.timestamp !== dataVersion.timestamp || live.dataVersion.counter !== dataVersion.counter
    );
  }

  private putQueueData(brokerName: string, topicConfig: TopicConfig): void {
    let queues = this.topicQueueTable.get(topicConfig.topicName);
    if (queues === undefined) {
      queues = new Map();
      this.topicQueueTable.set(topicConfig.topicName, queues);
      this.logger.info(`new topic registered: ${topicConfig.topicName} on ${brokerName}`);
    }
    const topicSysFlag = topicConfig.topicSysFlag ?? 0;
    queues.set(brokerName, {
      brokerName,
      readQueueNums: topicConfig.readQueueNums,
      writeQueueNums: topicConfig.writeQueueNums,
      perm: topicConfig.perm,
      topicSysFlag,
      // Clients older than 4.9.0 (and the Go client) read the old, misspelt name.
      topicSynFlag: topicSysFlag,
    });
  }

  private putFilterServers(brokerAddr: string, filterServerList: string[]): void {
    if (filterServerList.length === 0) this.filterServerTable.delete(brokerAddr);
    else this.filterServerTable.set(brokerAddr, [...filterServerList]);
  }

  private masterOf(group: BrokerGroup): BrokerRegistrationResult {
    const masterAddr = group.brokerAddrs.get(MASTER_ID);
    if (masterAddr === undefined) return {};
    const masterLive = this.brokerLiveTable.get(masterAddr);
    if (masterLive === undefined) return {};
    return { masterAddr, haServerAddr: masterLive.haServerAddr };
  }

  /** Removes one address everywhere; the group goes too when this was its last address. */
  private removeBrokerAddress(brokerAddr: string): void {
    this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    for (const [brokerName, group] of this.brokerAddrTable) {
      for (const [id, addr] of group.brokerAddrs) {
        if (addr === brokerAddr) group.brokerAddrs.delete(id);
      }
      if (group.brokerAddrs.size === 0) this.removeBrokerName(brokerName);
    }
  }

  private removeBrokerName(brokerName: string): void {
    this.brokerAddrTable.delete(brokerName);
    for (const [cluster, brokerNames] of this.clusterAddrTable) {
      if (!brokerNames.delete(brokerName)) continue;
      if (brokerNames.size === 0) this.clusterAddrTable.delete(cluster);
    }
    for (const [topic, queues] of this.topicQueueTable) {
      if (!queues.delete(brokerName)) continue;
      if (queues.size === 0) {
        this.topicQueueTable.delete(topic);
        this.logger.info(`topic ${topic} removed: no broker serves it any more`);
      }
    }
    this.logger.info(`broker group ${brokerName} removed: no address left`);
  }
}

function toBrokerData(group: BrokerGroup): BrokerData {
  const brokerAddrs: Record<string, string> = {};
  for (const [id, addr] of group.brokerAddrs) brokerAddrs[String(id)] = addr;
  return { cluster: group.cluster, brokerName: group.brokerName, brokerAddrs };
}

function byBrokerName(a: { brokerName: string }, b: { brokerName: string }): number {
  return a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0;
}
