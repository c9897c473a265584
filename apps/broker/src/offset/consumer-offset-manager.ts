/**
 * ConsumerOffsetManager: where a clustering consumer group's progress lives — one committed offset
 * per (topic, group, queueId), kept in memory, persisted to `<storeRoot>/config/consumerOffset.json`
 * every 5 s and at shutdown, loaded at start-up.
 *
 * Interview question: "Where is consumption progress kept, and why can a message be delivered
 * twice?" — in clustering mode on the broker. Consumers commit the next offset to read
 * (UPDATE_CONSUMER_OFFSET every 5 s, or piggy-backed on a pull), and the broker writes the table to
 * disk every 5 s. Either interval can lose the last few commits in a crash or rebalance, so the same
 * messages are consumed again: delivery is at-least-once and consumers must be idempotent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLenientJson } from '@flashsale/mq/protocol';
import { type BrokerLogger, silentBrokerLogger } from '../broker-logger';
import { JsonConfigFile } from '../store';

/** RocketMQ's key separator: the table is keyed `topic@group`. */
export const TOPIC_GROUP_SEPARATOR = '@';

/** How often the table is written to disk (RocketMQ's `flushConsumerOffsetInterval`). */
export const DEFAULT_FLUSH_CONSUMER_OFFSET_INTERVAL = 5000;

/** The file's JSON shape, as RocketMQ writes it: `{"offsetTable":{"topic@group":{"0":123}}}`. */
export interface ConsumerOffsetSerializeWrapper {
  offsetTable: Record<string, Record<string, number>>;
}

export interface ConsumerOffsetManagerOptions {
  /** The store root; the file is `<storePathRootDir>/config/consumerOffset.json`. */
  storePathRootDir: string;
  flushConsumerOffsetInterval?: number;
  logger?: BrokerLogger;
}

export function consumerOffsetFilePath(storePathRootDir: string): string {
  return path.join(storePathRootDir, 'config', 'consumerOffset.json');
}

export class ConsumerOffsetManager {
  /** `topic@group` → queueId → next offset to consume. */
  private readonly offsetTable = new Map<string, Map<number, number>>();
  private readonly file: JsonConfigFile<ConsumerOffsetSerializeWrapper>;
  private readonly flushInterval: number;
  private readonly logger: BrokerLogger;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every commit, so an unchanged table is not rewritten every 5 s. */
  private version = 0;
  private persistedVersion = 0;

  constructor(options: ConsumerOffsetManagerOptions) {
    this.logger = options.logger ?? silentBrokerLogger;
    this.flushInterval = options.flushConsumerOffsetInterval ?? DEFAULT_FLUSH_CONSUMER_OFFSET_INTERVAL;
    this.file = new JsonConfigFile(consumerOffsetFilePath(options.storePathRootDir), this.logger);
  }

  get configFilePath(): string {
    return this.file.filePath;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /**
   * Reads the file (or its .bak). Accepts standard JSON and fastjson's unquoted integer keys, so a
   * file written by a Java broker loads too. Returns false if neither file could be read.
   */
  load(): boolean {
    const main = readOffsetFile(this.file.filePath);
    if (main === 'DAMAGED') this.logger.warn(`${this.file.filePath} is damaged; loading its .bak`);
    const wrapper = typeof main === 'object' ? main : readOffsetFile(`${this.file.filePath}.bak`);
    if (typeof wrapper !== 'object') return false;
    this.decode(wrapper);
    this.persistedVersion = this.version;
    this.logger.info(`loaded ${this.offsetTable.size} consumer offset entries from ${this.file.filePath}`);
    return true;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.persistIfChanged(), this.flushInterval);
    this.timer.unref();
  }

