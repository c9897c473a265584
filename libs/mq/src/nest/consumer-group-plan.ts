/**
 * From handler patterns to PushConsumers: which groups exist, what each subscribes to, and with which
 * group-wide settings. Pure, so the routing rules are unit-tested without a broker.
 *
 * Interview question: "Can one consumer group subscribe differently on different instances?" — no:
 * RocketMQ expects every member of a group to have the same subscriptions (topic + tags); otherwise
 * rebalance hands queues to members that filter them away and messages look lost. Hence one
 * subscription per (group, topic) here, and group-wide settings that must agree.
 */
import { ALL_TAGS } from './mq.constants';
import { RocketMQTransportError } from './errors/rocketmq-transport.error';
import { type MqConsumerExtras, type MqConsumerGroupSettings } from './interfaces/rocketmq-options.interface';

/** One handler's subscription: the (group, topic) pair is also its route. */
export interface RocketMQSubscription {
  group: string;
  topic: string;
  tags: string;
}

export interface ConsumerGroupEntry {
  group: string;
  settings: MqConsumerGroupSettings;
  /** topic → tags expression */
  subscriptions: Map<string, string>;
}

const GROUP_SETTING_KEYS = [
  'messageModel',
  'consumeFromWhere',
  'concurrency',
  'maxReconsumeTimes',
  'orderly',
] as const satisfies readonly (keyof MqConsumerGroupSettings)[];

/** The canonical pattern a handler is registered under: `{ group, topic }`. */
export function routePattern(
  subscription: Pick<RocketMQSubscription, 'group' | 'topic'>,
): Record<'group' | 'topic', string> {
  return { group: subscription.group, topic: subscription.topic };
}

/** Reads a handler's pattern (`'Topic'` or `{ topic, group? }`) and extras into a subscription. */
export function resolveSubscription(
  pattern: unknown,
  extras: MqConsumerExtras | undefined,
  defaultGroup: string | undefined,
): RocketMQSubscription {
  const { topic, group } = readPattern(pattern);
  const resolvedGroup = group ?? defaultGroup;
  if (!resolvedGroup) {
    throw new RocketMQTransportError(
      'MISSING_CONSUMER_GROUP',
      `the handler of topic ${topic} names no group and the server has no consumerGroup`,
    );
  }
  const tags = extras?.tags?.trim() || ALL_TAGS;
  return { group: resolvedGroup, topic, tags };
}

function readPattern(pattern: unknown): { topic: string; group?: string } {
  if (typeof pattern === 'string' && pattern.length > 0) return { topic: pattern };
  if (typeof pattern === 'object' && pattern !== null) {
    const { topic, group } = pattern as Record<string, unknown>;
    const groupOk = group === undefined || (typeof group === 'string' && group.length > 0);
    if (typeof topic === 'string' && topic.length > 0 && groupOk) {
      return { topic, group: group as string | undefined };
    }
  }
  throw new RocketMQTransportError(
    'INVALID_PATTERN',
    `a RocketMQ pattern is a topic or { topic, group? }, got ${JSON.stringify(pattern)}`,
  );
}

/** Collects subscriptions per group; rejects a second handler for a topic and disagreeing settings. */
export class ConsumerGroupPlan {
  private readonly entries = new Map<string, ConsumerGroupEntry>();

  get groups(): ConsumerGroupEntry[] {
    return [...this.entries.values()];
  }

  add(subscription: RocketMQSubscription, extras: MqConsumerExtras | undefined): void {
    const entry = this.entries.get(subscription.group) ?? {
      group: subscription.group,
      settings: {},
      subscriptions: new Map<string, string>(),
    };
    if (entry.subscriptions.has(subscription.topic)) {
      throw new RocketMQTransportError(
        'DUPLICATE_HANDLER',
        `group ${subscription.group} already has a handler for topic ${subscription.topic}`,
      );
    }
    const settings = mergeSettings(entry, extras ?? {});
    entry.settings = settings;
    entry.subscriptions.set(subscription.topic, subscription.tags);
    this.entries.set(entry.group, entry);
  }
}

function mergeSettings(entry: ConsumerGroupEntry, extras: MqConsumerExtras): MqConsumerGroupSettings {
  const merged: Record<string, unknown> = { ...entry.settings };
  for (const key of GROUP_SETTING_KEYS) {
    const value = extras[key];
    if (value === undefined) continue;
    if (merged[key] !== undefined && merged[key] !== value) {
      throw new RocketMQTransportError(
        'CONFLICTING_GROUP_OPTIONS',
        `handlers of group ${entry.group} disagree on ${key}: ${String(merged[key])} vs ${String(value)}`,
      );
    }
    merged[key] = value;
  }
  return merged as MqConsumerGroupSettings;
}
