import { crc32Masked } from './crc32';

describe('crc32Masked', () => {
  it('is the standard CRC-32 check value with the sign bit cleared', () => {
    // CRC-32/ISO-HDLC of "123456789" is 0xCBF43926.
    expect(crc32Masked(Buffer.from('123456789'))).toBe(0x4bf43926);
  });

  it('is 0 for an empty body', () => {
    expect(crc32Masked(Buffer.alloc(0))).toBe(0);
  });

  it('checksums only the requested range', () => {
    const buf = Buffer.from('xx123456789yy');
    expect(crc32Masked(buf, 2, 11)).toBe(0x4bf43926);
  });

  it('never returns a negative number', () => {
    for (let i = 0; i < 64; i++) {
      expect(crc32Masked(Buffer.from(`body-${i}`))).toBeGreaterThanOrEqual(0);
    }
  });
});
