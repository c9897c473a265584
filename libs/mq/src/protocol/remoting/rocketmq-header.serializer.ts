/**
 * The ROCKETMQ binary header serialization (serialize type 1, `RocketMQSerializable`): a fixed 21-byte
 * part followed by the remark and the ext fields as length-prefixed strings, all big-endian.
 *
 * Interview question: "Why does RocketMQ have a binary header at all?" — it skips JSON parsing and the
 * per-request reflection on the hot path; JSON remains the default for compatibility.
 *
 *   code:int16 | language:int8 | version:int16 | opaque:int32 | flag:int32
 *   | remarkLength:int32 | remark | extLength:int32 | (keyLength:int16 key valueLength:int32 value)*
 *
 * A zero-length string means "absent", so empty ext values do not survive a round trip (as in Java).
 */
import { languageCodeOf, languageNameOf } from './language-code';
import { type RemotingCommand } from './remoting-command';
import { RemotingDecodeError, RemotingEncodeError } from './remoting-errors';

const FIXED_PART_LENGTH = 21;
const INT16_MIN = -0x8000;
const INT16_MAX = 0x7fff;
const UINT16_MAX = 0xffff;

/** Exact encoded size, so the frame can be allocated once. */
export function rocketmqHeaderLength(command: RemotingCommand): number {
  let length = FIXED_PART_LENGTH;
  if (command.remark) length += Buffer.byteLength(command.remark, 'utf8');
  const ext = command.extFields;
  for (const key in ext) {
    const value = ext[key];
    if (value === undefined || value === null) continue;
    length += 6 + Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  return length;
}

/** Writes the header at `offset` into a buffer sized with rocketmqHeaderLength; returns the end offset. */
export function writeRocketmqHeader(command: RemotingCommand, target: Buffer, offset: number): number {
  checkInt16(command.code, 'CODE_OUT_OF_RANGE', 'code');
  checkInt16(command.version, 'VERSION_OUT_OF_RANGE', 'version');
  let at = target.writeInt16BE(command.code, offset);
  at = target.writeUInt8(languageCodeOf(command.language), at);
  at = target.writeInt16BE(command.version, at);
  at = target.writeInt32BE(command.opaque, at);
  at = target.writeInt32BE(command.flag, at);
  at = writeInt32String(target, at, command.remark);
  return writeExtFields(target, at, command.extFields);
}

function checkInt16(value: number, reason: 'CODE_OUT_OF_RANGE' | 'VERSION_OUT_OF_RANGE', name: string): void {
  if (value < INT16_MIN || value > INT16_MAX || (value | 0) !== value) {
    throw new RemotingEncodeError(reason, `${name} ${value} does not fit the ROCKETMQ header's int16`);
  }
}

function writeInt32String(target: Buffer, offset: number, text: string | undefined): number {
  const written = text ? target.write(text, offset + 4, 'utf8') : 0;
  target.writeInt32BE(written, offset);
  return offset + 4 + written;
}

function writeExtFields(target: Buffer, offset: number, ext: Record<string, string>): number {
  let at = offset + 4;
  for (const key in ext) {
    const value = ext[key];
    if (value === undefined || value === null) continue;
    const keyLength = target.write(key, at + 2, 'utf8');
    if (keyLength > UINT16_MAX)
      throw new RemotingEncodeError('KEY_TOO_LONG', `ext field key of ${keyLength} bytes`);
    target.writeUInt16BE(keyLength, at);
    at = writeInt32String(target, at + 2 + keyLength, value);
  }
  target.writeInt32BE(at - offset - 4, offset);
  return at;
}

export function deserializeRocketmqHeader(
  frame: Buffer,
  start: number,
  end: number,
  body: Buffer | undefined,
): RemotingCommand {
  if (end - start < FIXED_PART_LENGTH) {
    throw new RemotingDecodeError('BAD_HEADER', `binary header of ${end - start} bytes is shorter than 21`);
  }
  const remarkLength = frame.readInt32BE(start + 13);
  const remarkEnd = checkedEnd(start + 17, remarkLength, end - 4, 'remark');
  const extLength = frame.readInt32BE(remarkEnd);
  const extEnd = checkedEnd(remarkEnd + 4, extLength, end, 'extFields');
  if (extEnd !== end) throw new RemotingDecodeError('BAD_HEADER', 'binary header has trailing bytes');
  return {
    code: frame.readInt16BE(start),
    language: languageNameOf(frame[start + 2]),
    version: frame.readInt16BE(start + 3),
    opaque: frame.readInt32BE(start + 5),
    flag: frame.readInt32BE(start + 9),
    remark: remarkLength === 0 ? undefined : frame.toString('utf8', start + 17, remarkEnd),
    extFields: readExtFields(frame, remarkEnd + 4, extEnd),
    body,
    serializeType: 'ROCKETMQ',
  };
}

/** End of a length-prefixed field, or a decode error if the length is negative or runs past `limit`. */
function checkedEnd(start: number, length: number, limit: number, what: string): number {
  if (length < 0 || length > limit - start) {
    throw new RemotingDecodeError('BAD_HEADER', `${what} length ${length} runs past the header`);
  }
  return start + length;
}

function readExtFields(frame: Buffer, start: number, end: number): Record<string, string> {
  const ext: Record<string, string> = {};
  let at = start;
  while (at < end) {
    if (end - at < 6) throw new RemotingDecodeError('BAD_HEADER', 'truncated ext field entry');
    const keyEnd = checkedEnd(at + 2, frame.readUInt16BE(at), end - 4, 'ext key');
    const valueLength = frame.readInt32BE(keyEnd);
    const valueEnd = checkedEnd(keyEnd + 4, valueLength, end, 'ext value');
    if (valueLength > 0) {
      setField(ext, frame.toString('utf8', at + 2, keyEnd), frame.toString('utf8', keyEnd + 4, valueEnd));
    }
    at = valueEnd;
  }
  return ext;
}

/** A peer-chosen "__proto__" key must become a plain field, as JSON.parse makes it, not a prototype swap. */
function setField(ext: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__')
    Object.defineProperty(ext, key, { value, enumerable: true, writable: true, configurable: true });
  else ext[key] = value;
}
