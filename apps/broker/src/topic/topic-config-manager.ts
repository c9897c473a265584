/**
 * TopicConfigManager: the broker's table of topics (name → queue counts, permission, filter type),
 * persisted to config/topics.json and sent to every NameServer on registration.
 *
 * Interview questions: "Where does a topic live — NameServer or broker?" — on the broker; NameServers
 * only hold what brokers report. "What happens when I send to a topic nobody created?" — with
 * autoCreateTopicEnable the broker copies TBW102 (min(producer's 4, TBW102's 8) queues, TBW102's
 * permission without INHERIT), stores it and re-registers, so the route appears within moments.
 */
import * as path from 'node:path';
import type {
  DataVersion,
  TopicConfig,
  TopicConfigSerializeWrapper,
  TopicFilterType,
} from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import { JsonConfigFile } from '../store';
import { initialDataVersion, nextDataVersion } from './data-version';
import { PermName, READ_WRITE, isInherited } from './perm-name';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  OFFSET_MOVED_EVENT,
  REPLY_TOPIC_POSTFIX,
  SCHEDULE_TOPIC,
  SELF_TEST_TOPIC,
  TIMER_TOPIC,
} from './topic-validator';

/** RocketMQ's `TopicConfig` constructor defaults. */
const DEFAULT_QUEUE_NUMS = 16;
const SCHEDULE_QUEUE_NUMS = 18;

export type TopicConfigChangeListener = (topic: string) => void;

/** A topic config with RocketMQ's defaults for everything not given. */
export function newTopicConfig(
  topicName: string,
  fields: Partial<Omit<TopicConfig, 'topicName'>> = {},
): TopicConfig {
  return {
    topicName,
    readQueueNums: fields.readQueueNums ?? DEFAULT_QUEUE_NUMS,
    writeQueueNums: fields.writeQueueNums ?? DEFAULT_QUEUE_NUMS,
    perm: fields.perm ?? READ_WRITE,
    topicFilterType: fields.topicFilterType ?? 'SINGLE_TAG',
    topicSysFlag: fields.topicSysFlag ?? 0,
    order: fields.order ?? false,
  };
}

export class TopicConfigManager {
  private readonly topicConfigTable = new Map<string, TopicConfig>();
  /** Topics the broker created for itself at start-up; they are not persisted. */
  private readonly builtInTopics = new Set<string>();
  private dataVersion: DataVersion = initialDataVersion();
  private readonly file: JsonConfigFile<TopicConfigSerializeWrapper>;
  private readonly listeners: TopicConfigChangeListener[] = [];

  constructor(
    private readonly brokerConfig: BrokerConfig,
    private readonly logger: BrokerLogger,
  ) {
    this.file = new JsonConfigFile(path.join(brokerConfig.storePathRootDir, 'config', 'topics.json'), logger);
  }

  /** Loads topics.json, then (re)adds the broker's own topics on top. */
  load(): void {
    const saved = this.file.load();
    if (saved) {
      for (const [name, config] of Object.entries(saved.topicConfigTable ?? {})) {
        this.topicConfigTable.set(name, newTopicConfig(name, config));
      }
      if (saved.dataVersion) this.dataVersion = nextDataVersion(saved.dataVersion);
    }
    this.addBuiltInTopics();
  }

  private addBuiltInTopics(): void {
    const { brokerConfig: c } = this;
    this.addBuiltIn(newTopicConfig(SELF_TEST_TOPIC, { readQueueNums: 1, writeQueueNums: 1 }));
    if (c.autoCreateTopicEnable) {
      this.addBuiltIn(
        newTopicConfig(AUTO_CREATE_TOPIC_KEY_TOPIC, {
          readQueueNums: c.defaultTopicQueueNums,
          writeQueueNums: c.defaultTopicQueueNums,
          perm: PermName.INHERIT | READ_WRITE,
        }),
      );
    }
    // Routes to "this cluster" and "this broker", which admin tools use to address one of them.
    this.addBuiltIn(newTopicConfig(c.brokerClusterName, { perm: PermName.INHERIT | READ_WRITE }));
    this.addBuiltIn(
      newTopicConfig(c.brokerName, {
        readQueueNums: 1,
        writeQueueNums: 1,
        perm: PermName.INHERIT | READ_WRITE,
      }),
    );
    this.addBuiltIn(newTopicConfig(OFFSET_MOVED_EVENT, { readQueueNums: 1, writeQueueNums: 1 }));
    this.addBuiltIn(
      newTopicConfig(SCHEDULE_TOPIC, {
        readQueueNums: SCHEDULE_QUEUE_NUMS,
        writeQueueNums: SCHEDULE_QUEUE_NUMS,
      }),
    );
    this.addBuiltIn(newTopicConfig(TIMER_TOPIC, { readQueueNums: 1, writeQueueNums: 1 }));
    this.addBuiltIn(
      newTopicConfig(`${c.brokerClusterName}_${REPLY_TOPIC_POSTFIX}`, {
        readQueueNums: 1,
        writeQueueNums: 1,
      }),
    );
  }

