/**
 * A broker's consume side on a real TCP port: a real MessageStore in a temp directory, a real
 * RemotingServer on 127.0.0.1 with the consume-side processors registered, and a real client
 * connection. The topic, subscription and group lookups are plain maps the test fills in — they
 * stand in for the managers a controller would pass, not for anything under test.
 */
import {
  createRequest,
  decodeStoredMessage,
  type MessageRecord,
  type PullMessageRequestHeader,
  PullSysFlag,
  type RemotingCommand,
  RemotingConnection,
  RequestCode,
  silentRemotingLogger,
  type SubscriptionData,
  toExtFields,
} from '@flashsale/mq/protocol';
import { type ConsumeSide, createConsumeSideProcessors } from '../src/processors/consume-side-processors';
import type { PullBrokerConfig, PullTopicConfig } from '../src/processors/pull-message.processor';
import { RemotingServer } from '../src/remoting/remoting-server';
import { MessageStore, type MessageStoreOptions, type PutMessageResult } from '../src/store';
import { makeMessage, removeDir, smallStoreOptions, tempStoreDir } from '../src/store/store-test-fixtures';

export interface HarnessOptions {
  holdCheckIntervalMillis?: number;
  store?: Partial<MessageStoreOptions>;
  /** Check subscription groups (26 / consumeEnable) against `groups`. */
  withGroupChecks?: boolean;
}

export const PULL_RPC_TIMEOUT_MILLIS = 30_000;

export class ConsumeSideHarness {
  readonly topics = new Map<string, PullTopicConfig>();
  /** `group@topic` → the subscription a heartbeat would have registered. */
  readonly subscriptions = new Map<string, SubscriptionData>();
  readonly groups = new Map<string, { consumeEnable: boolean }>();
  readonly brokerConfig: PullBrokerConfig = {
    brokerPermission: 6,
    longPollingEnable: true,
    shortPollingTimeMills: 1000,
  };
  consumeSide!: ConsumeSide;
  store!: MessageStore;
  server!: RemotingServer;
  client!: RemotingConnection;

  private constructor(readonly dir: string) {}

  static async start(options: HarnessOptions = {}): Promise<ConsumeSideHarness> {
    const harness = new ConsumeSideHarness(tempStoreDir('consume-side-'));
    await harness.open(options);
    return harness;
  }

  private async open(options: HarnessOptions): Promise<void> {
    this.store = await MessageStore.open(smallStoreOptions(this.dir, options.store));
    this.consumeSide = createConsumeSideProcessors({
      store: this.store,
      storePathRootDir: this.dir,
      topicConfigs: { selectTopicConfig: (topic) => this.topics.get(topic) },
      subscriptions: { findSubscriptionData: (group, topic) => this.subscriptions.get(`${group}@${topic}`) },
      subscriptionGroups: options.withGroupChecks
        ? { findSubscriptionGroupConfig: (group) => this.groups.get(group) }
        : undefined,
      brokerConfig: this.brokerConfig,
      holdCheckIntervalMillis: options.holdCheckIntervalMillis,
    });
    this.store.setMessageArrivingListener(this.consumeSide.messageArrivingListener);
    this.consumeSide.start();
    this.server = new RemotingServer({ host: '127.0.0.1', port: 0, logger: silentRemotingLogger });
    for (const [code, processor] of this.consumeSide.registrations)
      this.server.registerProcessor(code, processor);
    await this.server.start();
    this.client = await RemotingConnection.connect(`127.0.0.1:${this.server.port}`);
  }

  createTopic(topic: string, queueNums = 4, perm = 6): void {
    this.topics.set(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm });
  }

  /** Puts one message straight into the store and waits until it is in the ConsumeQueue. */
  async put(
    topic: string,
    queueId: number,
    tag?: string,
    body = `body-${Math.random()}`,
  ): Promise<PutMessageResult> {
    const properties: Record<string, string> = tag === undefined ? {} : { TAGS: tag };
    const result = await this.store.putMessage(
      makeMessage({ topic, queueId, properties, body: Buffer.from(body) }),
    );
    await this.store.whenDispatched();
    return result;
  }

  /** PULL_MESSAGE with the fields ali-ons sends (SUBSCRIPTION flag, '*') unless overridden. */
  pull(fields: Partial<PullMessageRequestHeader> & { topic: string }): Promise<RemotingCommand> {
    const header: PullMessageRequestHeader = {
      consumerGroup: 'g',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      sysFlag: PullSysFlag.SUBSCRIPTION,
      commitOffset: 0,
      suspendTimeoutMillis: 15_000,
      subscription: '*',
      subVersion: 0,
      ...fields,
    };
    return this.invoke(RequestCode.PULL_MESSAGE, header);
  }

  invoke(code: number, header: object): Promise<RemotingCommand> {
    return this.client.invoke(createRequest(code, toExtFields(header)), PULL_RPC_TIMEOUT_MILLIS);
  }

  async close(): Promise<void> {
    this.client?.close();
    await this.server?.close();
    await this.consumeSide?.shutdown();
    await this.store?.shutdown();
    removeDir(this.dir);
  }
}

/** The pull body as back-to-back stored records, strictly: every record must decode with a good CRC. */
export function decodePullBody(body: Buffer | undefined): MessageRecord[] {
  const messages: MessageRecord[] = [];
  if (!body) return messages;
  let offset = 0;
  while (offset < body.length) {
    const decoded = decodeStoredMessage(body, offset, { checkCRC: true });
    if (decoded.status !== 'OK') throw new Error(`pull body does not decode at ${offset}: ${decoded.status}`);
    messages.push(decoded.message);
    offset += decoded.size;
  }
  return messages;
}

/** The four Long fields every pull answer carries, as numbers. */
export function pullHeaderOf(response: RemotingCommand): Record<string, number> {
  const { suggestWhichBrokerId, nextBeginOffset, minOffset, maxOffset } = response.extFields;
  return {
    suggestWhichBrokerId: Number(suggestWhichBrokerId),
    nextBeginOffset: Number(nextBeginOffset),
    minOffset: Number(minOffset),
    maxOffset: Number(maxOffset),
  };
}
