import { readInt64BE, writeInt64BE } from './int64';

const VALUES = [
  0,
  1,
  -1,
  -2,
  255,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 32 + 5,
  -(2 ** 32),
  -(2 ** 32) - 7,
  1_700_000_000_123,
  1_073_741_824 * 1000,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];

describe('int64 helpers', () => {
  it.each(VALUES)('write %p produces the same bytes as a BigInt write', (value) => {
    const ours = Buffer.alloc(8);
    const reference = Buffer.alloc(8);
    writeInt64BE(ours, value, 0);
    reference.writeBigInt64BE(BigInt(value), 0);
    expect(ours).toEqual(reference);
  });

  it.each(VALUES)('read(write(%p)) round-trips', (value) => {
    const buf = Buffer.alloc(12);
    expect(writeInt64BE(buf, value, 3)).toBe(11);
    expect(readInt64BE(buf, 3)).toBe(value);
  });

  it('writes -1 as eight 0xFF bytes', () => {
    const buf = Buffer.alloc(8);
    writeInt64BE(buf, -1, 0);
    expect(buf.toString('hex')).toBe('ffffffffffffffff');
  });
});
