/**
 * Wiring of delayed and timer messages in one call, for the broker controller (like
 * consume-side-processors.ts for the consume side): the level table, the put hook the send path
 * calls, the store's tagsCode hook, the two delivery services and their arrival listener.
 *
 * Life cycle: `tagsCodeResolver` goes into the store options before the store opens (recovery
 * re-dispatches with it); `start(store)` after the store is open; `shutdown()` before the store
 * shuts down, so in-flight re-puts finish and the offsets are persisted. Delivery runs on a master
 * (brokerId 0) only; a slave still rewrites (it never receives sends, but the rule is the same).
 */
import type { BrokerConfig } from '../broker-config';
import type { BrokerLogger } from '../broker-logger';
import type { MessageArrivingListener, MessageStore, TagsCodeResolver } from '../store';
import { DelayLevelTable } from './delay-level-table';
import {
  createDeliveryTimeTagsCodeResolver,
  createScheduleMessageHook,
  type ScheduleMessageHook,
} from './schedule-message.hook';
import { ScheduleMessageService } from './schedule-message.service';
import { TimerMessageService } from './timer/timer-message.service';

const MASTER_ID = 0;

export interface ScheduleServices {
  readonly delayLevelTable: DelayLevelTable;
  readonly hook: ScheduleMessageHook;
  readonly tagsCodeResolver: TagsCodeResolver;
  /** Forward every store arrival here (cheap: two string comparisons). */
  readonly messageArrivingListener: MessageArrivingListener;
  readonly scheduleMessageService: ScheduleMessageService | undefined;
  readonly timerMessageService: TimerMessageService | undefined;
  start(store: MessageStore): void;
  shutdown(): Promise<void>;
}

export function createScheduleServices(config: BrokerConfig, logger: BrokerLogger): ScheduleServices {
  const delayLevelTable = DelayLevelTable.parse(config.messageDelayLevel, config.delayLevelScale);
  let schedule: ScheduleMessageService | undefined;
  let timer: TimerMessageService | undefined;
  return {
    delayLevelTable,
    hook: createScheduleMessageHook(delayLevelTable, config),
    tagsCodeResolver: createDeliveryTimeTagsCodeResolver(delayLevelTable),
    messageArrivingListener: (topic, queueId) => {
      schedule?.onMessageArriving(topic, queueId);
      timer?.onMessageArriving(topic);
    },
    get scheduleMessageService() {
      return schedule;
    },
    get timerMessageService() {
      return timer;
    },
    start(store) {
      if (config.brokerId !== MASTER_ID) return;
      const { storePathRootDir } = config;
      schedule = new ScheduleMessageService({
        store,
        table: delayLevelTable,
        storePathRootDir,
        flushDelayOffsetInterval: config.flushDelayOffsetInterval,
        logger,
      });
      schedule.load();
      schedule.start();
      timer = new TimerMessageService({
        store,
        precisionMs: config.timerPrecisionMs,
        storePathRootDir,
        logger,
      });
      timer.start();
      logger.info('delay and timer delivery started', { delayLevels: delayLevelTable.toJSON() });
    },
    async shutdown() {
      await Promise.all([schedule?.shutdown(), timer?.shutdown()]);
    },
  };
}

/** Several store arrival listeners behind the store's single slot. */
export function chainArrivingListeners(...listeners: MessageArrivingListener[]): MessageArrivingListener {
  return (topic, queueId, maxOffset, tagsCode, storeTimestamp, properties) => {
    for (const listener of listeners)
      listener(topic, queueId, maxOffset, tagsCode, storeTimestamp, properties);
  };
}