  /**
   * Stops the timer and writes the table once more, so the last commits survive a clean stop. The
   * write queues behind a timer write still in flight, so the two never share the .tmp file.
   */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.persist();
  }

  async persist(): Promise<void> {
    const version = this.version;
    await this.file.persist(this.encode());
    this.persistedVersion = Math.max(this.persistedVersion, version);
  }

  private async persistIfChanged(): Promise<void> {
    if (this.version === this.persistedVersion) return;
    try {
      await this.persist();
    } catch (err) {
      this.logger.error(`persisting consumer offsets failed: ${String(err)}`);
    }
  }

  // ---- commit and query -------------------------------------------------------------------------

  /** Stores `offset` as the group's progress in the queue (the next offset it will consume). */
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void {
    const key = topicGroupKey(topic, group);
    let queues = this.offsetTable.get(key);
    if (!queues) {
      queues = new Map();
      this.offsetTable.set(key, queues);
    }
    const previous = queues.get(queueId);
    queues.set(queueId, offset);
    this.version++;
    // Legal after a reset or rebalance, but worth a line: it means messages will be consumed again.
    if (previous !== undefined && offset < previous) {
      this.logger.warn('consumer offset moved backwards', { clientHost, key, queueId, offset, previous });
    }
  }

  /** The committed offset, or -1 when the group never committed one for this queue. */
  queryOffset(group: string, topic: string, queueId: number): number {
    return this.offsetTable.get(topicGroupKey(topic, group))?.get(queueId) ?? -1;
  }

  /** A copy of the group's offsets in a topic (queueId → offset); empty when there are none. */
  queryOffsets(group: string, topic: string): Map<number, number> {
    return new Map(this.offsetTable.get(topicGroupKey(topic, group)));
  }

  /** Topics the group has committed offsets for. */
  whichTopicByConsumer(group: string): Set<string> {
    const topics = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const [topic, keyGroup] = splitTopicGroupKey(key);
      if (keyGroup === group) topics.add(topic);
    }
    return topics;
  }

  /** Groups that have committed offsets in the topic. */
  whichGroupByTopic(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const [keyTopic, group] = splitTopicGroupKey(key);
      if (keyTopic === topic) groups.add(group);
    }
    return groups;
  }

  /**
   * Per queue, the smallest offset any group (except `excludedGroups`) has committed in the topic:
   * how far back every consumer has read, e.g. to tell what retention may delete unread.
   */
  queryMinOffsetInAllGroup(topic: string, excludedGroups: readonly string[] = []): Map<number, number> {
    const excluded = new Set(excludedGroups);
    const minOffsets = new Map<number, number>();
    for (const [key, queues] of this.offsetTable) {
      const [keyTopic, group] = splitTopicGroupKey(key);
      if (keyTopic !== topic || excluded.has(group)) continue;
      for (const [queueId, offset] of queues) {
        const current = minOffsets.get(queueId);
        if (current === undefined || offset < current) minOffsets.set(queueId, offset);
      }
    }
    return minOffsets;
  }

  /** Every `topic@group` key with its offsets, for admin views. */
  entries(): IterableIterator<[string, ReadonlyMap<number, number>]> {
    return this.offsetTable.entries();
  }

  // ---- serialization ----------------------------------------------------------------------------

  encode(): ConsumerOffsetSerializeWrapper {
    const offsetTable: Record<string, Record<string, number>> = {};
    for (const [key, queues] of this.offsetTable) {
      const byQueue: Record<string, number> = {};
      for (const [queueId, offset] of queues) byQueue[String(queueId)] = offset;
      offsetTable[key] = byQueue;
    }
    return { offsetTable };
  }

  /** Replaces the table with the file's content, skipping entries that are not `topic@group` → numbers. */
  decode(wrapper: ConsumerOffsetSerializeWrapper): void {
    this.offsetTable.clear();
    for (const [key, byQueue] of Object.entries(wrapper.offsetTable)) {
      if (!key.includes(TOPIC_GROUP_SEPARATOR) || !isPlainObject(byQueue)) continue;
      const queues = new Map<number, number>();
      for (const [queueId, offset] of Object.entries(byQueue)) {
        const id = Number(queueId);
        if (Number.isInteger(id) && typeof offset === 'number' && Number.isFinite(offset))
          queues.set(id, offset);
      }
      this.offsetTable.set(key, queues);
    }
    this.version++;
  }
}

export function topicGroupKey(topic: string, group: string): string {
  return `${topic}${TOPIC_GROUP_SEPARATOR}${group}`;
}

/** Topic names cannot contain '@' (only letters, digits, '%', '|', '_' and '-'), so split at the first. */
function splitTopicGroupKey(key: string): [topic: string, group: string] {
  const at = key.indexOf(TOPIC_GROUP_SEPARATOR);
  return [key.slice(0, at), key.slice(at + 1)];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JsonConfigFile.load() only understands standard JSON; a Java broker's file has unquoted queue-id
 * keys, so the read side parses leniently here.
 */
function readOffsetFile(file: string): ConsumerOffsetSerializeWrapper | 'MISSING' | 'DAMAGED' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return 'MISSING';
  }
  try {
    const parsed = parseLenientJson(text);
    if (isPlainObject(parsed) && isPlainObject(parsed.offsetTable)) {
      return parsed as unknown as ConsumerOffsetSerializeWrapper;
    }
  } catch {
    // Reported as damaged below; the caller falls back to the .bak.
  }
  return 'DAMAGED';
}
