import { deflateSync } from 'node:zlib';
import { COMPRESS_BODY_OVER, compressMessageBody, decodeMessageBody, decompressBody } from './message-body';
import { MessageFormatError } from './message-format-error';

describe('message body compression', () => {
  const large = Buffer.from('flash-sale order payload '.repeat(400));

  it('returns an uncompressed body as it is', () => {
    const body = Buffer.from('Hello');
    expect(decodeMessageBody({ sysFlag: 0x8, body })).toBe(body);
  });

  it('inflates a legacy (0x1) and a typed (0x301) zlib body', () => {
    const deflated = deflateSync(large);
    expect(decodeMessageBody({ sysFlag: 0x1, body: deflated })).toEqual(large);
    expect(decompressBody({ sysFlag: 0x301, body: deflated })).toEqual(large);
  });

  it('compresses only bodies of 4096 bytes or more, and flags them', () => {
    const small = Buffer.alloc(COMPRESS_BODY_OVER - 1, 1);
    expect(compressMessageBody(small, 0)).toEqual({ body: small, sysFlag: 0 });
    const compressed = compressMessageBody(large, 0x4);
    expect(compressed.sysFlag).toBe(0x305);
    expect(compressed.body.length).toBeLessThan(large.length);
    expect(decodeMessageBody(compressed)).toEqual(large);
  });

  it('refuses LZ4 and ZSTD with a typed error', () => {
    for (const sysFlag of [0x101, 0x201]) {
      expect(() => decodeMessageBody({ sysFlag, body: Buffer.from('x') })).toThrow(
        expect.objectContaining({ reason: 'UNSUPPORTED_COMPRESSION' }),
      );
    }
  });

  it('reports a body that does not inflate with a typed error', () => {
    expect(() => decodeMessageBody({ sysFlag: 0x1, body: Buffer.from('not zlib') })).toThrow(
      MessageFormatError,
    );
  });
});
