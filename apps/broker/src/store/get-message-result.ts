/**
 * What a pull reads: RocketMQ's `GetMessageStatus` and `GetMessageResult`. The pull processor maps
 * the status to PULL_* response codes (rocketmq-facts.md §2.4) and hands `nextBeginOffset`,
 * `minOffset`, `maxOffset` to the consumer.
 */
export const GetMessageStatus = {
  FOUND: 'FOUND',
  NO_MATCHED_MESSAGE: 'NO_MATCHED_MESSAGE',
  MESSAGE_WAS_REMOVING: 'MESSAGE_WAS_REMOVING',
  OFFSET_FOUND_NULL: 'OFFSET_FOUND_NULL',
  OFFSET_OVERFLOW_BADLY: 'OFFSET_OVERFLOW_BADLY',
  OFFSET_OVERFLOW_ONE: 'OFFSET_OVERFLOW_ONE',
  OFFSET_TOO_SMALL: 'OFFSET_TOO_SMALL',
  NO_MATCHED_LOGIC_QUEUE: 'NO_MATCHED_LOGIC_QUEUE',
  NO_MESSAGE_IN_QUEUE: 'NO_MESSAGE_IN_QUEUE',
} as const;
export type GetMessageStatus = (typeof GetMessageStatus)[keyof typeof GetMessageStatus];

/**
 * Broker-side filter. Called with the ConsumeQueue's tagsCode before the CommitLog is touched; the
 * `properties` argument is reserved for SQL92 filtering and is not passed yet.
 */
export type MessageFilter = (tagsCode: number, properties?: Record<string, string>) => boolean;

export interface GetMessageResult {
  status: GetMessageStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** Raw CommitLog records, exactly the bytes a PULL_MESSAGE response body concatenates. */
  messages: Buffer[];
  bufferTotalSize: number;
  /** Queue offsets of `messages`, in order. */
  messageQueueOffsets: number[];
}
