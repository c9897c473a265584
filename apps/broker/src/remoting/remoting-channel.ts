/**
 * One accepted TCP connection, as the broker's processors see it. RocketMQ calls this the channel:
 * the broker answers requests on it, and also sends its own requests down it (NOTIFY_CONSUMER_IDS_CHANGED
 * to consumers, CHECK_TRANSACTION_STATE to producers), which is why managers keep channels, not sockets.
 */
import type { RemotingCommand, SocketAddress } from '@flashsale/mq/protocol';

export interface RemotingChannel {
  /** Unique per connection for the life of the server, e.g. "127.0.0.1:53122#17". */
  readonly id: string;
  readonly remoteAddress: SocketAddress;
  readonly isActive: boolean;
  /** Writes one command (response, oneway or request) to the peer; false if the channel is closed. */
  write(command: RemotingCommand): boolean;
  /**
   * Sends a request to the peer and resolves with its response (matched by opaque), or rejects with a
   * typed timeout error. Used for broker→client calls that expect an answer.
   */
  invoke(command: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand>;
  close(): void;
  onClose(listener: (channel: RemotingChannel) => void): void;
}
