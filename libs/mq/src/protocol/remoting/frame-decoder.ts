/**
 * Streaming frame decoder: turns arbitrary TCP chunks into RemotingCommands, the job Netty's
 * LengthFieldBasedFrameDecoder + NettyDecoder do in RocketMQ.
 *
 * Interview question: "What protects a broker from a client that sends garbage or a 2 GB length?" — the
 * length prefix is checked against a maximum (16 MiB by default) before a single byte is buffered for
 * it, and any malformed frame fails with RemotingDecodeError so the owner closes that connection only.
 *
 * Fast path: frames that lie whole inside one chunk are decoded in place (bodies are views into the
 * chunk). Only a frame split across chunks is gathered, with one Buffer.concat once it is complete.
 */
import { type RemotingCommand } from './remoting-command';
import { decodeRemotingCommandPayload } from './remoting-command-codec';
import { RemotingDecodeError } from './remoting-errors';

/** RocketMQ's `com.rocketmq.remoting.frameMaxLength` default. */
export const DEFAULT_MAX_FRAME_LENGTH = 16 * 1024 * 1024;

const LENGTH_PREFIX = 4;
/** The smallest frame body: the type/header-length word. */
const MIN_FRAME_LENGTH = 4;

export interface RemotingFrameDecoderOptions {
  /** Largest accepted value of the length prefix (bytes after the prefix). */
  maxFrameLength?: number;
}

export type RemotingCommandListener = (command: RemotingCommand) => void;

export class RemotingFrameDecoder {
  private readonly maxFrameLength: number;
  /** Chunks of an incomplete frame, gathered until `pendingLength >= needed`. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes the incomplete frame needs in total (prefix included); 4 while the prefix itself is partial. */
  private needed = LENGTH_PREFIX;
  private failed = false;

  constructor(
    private readonly onCommand: RemotingCommandListener,
    options: RemotingFrameDecoderOptions = {},
  ) {
    this.maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
  }

  /** Bytes held for a frame that has not arrived completely. */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /**
   * Feeds one chunk; calls the listener once per complete frame, in order. Throws RemotingDecodeError
   * on malformed input, after which the decoder refuses further input. An exception thrown by the
   * listener also leaves the decoder failed, because the stream position is then unknown.
   */
  push(chunk: Buffer): void {
    if (this.failed)
      throw new RemotingDecodeError('DECODER_FAILED', 'decoder already failed; close the connection');
    this.failed = true;
    const input = this.gather(chunk);
    if (input) this.decodeFrames(input);
    this.failed = false;
  }

  /** The bytes to decode now, or undefined while the pending frame is still incomplete. */
  private gather(chunk: Buffer): Buffer | undefined {
    if (this.pendingLength === 0) return chunk;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength < this.needed) return undefined;
    if (this.needed === LENGTH_PREFIX) {
      this.needed = LENGTH_PREFIX + this.frameLengthAt(this.prefixBytes(), 0);
      if (this.pendingLength < this.needed) return undefined;
    }
    const input = Buffer.concat(this.pending, this.pendingLength);
    this.resetPending();
    return input;
  }

  private decodeFrames(input: Buffer): void {
    let offset = 0;
    while (input.length - offset >= LENGTH_PREFIX) {
      const frameLength = this.frameLengthAt(input, offset);
      const frameEnd = offset + LENGTH_PREFIX + frameLength;
      if (frameEnd > input.length) break;
      this.onCommand(decodeRemotingCommandPayload(input, offset + LENGTH_PREFIX, frameEnd));
      offset = frameEnd;
    }
    if (offset < input.length) this.keepRemainder(input.subarray(offset));
  }

  private keepRemainder(rest: Buffer): void {
    this.pending = [rest];
    this.pendingLength = rest.length;
    this.needed = rest.length >= LENGTH_PREFIX ? LENGTH_PREFIX + this.frameLengthAt(rest, 0) : LENGTH_PREFIX;
  }

  /** Reads and validates a length prefix before anything is buffered for the frame it announces. */
  private frameLengthAt(buffer: Buffer, offset: number): number {
    const frameLength = buffer.readInt32BE(offset);
    if (frameLength > this.maxFrameLength) {
      throw new RemotingDecodeError(
        'FRAME_TOO_LARGE',
        `frame of ${frameLength} bytes exceeds ${this.maxFrameLength}`,
      );
    }
    if (frameLength < MIN_FRAME_LENGTH) {
      throw new RemotingDecodeError(
        'BAD_FRAME_LENGTH',
        `frame length ${frameLength} is below ${MIN_FRAME_LENGTH}`,
      );
    }
    return frameLength;
  }

  /** The first four pending bytes, which may be spread over several tiny chunks (a rare path). */
  private prefixBytes(): Buffer {
    const first = this.pending[0];
    if (first.length >= LENGTH_PREFIX) return first;
    const prefix = Buffer.alloc(LENGTH_PREFIX);
    let filled = 0;
    for (const part of this.pending) {
      filled += part.copy(prefix, filled, 0, Math.min(part.length, LENGTH_PREFIX - filled));
      if (filled === LENGTH_PREFIX) break;
    }
    return prefix;
  }

  private resetPending(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.needed = LENGTH_PREFIX;
  }
}
