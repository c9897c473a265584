/**
 * ProducerManager: which connections belong to which producer group, learned from heartbeats.
 *
 * Interview question: "A producer crashed in the middle of a transaction — who does the broker ask
 * whether to commit?" — any live member of the same producer group (the half message carries the
 * group in PGROUP); `getAvailableChannel(group)` picks one. That is why transactional producers of
 * one group must be able to answer for each other.
 */
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { ClientChannelInfo } from './client-channel-info';

export interface ProducerManagerOptions {
  channelExpiredTimeout: number;
}

export class ProducerManager {
  /** group → channel id → client. */
  private readonly groups = new Map<string, Map<string, ClientChannelInfo>>();
  private roundRobin = 0;

  constructor(
    private readonly options: ProducerManagerOptions,
    private readonly logger: BrokerLogger,
  ) {}

  registerProducer(group: string, info: ClientChannelInfo): void {
    let channels = this.groups.get(group);
    if (!channels) {
      channels = new Map();
      this.groups.set(group, channels);
    }
    if (!channels.has(info.channel.id))
      this.logger.debug('producer joined group', { group, clientId: info.clientId });
    channels.set(info.channel.id, info);
  }

  unregisterProducer(group: string, channel: RemotingChannel): void {
    const channels = this.groups.get(group);
    if (!channels || !channels.delete(channel.id)) return;
    if (channels.size === 0) this.groups.delete(group);
  }

  doChannelCloseEvent(channel: RemotingChannel): void {
    for (const group of [...this.groups.keys()]) this.unregisterProducer(group, channel);
  }

  scanNotActiveChannel(now = Date.now()): void {
    for (const [group, channels] of [...this.groups]) {
      for (const [id, info] of [...channels]) {
        if (now - info.lastUpdateTimestamp <= this.options.channelExpiredTimeout) continue;
        channels.delete(id);
        this.logger.warn('producer channel expired', { group, clientId: info.clientId });
        info.channel.close();
      }
      if (channels.size === 0) this.groups.delete(group);
    }
  }

  /** A live channel of the group, rotating between members; undefined when none is connected. */
  getAvailableChannel(group: string): RemotingChannel | undefined {
    const channels = this.groups.get(group);
    if (!channels) return undefined;
    const active = [...channels.values()].filter((info) => info.channel.isActive);
    if (active.length === 0) return undefined;
    this.roundRobin = (this.roundRobin + 1) % 0x7fffffff;
    return active[this.roundRobin % active.length].channel;
  }

  groupChannels(group: string): ClientChannelInfo[] {
    return [...(this.groups.get(group)?.values() ?? [])];
  }
}
