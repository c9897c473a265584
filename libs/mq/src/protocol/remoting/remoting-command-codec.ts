/**
 * Whole-frame codec for RemotingCommand (rocketmq-facts.md §1.1):
 *
 *   length:int32 | serializeType:int8 headerLength:int24 | header | body
 *
 * `length` counts everything after itself; the body length is implied (length - 4 - headerLength).
 *
 * Interview question: "How does RocketMQ split a TCP byte stream into messages?" — a length prefix
 * (Netty's LengthFieldBasedFrameDecoder) capped at 16 MiB; see frame-decoder.ts for the streaming side.
 */
import { deserializeJsonHeader, serializeJsonHeader } from './json-header.serializer';
import { type RemotingCommand } from './remoting-command';
import { RemotingDecodeError, RemotingEncodeError } from './remoting-errors';
import {
  deserializeRocketmqHeader,
  rocketmqHeaderLength,
  writeRocketmqHeader,
} from './rocketmq-header.serializer';

export const SERIALIZE_TYPE_JSON = 0;
export const SERIALIZE_TYPE_ROCKETMQ = 1;

/** Bytes before the header: the length prefix and the type/header-length word. */
export const FRAME_PREFIX_LENGTH = 8;

const MAX_HEADER_LENGTH = 0xffffff;

/** The complete frame, length prefix included, in the command's serialize type. */
export function encodeRemotingCommand(command: RemotingCommand): Buffer {
  return encodeFrame(command, true);
}

/**
 * The frame without the body bytes (its length prefix still counts the body). Lets a sender write a
 * large body, such as a pull response's stored messages, right after it without copying it.
 */
export function encodeRemotingCommandHead(command: RemotingCommand): Buffer {
  return encodeFrame(command, false);
}

function encodeFrame(command: RemotingCommand, withBody: boolean): Buffer {
  const bodyLength = command.body ? command.body.length : 0;
  if (command.serializeType === 'ROCKETMQ') {
    const headerLength = rocketmqHeaderLength(command);
    const frame = allocateFrame(headerLength, bodyLength, withBody, SERIALIZE_TYPE_ROCKETMQ);
    writeRocketmqHeader(command, frame, FRAME_PREFIX_LENGTH);
    return appendBody(frame, command.body, FRAME_PREFIX_LENGTH + headerLength, withBody);
  }
  const json = serializeJsonHeader(command);
  const headerLength = Buffer.byteLength(json, 'utf8');
  const frame = allocateFrame(headerLength, bodyLength, withBody, SERIALIZE_TYPE_JSON);
  frame.write(json, FRAME_PREFIX_LENGTH, headerLength, 'utf8');
  return appendBody(frame, command.body, FRAME_PREFIX_LENGTH + headerLength, withBody);
}

function allocateFrame(headerLength: number, bodyLength: number, withBody: boolean, type: number): Buffer {
  if (headerLength > MAX_HEADER_LENGTH) {
    throw new RemotingEncodeError('HEADER_TOO_LARGE', `header of ${headerLength} bytes exceeds 24 bits`);
  }
  const frameSize = FRAME_PREFIX_LENGTH + headerLength + (withBody ? bodyLength : 0);
  const frame = Buffer.allocUnsafe(frameSize);
  frame.writeInt32BE(4 + headerLength + bodyLength, 0);
  frame.writeUInt32BE(((type << 24) | headerLength) >>> 0, 4);
  return frame;
}

function appendBody(frame: Buffer, body: Buffer | undefined, offset: number, withBody: boolean): Buffer {
  if (withBody && body) body.copy(frame, offset);
  return frame;
}

/** Decodes one complete frame that starts with its 4-byte length prefix. */
export function decodeRemotingCommand(frame: Buffer): RemotingCommand {
  if (frame.length < 4)
    throw new RemotingDecodeError('BAD_FRAME_LENGTH', 'frame shorter than its length prefix');
  const length = frame.readInt32BE(0);
  if (length !== frame.length - 4) {
    throw new RemotingDecodeError(
      'BAD_FRAME_LENGTH',
      `length prefix ${length} but ${frame.length - 4} bytes follow`,
    );
  }
  return decodeRemotingCommandPayload(frame, 4, frame.length);
}

/**
 * Decodes the bytes after a length prefix: `frame[start, end)` = type/header-length word, header, body.
 * The body is a view into `frame`, not a copy.
 */
export function decodeRemotingCommandPayload(frame: Buffer, start: number, end: number): RemotingCommand {
  if (end - start < 4) throw new RemotingDecodeError('BAD_FRAME_LENGTH', 'frame has no header-length word');
  const type = frame[start];
  if (type !== SERIALIZE_TYPE_JSON && type !== SERIALIZE_TYPE_ROCKETMQ) {
    throw new RemotingDecodeError('UNKNOWN_SERIALIZE_TYPE', `serialize type byte ${type}`);
  }
  const headerLength = frame.readUIntBE(start + 1, 3);
  const headerStart = start + 4;
  const headerEnd = headerStart + headerLength;
  if (headerEnd > end) {
    throw new RemotingDecodeError('BAD_HEADER_LENGTH', `header length ${headerLength} exceeds the frame`);
  }
  const body = headerEnd < end ? frame.subarray(headerEnd, end) : undefined;
  return type === SERIALIZE_TYPE_JSON
    ? deserializeJsonHeader(frame, headerStart, headerEnd, body)
    : deserializeRocketmqHeader(frame, headerStart, headerEnd, body);
}
