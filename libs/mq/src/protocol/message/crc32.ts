/**
 * BODYCRC of a CommitLog record: CRC-32 (IEEE, the zlib polynomial) of the stored body, masked to
 * 31 bits because Java keeps it in a signed int.
 *
 * Interview question: "How does RocketMQ notice a corrupted message after a crash?" — recovery and
 * (optionally) reads recompute this checksum and compare it with the stored one.
 */
import { crc32 } from 'node:zlib';

/** CRC32(buf[start, end)) & 0x7FFFFFFF, computed natively by zlib. */
export function crc32Masked(buf: Buffer, start = 0, end = buf.length): number {
  const bytes = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return crc32(bytes) & 0x7fffffff;
}
