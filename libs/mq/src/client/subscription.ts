/**
 * Turning a subscription expression into RocketMQ's SubscriptionData (`FilterAPI.buildSubscriptionData`).
 *
 * Interview question: "How does tag filtering work?" — '*' takes everything; 'TagA || TagB' is split
 * into tags whose Java String.hashCode values (codeSet) the broker compares with the hash stored in
 * each ConsumeQueue entry; hashes can collide, so the client re-checks the tag string (tagsSet).
 */
import { javaStringHashCode, type SubscriptionData } from '../protocol';

export const SUBSCRIBE_ALL = '*';

export function buildSubscriptionData(topic: string, subExpression: string | undefined): SubscriptionData {
  const subString =
    subExpression === undefined || subExpression.trim() === '' ? SUBSCRIBE_ALL : subExpression.trim();
  const tagsSet: string[] = [];
  if (subString !== SUBSCRIBE_ALL) {
    for (const part of subString.split('||')) {
      const tag = part.trim();
      if (tag.length > 0 && !tagsSet.includes(tag)) tagsSet.push(tag);
    }
  }
  return {
    classFilterMode: false,
    topic,
    subString,
    tagsSet,
    codeSet: tagsSet.map(javaStringHashCode),
    subVersion: Date.now(),
    expressionType: 'TAG',
  };
}

/** The client-side re-check: true when the message's tag is one the subscription asked for. */
export function matchesTags(subscription: SubscriptionData, tag: string | undefined): boolean {
  if (subscription.tagsSet.length === 0) return true;
  return tag !== undefined && subscription.tagsSet.includes(tag);
}

export function retryTopicOf(consumerGroup: string): string {
  return `%RETRY%${consumerGroup}`;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith('%RETRY%');
}
