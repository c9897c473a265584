import type { RemotingCommand, SubscriptionData } from '@flashsale/mq/protocol';
import { silentBrokerLogger } from '../broker-logger';
import type { RemotingChannel } from '../remoting/remoting-channel';
import { ConsumerManager, type ConsumerRegistration } from './consumer-manager';

/** A channel that records what the broker writes to it (the manager's collaborator, not under test). */
class RecordingChannel implements RemotingChannel {
  readonly written: RemotingCommand[] = [];
  closed = false;
  readonly remoteAddress = { host: '127.0.0.1', port: 1 };

  constructor(readonly id: string) {}

  get isActive(): boolean {
    return !this.closed;
  }

  write(command: RemotingCommand): boolean {
    this.written.push(command);
    return true;
  }

  invoke(): Promise<RemotingCommand> {
    return Promise.reject(new Error('not used'));
  }

  close(): void {
    this.closed = true;
  }

  onClose(): void {
    return undefined;
  }
}

function sub(topic: string, subVersion = 1): SubscriptionData {
  return { classFilterMode: false, topic, subString: '*', tagsSet: [], codeSet: [], subVersion };
}

function registration(
  channel: RemotingChannel,
  clientId: string,
  subs: SubscriptionData[],
  lastUpdateTimestamp = Date.now(),
): ConsumerRegistration {
  return {
    group: 'g',
    clientChannelInfo: { channel, clientId, language: 'JAVA', version: 409, lastUpdateTimestamp },
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    subscriptions: subs,
    notifyOnChange: true,
  };
}

describe('ConsumerManager', () => {
  const manager = () => new ConsumerManager({ channelExpiredTimeout: 120_000 }, silentBrokerLogger);

  it('notifies every member with NOTIFY_CONSUMER_IDS_CHANGED when a member joins', () => {
    const consumers = manager();
    const a = new RecordingChannel('a');
    const b = new RecordingChannel('b');
    expect(consumers.registerConsumer(registration(a, 'client-a', [sub('T')]))).toBe(true);
    a.written.length = 0;
    expect(consumers.registerConsumer(registration(b, 'client-b', [sub('T')]))).toBe(true);
    for (const channel of [a, b]) {
      expect(channel.written).toHaveLength(1);
      expect(channel.written[0]).toMatchObject({ code: 40, extFields: { consumerGroup: 'g' } });
      expect(channel.written[0].flag & 2).toBe(2);
    }
    expect(consumers.getConsumerGroupInfo('g')?.getAllClientIds()).toEqual(['client-a', 'client-b']);
  });

  it('treats a same heartbeat as no change, and a newer subVersion or a topic change as a change', () => {
    const consumers = manager();
    const a = new RecordingChannel('a');
    consumers.registerConsumer(registration(a, 'client-a', [sub('T', 1)]));
    expect(consumers.registerConsumer(registration(a, 'client-a', [sub('T', 1)]))).toBe(false);
    expect(consumers.registerConsumer(registration(a, 'client-a', [sub('T', 2)]))).toBe(true);
    expect(consumers.registerConsumer(registration(a, 'client-a', [sub('T', 2), sub('U')]))).toBe(true);
    expect(consumers.registerConsumer(registration(a, 'client-a', [sub('U')]))).toBe(true);
    expect(consumers.findSubscriptionData('g', 'T')).toBeUndefined();
    expect(consumers.findSubscriptionData('g', 'U')).toBeDefined();
  });

  it('removes a closed channel, notifies the rest, and forgets an empty group', () => {
    const consumers = manager();
    const a = new RecordingChannel('a');
    const b = new RecordingChannel('b');
    consumers.registerConsumer(registration(a, 'client-a', [sub('T')]));
    consumers.registerConsumer(registration(b, 'client-b', [sub('T')]));
    a.written.length = 0;
    consumers.doChannelCloseEvent(b);
    expect(a.written.map((c) => c.code)).toEqual([40]);
    consumers.doChannelCloseEvent(a);
    expect(consumers.getConsumerGroupInfo('g')).toBeUndefined();
  });

  it('drops and closes channels silent for longer than channelExpiredTimeout', () => {
    const consumers = manager();
    const stale = new RecordingChannel('stale');
    const fresh = new RecordingChannel('fresh');
    const now = Date.now();
    consumers.registerConsumer(registration(stale, 'old', [sub('T')], now - 121_000));
    consumers.registerConsumer(registration(fresh, 'new', [sub('T')], now));
    consumers.scanNotActiveChannel(now);
    expect(stale.closed).toBe(true);
    expect(fresh.closed).toBe(false);
    expect(consumers.getConsumerGroupInfo('g')?.getAllClientIds()).toEqual(['new']);
  });
});
