/**
 * 64-bit integer fields of RocketMQ's binary formats (offsets, timestamps) written as two 32-bit
 * halves, so the hot path never allocates a BigInt.
 *
 * Exact for every integer with |v| < 2^53 (commit-log offsets and epoch milliseconds stay far below)
 * and for -1, which RocketMQ uses as "unknown offset".
 */

const TWO_POW_32 = 0x1_0000_0000;

/** Writes `value` as a signed big-endian int64; returns the offset just past it. */
export function writeInt64BE(buf: Buffer, value: number, offset: number): number {
  const hi = Math.floor(value / TWO_POW_32);
  const lo = value - hi * TWO_POW_32;
  buf.writeInt32BE(hi | 0, offset);
  buf.writeUInt32BE(lo >>> 0, offset + 4);
  return offset + 8;
}

/** Reads a signed big-endian int64; precision is lost only beyond ±2^53. */
export function readInt64BE(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4);
}
