/**
 * ConsumerManager: every consumer group's live members and subscriptions, fed by HEART_BEAT and
 * emptied by UNREGISTER_CLIENT, closed connections and silence (120 s without a heartbeat).
 *
 * Interview questions: "How does the broker notice a dead consumer?" — the connection closes, or
 * heartbeats (every 30 s) stop and a 10 s scan drops it after 120 s; either way the rest of the group
 * gets NOTIFY_CONSUMER_IDS_CHANGED and rebalances. "How does the broker filter by tag?" — the pull
 * path asks `findSubscriptionData(group, topic)` for the tag hashes registered here.
 */
import type { ConsumeFromWhere, ConsumeType, MessageModel, SubscriptionData } from '@flashsale/mq/protocol';
import type { BrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import { notifyConsumerIdsChanged } from './broker-to-client';
import type { ClientChannelInfo } from './client-channel-info';
import { ConsumerGroupInfo } from './consumer-group-info';

export interface ConsumerRegistration {
  group: string;
  clientChannelInfo: ClientChannelInfo;
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  subscriptions: readonly SubscriptionData[];
  /** The group's notifyConsumerIdsChangedEnable. */
  notifyOnChange: boolean;
}

export interface ConsumerManagerOptions {
  channelExpiredTimeout: number;
}

export class ConsumerManager {
  private readonly groups = new Map<string, ConsumerGroupInfo>();

  constructor(
    private readonly options: ConsumerManagerOptions,
    private readonly logger: BrokerLogger,
  ) {}

  /** Applies one consumer group entry of a heartbeat; true when members or subscriptions changed. */
  registerConsumer(registration: ConsumerRegistration): boolean {
    const { group, clientChannelInfo: info } = registration;
    let groupInfo = this.groups.get(group);
    if (!groupInfo) {
      groupInfo = new ConsumerGroupInfo(
        group,
        registration.consumeType,
        registration.messageModel,
        registration.consumeFromWhere,
      );
      this.groups.set(group, groupInfo);
    }
    const channelAdded = groupInfo.updateChannel(
      info,
      registration.consumeType,
      registration.messageModel,
      registration.consumeFromWhere,
    );
    const subscriptionChanged = groupInfo.updateSubscription(registration.subscriptions);
    const changed = channelAdded || subscriptionChanged;
    if (channelAdded) this.logger.info('consumer joined group', { group, clientId: info.clientId });
    if (changed && registration.notifyOnChange) this.notifyGroup(groupInfo);
    return changed;
  }

  unregisterConsumer(group: string, channel: RemotingChannel, notifyOnChange: boolean): void {
    const groupInfo = this.groups.get(group);
    if (!groupInfo || !groupInfo.unregisterChannel(channel)) return;
    this.logger.info('consumer left group', { group, channel: channel.id });
    this.afterMemberLeft(groupInfo, notifyOnChange);
  }

  /** A closed connection leaves every group it was in. */
  doChannelCloseEvent(channel: RemotingChannel): void {
    for (const groupInfo of [...this.groups.values()]) {
      if (!groupInfo.unregisterChannel(channel)) continue;
      this.logger.info('consumer connection closed', { group: groupInfo.groupName, channel: channel.id });
      this.afterMemberLeft(groupInfo, true);
    }
  }

  /** Drops members silent for longer than channelExpiredTimeout and closes their connections. */
  scanNotActiveChannel(now = Date.now()): void {
    for (const groupInfo of [...this.groups.values()]) {
      const expired = groupInfo.removeExpiredChannels(now, this.options.channelExpiredTimeout);
      if (expired.length === 0) continue;
      for (const info of expired) {
        this.logger.warn('consumer channel expired', { group: groupInfo.groupName, clientId: info.clientId });
        info.channel.close();
      }
      this.afterMemberLeft(groupInfo, true);
    }
  }

  private afterMemberLeft(groupInfo: ConsumerGroupInfo, notifyOnChange: boolean): void {
    if (groupInfo.isEmpty()) {
      this.groups.delete(groupInfo.groupName);
      this.logger.info('consumer group has no members left', { group: groupInfo.groupName });
      return;
    }
    if (notifyOnChange) this.notifyGroup(groupInfo);
  }

  private notifyGroup(groupInfo: ConsumerGroupInfo): void {
    for (const info of groupInfo.getAllChannels())
      notifyConsumerIdsChanged(info.channel, groupInfo.groupName);
  }

  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined {
    return this.groups.get(group);
  }

  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined {
    return this.groups.get(group)?.findSubscriptionData(topic);
  }

  findChannel(group: string, clientId: string): ClientChannelInfo | undefined {
    return this.groups.get(group)?.findChannel(clientId);
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }
}
