/**
 * The `flag` bits of a RemotingCommand.
 *
 * Interview question: "What is a oneway request?" — a request with the ONEWAY bit set; the receiver
 * must not answer it (RocketMQ uses it for UPDATE_CONSUMER_OFFSET, END_TRANSACTION and broker→client
 * notifications), trading a delivery guarantee for latency.
 */
export const RemotingFlag = {
  /** Bit 0: this command answers a request (same opaque). */
  RESPONSE: 1 << 0,
  /** Bit 1: the sender does not wait for an answer. */
  ONEWAY: 1 << 1,
} as const;

export function hasFlag(flag: number, bit: number): boolean {
  return (flag & bit) !== 0;
}
