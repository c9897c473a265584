/**
 * Tag filtering on the broker (RocketMQ's `ExpressionMessageFilter` for the TAG type, and
 * `FilterAPI.buildSubscriptionData` for parsing "TagA || TagB").
 *
 * Interview question: "How does a broker filter by tag without reading the message?" — every
 * ConsumeQueue entry carries the Java `String.hashCode()` of the message's tag (its tagsCode). A
 * subscription is turned into the set of its tags' hash codes, and the pull compares each entry's
 * tagsCode against that set before it touches the CommitLog, so skipped messages cost 20 bytes of
 * ConsumeQueue each. Two tags can share a hash, so the client re-checks the tag string afterwards.
 */
import { javaStringHashCode, type SubscriptionData } from '@flashsale/mq/protocol';
import { type MessageFilter } from '../store';

export type { MessageFilter } from '../store';

/** The subscription expression that means "every message of the topic". */
export const SUB_ALL = '*';

/** Separator between tags in a TAG subscription expression. */
const TAG_SEPARATOR = '||';

/** An expression the broker cannot turn into a filter; a pull answers SUBSCRIPTION_PARSE_FAILED (23). */
export class SubscriptionParseError extends Error {
  override readonly name = 'SubscriptionParseError';

  constructor(
    readonly subString: string,
    reason: string,
  ) {
    super(`cannot parse subscription "${subString}": ${reason}`);
  }
}

export const matchAllFilter: MessageFilter = () => true;

/** Java's rule: null, empty and exactly "*" subscribe to everything (no trimming, as in FilterAPI). */
export function isSubscribeAll(subString: string | undefined): boolean {
  return subString === undefined || subString.length === 0 || subString === SUB_ALL;
}

/** The trimmed, non-empty tags of "TagA || TagB"; throws SubscriptionParseError if none remain. */
export function parseTags(subString: string): string[] {
  const tags: string[] = [];
  for (const part of subString.split(TAG_SEPARATOR)) {
    const tag = part.trim();
    if (tag.length > 0) tags.push(tag);
  }
  // Java would accept "||" and then match nothing forever; refusing it surfaces the client's bug.
  if (tags.length === 0) throw new SubscriptionParseError(subString, 'no tag in the expression');
  return tags;
}

/** A TAG-type SubscriptionData as a client builds it, from the expression a pull carries. */
export function buildSubscriptionData(
  topic: string,
  subString: string | undefined,
  subVersion: number,
): SubscriptionData {
  if (isSubscribeAll(subString)) {
    return {
      classFilterMode: false,
      topic,
      subString: SUB_ALL,
      tagsSet: [],
      codeSet: [],
      subVersion,
      expressionType: 'TAG',
    };
  }
  const tagsSet = parseTags(subString as string);
  const codeSet = tagsSet.map(javaStringHashCode);
  return {
    classFilterMode: false,
    topic,
    subString: subString as string,
    tagsSet,
    codeSet,
    subVersion,
    expressionType: 'TAG',
  };
}

/**
 * The broker-side filter of a TAG subscription. The codeSet a client sent in its heartbeat is
 * trusted (Java does the same); it is recomputed from tagsSet only when a client left it out.
 */
export function createTagFilter(subscription: SubscriptionData): MessageFilter {
  if (isSubscribeAll(subscription.subString)) return matchAllFilter;
  const codes =
    subscription.codeSet.length > 0 ? subscription.codeSet : subscription.tagsSet.map(javaStringHashCode);
  return createCodeSetFilter(codes);
}

/** The filter of a subscription expression such as "*" or "TagA || TagB". */
export function createTagFilterFromString(subString: string | undefined): MessageFilter {
  if (isSubscribeAll(subString)) return matchAllFilter;
  return createCodeSetFilter(parseTags(subString as string).map(javaStringHashCode));
}

/**
 * Matches entries whose tagsCode is in `codes`. A ConsumeQueue stores tagsCode as a long; Java
 * compares its `(int)` cast, which `| 0` reproduces. Entries of untagged messages carry 0 and so
 * only match a "*" subscription (or a tag that happens to hash to 0).
 */
function createCodeSetFilter(codes: readonly number[]): MessageFilter {
  if (codes.length === 1) {
    const only = codes[0] | 0;
    return (tagsCode) => (tagsCode | 0) === only;
  }
  const codeSet = new Set(codes.map((code) => code | 0));
  return (tagsCode) => codeSet.has(tagsCode | 0);
}
