/**
 * ConsumerGroupInfo: what the broker knows about one consumer group right now — its live channels
 * (one per client connection) and its subscriptions, both learned from heartbeats.
 *
 * Interview question: "Must all consumers of a group subscribe to the same topics and tags?" — yes:
 * the broker keeps one subscription per topic per group, and the last heartbeat with a newer
 * subVersion wins, so members with different subscriptions overwrite each other and lose messages.
 */
import type { ConsumeFromWhere, ConsumeType, MessageModel, SubscriptionData } from '@flashsale/mq/protocol';
import type { RemotingChannel } from '../remoting/remoting-channel';
import type { ClientChannelInfo } from './client-channel-info';

export class ConsumerGroupInfo {
  /** channel id → client on it. */
  private readonly channels = new Map<string, ClientChannelInfo>();
  private readonly subscriptions = new Map<string, SubscriptionData>();
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  lastUpdateTimestamp = Date.now();

  constructor(
    readonly groupName: string,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
  ) {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
  }

  /** Records a heartbeat on `info.channel`; true when the channel is new to the group. */
  updateChannel(
    info: ClientChannelInfo,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
  ): boolean {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    this.lastUpdateTimestamp = info.lastUpdateTimestamp;
    const known = this.channels.get(info.channel.id);
    this.channels.set(info.channel.id, info);
    return known === undefined || known.clientId !== info.clientId;
  }

  /**
   * Replaces the subscriptions with the heartbeat's; true when a topic was added or removed or a
   * subscription came with a newer subVersion.
   */
  updateSubscription(subList: readonly SubscriptionData[]): boolean {
    let changed = false;
    const topics = new Set<string>();
    for (const sub of subList) {
      topics.add(sub.topic);
      const old = this.subscriptions.get(sub.topic);
      if (old && sub.subVersion <= old.subVersion) continue;
      this.subscriptions.set(sub.topic, sub);
      changed = true;
    }
    for (const topic of [...this.subscriptions.keys()]) {
      if (topics.has(topic)) continue;
      this.subscriptions.delete(topic);
      changed = true;
    }
    return changed;
  }

  /** True when the channel belonged to this group. */
  unregisterChannel(channel: RemotingChannel): boolean {
    return this.channels.delete(channel.id);
  }

  /** Removes and returns the channels whose last heartbeat is older than `timeoutMillis`. */
  removeExpiredChannels(now: number, timeoutMillis: number): ClientChannelInfo[] {
    const expired: ClientChannelInfo[] = [];
    for (const [id, info] of this.channels) {
      if (now - info.lastUpdateTimestamp <= timeoutMillis) continue;
      this.channels.delete(id);
      expired.push(info);
    }
    return expired;
  }

  findSubscriptionData(topic: string): SubscriptionData | undefined {
    return this.subscriptions.get(topic);
  }

  getSubscriptions(): SubscriptionData[] {
    return [...this.subscriptions.values()];
  }

  getAllChannels(): ClientChannelInfo[] {
    return [...this.channels.values()];
  }

  findChannel(clientId: string): ClientChannelInfo | undefined {
    for (const info of this.channels.values()) if (info.clientId === clientId) return info;
    return undefined;
  }

  /** Client ids in registration order, deduplicated (one client may hold several connections). */
  getAllClientIds(): string[] {
    const ids = new Set<string>();
    for (const info of this.channels.values()) ids.add(info.clientId);
    return [...ids];
  }

  isEmpty(): boolean {
    return this.channels.size === 0;
  }
}
