/**
 * The NameServer's key/value store (RocketMQ's KVConfigManager): string values filed under a namespace
 * and a key, set by admin tools. RocketMQ persists it to kvConfig.json; ours lives in memory only,
 * since nothing in this project depends on it surviving a restart.
 *
 * Interview question: "Where do globally ordered topics get their queue layout?" — from namespace
 * ORDER_TOPIC_CONFIG (topic → "brokerA:4;brokerB:4"), which the NameServer hands back to brokers on
 * registration and, when order messages are enabled, to clients as the route's orderTopicConf.
 */

export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

/** The body RocketMQ sends for a namespace's entries: `{"table":{key: value}}`. */
export interface KVTable {
  table: Record<string, string>;
}

export class KVConfigManager {
  private readonly namespaces = new Map<string, Map<string, string>>();

  put(namespace: string, key: string, value: string): void {
    let entries = this.namespaces.get(namespace);
    if (entries === undefined) {
      entries = new Map();
      this.namespaces.set(namespace, entries);
    }
    entries.set(key, value);
  }

  get(namespace: string, key: string): string | undefined {
    return this.namespaces.get(namespace)?.get(key);
  }

  delete(namespace: string, key: string): void {
    const entries = this.namespaces.get(namespace);
    if (entries === undefined) return;
    entries.delete(key);
    if (entries.size === 0) this.namespaces.delete(namespace);
  }

  /** Every entry of a namespace, or undefined when it has none. */
  list(namespace: string): KVTable | undefined {
    const entries = this.namespaces.get(namespace);
    if (entries === undefined) return undefined;
    return { table: Object.fromEntries(entries) };
  }
}
