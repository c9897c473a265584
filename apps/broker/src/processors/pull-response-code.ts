/**
 * The one place where a store lookup's GetMessageStatus becomes a PULL_MESSAGE response code
 * (rocketmq-facts.md §2.4). The store has already chosen nextBeginOffset by the same table:
 *
 * | status                 | code                                   | nextBeginOffset          |
 * |------------------------|----------------------------------------|--------------------------|
 * | FOUND                  | 0  SUCCESS                             | offset + entries scanned |
 * | NO_MATCHED_MESSAGE     | 20 PULL_RETRY_IMMEDIATELY              | offset + entries scanned |
 * | MESSAGE_WAS_REMOVING   | 20 PULL_RETRY_IMMEDIATELY              | past the removed segment |
 * | NO_MESSAGE_IN_QUEUE    | 21 PULL_OFFSET_MOVED (19 if offset 0)  | 0                        |
 * | NO_MATCHED_LOGIC_QUEUE | 21 PULL_OFFSET_MOVED (19 if offset 0)  | 0                        |
 * | OFFSET_TOO_SMALL       | 21 PULL_OFFSET_MOVED                   | min offset               |
 * | OFFSET_OVERFLOW_ONE    | 19 PULL_NOT_FOUND                      | offset                   |
 * | OFFSET_OVERFLOW_BADLY  | 21 PULL_OFFSET_MOVED                   | max offset               |
 * | OFFSET_FOUND_NULL      | 19 PULL_NOT_FOUND                      | next ConsumeQueue file   |
 *
 * The client continues from nextBeginOffset after 0, 19 and 20 at once; after 21 it drops its
 * cached messages and adopts nextBeginOffset as the group's offset, which is why a wrong 21 is the
 * most expensive answer a broker can give.
 */
import { ResponseCode } from '@flashsale/mq/protocol';
import { GetMessageStatus } from '../store';

export type PullResponseCode =
  | typeof ResponseCode.SUCCESS
  | typeof ResponseCode.PULL_NOT_FOUND
  | typeof ResponseCode.PULL_RETRY_IMMEDIATELY
  | typeof ResponseCode.PULL_OFFSET_MOVED;

export function pullResponseCodeOf(status: GetMessageStatus, requestOffset: number): PullResponseCode {
  switch (status) {
    case GetMessageStatus.FOUND:
      return ResponseCode.SUCCESS;
    case GetMessageStatus.NO_MATCHED_MESSAGE:
    case GetMessageStatus.MESSAGE_WAS_REMOVING:
      return ResponseCode.PULL_RETRY_IMMEDIATELY;
    case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
    case GetMessageStatus.NO_MATCHED_LOGIC_QUEUE:
      // A consumer at 0 on an empty queue is simply early; anywhere else its offset is wrong.
      return requestOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_TOO_SMALL:
    case GetMessageStatus.OFFSET_OVERFLOW_BADLY:
      return ResponseCode.PULL_OFFSET_MOVED;
    case GetMessageStatus.OFFSET_OVERFLOW_ONE:
    case GetMessageStatus.OFFSET_FOUND_NULL:
      return ResponseCode.PULL_NOT_FOUND;
  }
}

/**
 * Statuses whose nextBeginOffset is a correction of the consumer's offset. A slave without
 * `offsetCheckInSlave` does not trust its own view enough to correct it: it keeps the request offset.
 */
export function isOffsetCorrection(status: GetMessageStatus): boolean {
  return (
    status === GetMessageStatus.NO_MESSAGE_IN_QUEUE ||
    status === GetMessageStatus.NO_MATCHED_LOGIC_QUEUE ||
    status === GetMessageStatus.OFFSET_TOO_SMALL ||
    status === GetMessageStatus.OFFSET_OVERFLOW_BADLY ||
    status === GetMessageStatus.OFFSET_FOUND_NULL
  );
}
