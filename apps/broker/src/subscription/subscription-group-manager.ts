/**
 * SubscriptionGroupManager: the broker's table of consumer groups and their consumption policy
 * (retry queue count, how many retries before the dead-letter queue, whether consuming is allowed),
 * persisted to config/subscriptionGroup.json.
 *
 * Interview question: "How many times does RocketMQ retry a message, and where does it go after
 * that?" — retryMaxTimes (16 by default) per group; past that the message goes to %DLQ%<group>.
 * Groups are created on first sight (autoCreateSubscriptionGroup), so the defaults below are what
 * almost every group runs with.
 */
import * as path from 'node:path';
import type { DataVersion } from '@flashsale/mq/protocol';
import type { BrokerConfig } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import { JsonConfigFile } from '../store';
import { initialDataVersion, nextDataVersion } from '../topic/data-version';

export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
}

export function newSubscriptionGroupConfig(
  groupName: string,
  fields: Partial<Omit<SubscriptionGroupConfig, 'groupName'>> = {},
): SubscriptionGroupConfig {
  return {
    groupName,
    consumeEnable: fields.consumeEnable ?? true,
    consumeFromMinEnable: fields.consumeFromMinEnable ?? true,
    consumeBroadcastEnable: fields.consumeBroadcastEnable ?? true,
    retryQueueNums: fields.retryQueueNums ?? 1,
    retryMaxTimes: fields.retryMaxTimes ?? 16,
    brokerId: fields.brokerId ?? 0,
    whichBrokerWhenConsumeSlowly: fields.whichBrokerWhenConsumeSlowly ?? 1,
    notifyConsumerIdsChangedEnable: fields.notifyConsumerIdsChangedEnable ?? true,
  };
}

interface SubscriptionGroupFile {
  subscriptionGroupTable: Record<string, SubscriptionGroupConfig>;
  dataVersion: DataVersion;
}

/** RocketMQ's built-in groups (tools, the inner producer side of clients, ...). */
const SYSTEM_GROUPS = [
  'TOOLS_CONSUMER',
  'FILTERSRV_CONSUMER',
  'SELF_TEST_C_GROUP',
  'CID_ONS-HTTP-PROXY',
  'CID_ONSAPI_PULL',
  'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER',
];

export class SubscriptionGroupManager {
  private readonly table = new Map<string, SubscriptionGroupConfig>();
  private dataVersion: DataVersion = initialDataVersion();
  private readonly file: JsonConfigFile<SubscriptionGroupFile>;

  constructor(
    private readonly brokerConfig: BrokerConfig,
    private readonly logger: BrokerLogger,
  ) {
    this.file = new JsonConfigFile(
      path.join(brokerConfig.storePathRootDir, 'config', 'subscriptionGroup.json'),
      logger,
    );
    for (const group of SYSTEM_GROUPS) this.table.set(group, newSubscriptionGroupConfig(group));
  }

  load(): void {
    const saved = this.file.load();
    if (!saved) return;
    for (const [name, config] of Object.entries(saved.subscriptionGroupTable ?? {})) {
      this.table.set(name, newSubscriptionGroupConfig(name, config));
    }
    if (saved.dataVersion) this.dataVersion = nextDataVersion(saved.dataVersion);
  }

  /** The group's config; created with the defaults when auto-creation is on, else undefined. */
  findSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    const existing = this.table.get(group);
    if (existing || !this.brokerConfig.autoCreateSubscriptionGroup) return existing;
    const created = newSubscriptionGroupConfig(group);
    this.logger.info('auto-created subscription group', { group });
    this.updateSubscriptionGroupConfig(created);
    return created;
  }

  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): void {
    this.table.set(config.groupName, config);
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist().catch((err: unknown) =>
      this.logger.error('could not persist subscriptionGroup.json', { error: String(err) }),
    );
  }

  deleteSubscriptionGroupConfig(group: string): boolean {
    if (!this.table.delete(group)) return false;
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist().catch((err: unknown) =>
      this.logger.error('could not persist subscriptionGroup.json', { error: String(err) }),
    );
    return true;
  }

  allGroups(): SubscriptionGroupConfig[] {
    return [...this.table.values()];
  }

  persist(): Promise<void> {
    return this.file.persist(this.content());
  }

  persistSync(): void {
    this.file.persistSync(this.content());
  }

  private content(): SubscriptionGroupFile {
    return { subscriptionGroupTable: Object.fromEntries(this.table), dataVersion: { ...this.dataVersion } };
  }
}