  private addBuiltIn(config: TopicConfig): void {
    this.topicConfigTable.set(config.topicName, config);
    this.builtInTopics.add(config.topicName);
  }

  /** Called with the topic name after every change (creation, update, deletion). */
  onChange(listener: TopicConfigChangeListener): void {
    this.listeners.push(listener);
  }

  selectTopicConfig(topic: string): TopicConfig | undefined {
    return this.topicConfigTable.get(topic);
  }

  isOrderTopic(topic: string): boolean {
    return this.topicConfigTable.get(topic)?.order ?? false;
  }

  /**
   * The first send to an unknown topic: copy the producer's template topic (normally TBW102) if it
   * exists and is inheritable. Undefined when the topic cannot be created.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): TopicConfig | undefined {
    const existing = this.topicConfigTable.get(topic);
    if (existing) return existing;
    const template = this.topicConfigTable.get(defaultTopic);
    if (!template) {
      this.logger.warn('cannot auto-create topic: the default topic does not exist', { topic, defaultTopic });
      return undefined;
    }
    const templateDisabled =
      defaultTopic === AUTO_CREATE_TOPIC_KEY_TOPIC && !this.brokerConfig.autoCreateTopicEnable;
    if (templateDisabled || !isInherited(template.perm)) {
      this.logger.warn('cannot auto-create topic: the default topic is not inheritable', {
        topic,
        defaultTopic,
      });
      return undefined;
    }
    const queueNums = Math.max(0, Math.min(clientDefaultTopicQueueNums, template.writeQueueNums));
    const created = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: template.perm & ~PermName.INHERIT,
      topicSysFlag,
    });
    this.logger.info('auto-created topic from its default topic', { topic, defaultTopic, queueNums });
    this.putAndNotify(created);
    return created;
  }

  /** Retry and dead-letter topics, created on a heartbeat or a send-back rather than from TBW102. */
  createTopicInSendMessageBackMethod(
    topic: string,
    queueNums: number,
    perm: number,
    topicSysFlag: number,
  ): TopicConfig {
    const existing = this.topicConfigTable.get(topic);
    if (existing) return existing;
    const created = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm,
      topicSysFlag,
    });
    this.logger.info('created topic for a consumer group', { topic, queueNums, perm });
    this.putAndNotify(created);
    return created;
  }

  /** UPDATE_AND_CREATE_TOPIC: replace or add. */
  updateTopicConfig(config: TopicConfig): void {
    const previous = this.topicConfigTable.get(config.topicName);
    if (previous && sameTopicConfig(previous, config)) return;
    this.logger.info(previous ? 'updated topic config' : 'created topic', { ...config });
    this.putAndNotify(config);
  }

  deleteTopicConfig(topic: string): boolean {
    if (!this.topicConfigTable.delete(topic)) return false;
    this.logger.info('deleted topic config', { topic });
    this.changed(topic);
    return true;
  }

  private putAndNotify(config: TopicConfig): void {
    this.topicConfigTable.set(config.topicName, config);
    this.builtInTopics.delete(config.topicName);
    this.changed(config.topicName);
  }

  private changed(topic: string): void {
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist().catch((err: unknown) =>
      this.logger.error('could not persist topics.json', { error: String(err) }),
    );
    for (const listener of this.listeners) listener(topic);
  }

  getDataVersion(): DataVersion {
    return this.dataVersion;
  }

  /** Every topic and the current data version: the REGISTER_BROKER body and the GET_ALL_TOPIC_CONFIG reply. */
  buildTopicConfigSerializeWrapper(): TopicConfigSerializeWrapper {
    return {
      topicConfigTable: Object.fromEntries(this.topicConfigTable),
      dataVersion: { ...this.dataVersion },
    };
  }

  topicNames(): string[] {
    return [...this.topicConfigTable.keys()];
  }

  /** Writes the created topics (not the built-in ones, which are derived from the config). */
  persist(): Promise<void> {
    return this.file.persist(this.persistedContent());
  }

  persistSync(): void {
    this.file.persistSync(this.persistedContent());
  }

  private persistedContent(): TopicConfigSerializeWrapper {
    const table: Record<string, TopicConfig> = {};
    for (const [name, config] of this.topicConfigTable) {
      if (!this.builtInTopics.has(name)) table[name] = config;
    }
    return { topicConfigTable: table, dataVersion: { ...this.dataVersion } };
  }
}

function sameTopicConfig(a: TopicConfig, b: TopicConfig): boolean {
  return (
    a.readQueueNums === b.readQueueNums &&
    a.writeQueueNums === b.writeQueueNums &&
    a.perm === b.perm &&
    a.topicFilterType === b.topicFilterType &&
    a.topicSysFlag === b.topicSysFlag &&
    a.order === b.order
  );
}

export function parseTopicFilterType(text: string | undefined): TopicFilterType | undefined {
  if (text === undefined || text === 'SINGLE_TAG') return 'SINGLE_TAG';
  if (text === 'MULTI_TAG') return 'MULTI_TAG';
  return undefined;
}
