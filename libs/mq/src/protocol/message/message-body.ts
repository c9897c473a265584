/**
 * Body compression (`COMPRESSED_FLAG` and the compression-type bits of sysFlag).
 *
 * Interview question: "Does the broker decompress large messages?" — no: the producer deflates
 * bodies of 4 KiB or more, the broker stores and serves the compressed bytes (BODYCRC covers them),
 * and only the consumer inflates.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { CompressionType, MessageSysFlag, compressionType, withCompressionType } from './message-const';
import { MessageFormatError } from './message-format-error';

/** `compressMsgBodyOverHowmuch`: producers compress single-message bodies at least this large. */
export const COMPRESS_BODY_OVER = 4096;
/** The Java producer's default zlib level. */
export const DEFAULT_COMPRESS_LEVEL = 5;

/** The body a consumer hands to the application: inflated when the record is compressed. */
export function decodeMessageBody(record: { sysFlag: number; body: Buffer }): Buffer {
  if ((record.sysFlag & MessageSysFlag.COMPRESSED) === 0) return record.body;
  const type = compressionType(record.sysFlag);
  if (type !== CompressionType.LEGACY_ZLIB && type !== CompressionType.ZLIB) {
    throw new MessageFormatError('UNSUPPORTED_COMPRESSION', `compression type ${type} is not supported`);
  }
  try {
    return inflateSync(record.body);
  } catch (cause) {
    throw new MessageFormatError('CORRUPT_COMPRESSED_BODY', 'zlib could not inflate the body', { cause });
  }
}

/** Same as `decodeMessageBody`; the name RocketMQ's client uses for the step. */
export const decompressBody = decodeMessageBody;

/**
 * What a producer sends: bodies of COMPRESS_BODY_OVER bytes or more are deflated and flagged as
 * 4.9.4+ producers do (COMPRESSED plus the zlib type bits); smaller ones go as they are.
 */
export function compressMessageBody(
  body: Buffer,
  sysFlag: number,
  level = DEFAULT_COMPRESS_LEVEL,
): { body: Buffer; sysFlag: number } {
  if (body.length < COMPRESS_BODY_OVER) return { body, sysFlag };
  return { body: deflateSync(body, { level }), sysFlag: withCompressionType(sysFlag, CompressionType.ZLIB) };
}
