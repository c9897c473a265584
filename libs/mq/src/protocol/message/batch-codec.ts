/**
 * The body of SEND_BATCH_MESSAGE (`MessageDecoder.encodeMessages`): several messages for one topic
 * and queue, each as TOTALSIZE + MAGIC(0) + BODYCRC(0) + FLAG + body length + body + properties
 * length (int16) + properties. Topic, queue and sysFlag travel once, in the request header.
 *
 * Interview question: "How does batch sending raise throughput, and what are its limits?" — one
 * request and one CommitLog append for many messages; all of them must share topic and queue, and
 * none may be delayed or transactional.
 */
import { MessageFormatError } from './message-format-error';
import { decodeProperties, encodeProperties } from './message-properties';
import { MAX_PROPERTIES_LENGTH } from './stored-message-codec';

export interface BatchMessage {
  flag: number;
  body: Buffer;
  properties: Record<string, string>;
}

/** TOTALSIZE + MAGIC + BODYCRC + FLAG + body length + properties length. */
const BATCH_ENTRY_FIXED_LENGTH = 22;

export function encodeBatchBody(messages: readonly BatchMessage[]): Buffer {
  const propertyStrings: string[] = new Array<string>(messages.length);
  const propertyLengths: number[] = new Array<number>(messages.length);
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const properties = encodeProperties(messages[i].properties);
    const length = Buffer.byteLength(properties, 'utf8');
    if (length > MAX_PROPERTIES_LENGTH) {
      throw new MessageFormatError(
        'PROPERTIES_TOO_LONG',
        `batch message ${i} has ${length} bytes of properties`,
      );
    }
    propertyStrings[i] = properties;
    propertyLengths[i] = length;
    total += BATCH_ENTRY_FIXED_LENGTH + messages[i].body.length + length;
  }

  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < messages.length; i++) {
    const { flag, body } = messages[i];
    buf.writeInt32BE(BATCH_ENTRY_FIXED_LENGTH + body.length + propertyLengths[i], pos);
    buf.writeInt32BE(0, pos + 4);
    buf.writeInt32BE(0, pos + 8);
    buf.writeInt32BE(flag | 0, pos + 12);
    buf.writeInt32BE(body.length, pos + 16);
    pos += 20 + body.copy(buf, pos + 20);
    buf.writeInt16BE(propertyLengths[i], pos);
    pos += 2 + buf.write(propertyStrings[i], pos + 2, propertyLengths[i], 'utf8');
  }
  return buf;
}

/**
 * Splits a batch body back into messages. Bodies are views into `buf` (the broker copies them into
 * the CommitLog anyway). Throws MALFORMED_BATCH when an entry's lengths disagree with its size or
 * would run past the buffer.
 */
export function decodeBatchBody(buf: Buffer): BatchMessage[] {
  const messages: BatchMessage[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const remaining = buf.length - pos;
    if (remaining < BATCH_ENTRY_FIXED_LENGTH) throw malformed(pos, 'truncated entry header');
    const size = buf.readInt32BE(pos);
    if (size < BATCH_ENTRY_FIXED_LENGTH || size > remaining) throw malformed(pos, `bad entry size ${size}`);
    const bodyLength = buf.readInt32BE(pos + 16);
    if (bodyLength < 0 || BATCH_ENTRY_FIXED_LENGTH + bodyLength > size)
      throw malformed(pos, 'bad body length');
    const propertiesAt = pos + 20 + bodyLength;
    const propertiesLength = buf.readInt16BE(propertiesAt);
    if (propertiesLength < 0 || BATCH_ENTRY_FIXED_LENGTH + bodyLength + propertiesLength !== size) {
      throw malformed(pos, 'entry size disagrees with its lengths');
    }
    messages.push({
      flag: buf.readInt32BE(pos + 12),
      body: buf.subarray(pos + 20, propertiesAt),
      properties: decodeProperties(
        buf.toString('utf8', propertiesAt + 2, propertiesAt + 2 + propertiesLength),
      ),
    });
    pos += size;
  }
  return messages;
}

function malformed(offset: number, detail: string): MessageFormatError {
  return new MessageFormatError('MALFORMED_BATCH', `${detail} at byte ${offset}`);
}
