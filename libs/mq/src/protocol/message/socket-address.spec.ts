import { MessageFormatError } from './message-format-error';
import {
  decodeHost,
  encodeHost,
  formatSocketAddress,
  isIPv6Host,
  parseSocketAddress,
} from './socket-address';

function encoded(host: string, port: number): Buffer {
  const buf = Buffer.alloc(20);
  return buf.subarray(0, encodeHost(buf, 0, { host, port }));
}

describe('encodeHost / decodeHost', () => {
  it('writes 4 IP bytes and an int32 port for IPv4', () => {
    expect(encoded('192.168.1.20', 10911).toString('hex')).toBe('c0a8011400002a9f');
    expect(decodeHost(Buffer.from('c0a8011400002a9f', 'hex'), 0, false)).toEqual({
      host: '192.168.1.20',
      port: 10911,
    });
  });

  it('writes 16 IP bytes and an int32 port for IPv6', () => {
    expect(encoded('::1', 80).toString('hex')).toBe('0000000000000000000000000000000100000050');
    expect(encoded('2001:db8::ff00:42:8329', 1).toString('hex')).toBe(
      '20010db8000000000000ff000042832900000001',
    );
    expect(encoded('::ffff:10.0.0.1', 1)).toHaveLength(8);
    expect(encoded('64:ff9b::192.0.2.33', 1).subarray(12, 16)).toEqual(Buffer.from([192, 0, 2, 33]));
  });

  it('decodes IPv6 in the RFC 5952 short form', () => {
    for (const host of [
      '::1',
      '::',
      '2001:db8::ff00:42:8329',
      'fe80::1:2',
      '1:0:0:2::3',
      '1:2:3:4:5:6:7:8',
    ]) {
      expect(decodeHost(encoded(host, 9), 0, true)).toEqual({ host, port: 9 });
    }
  });

  it('rejects what is not an IP address', () => {
    for (const host of [
      'localhost',
      '1.2.3',
      '1.2.3.256',
      '1.2.3.4.5',
      '1..2.3',
      '1:2:3',
      '1::2::3',
      '12345::',
    ]) {
      expect(() => encoded(host, 1)).toThrow(MessageFormatError);
    }
  });

  it('treats IPv4-mapped addresses as IPv4', () => {
    expect(isIPv6Host('::ffff:127.0.0.1')).toBe(false);
    expect(isIPv6Host('::1')).toBe(true);
    expect(isIPv6Host('127.0.0.1')).toBe(false);
  });
});

describe('parseSocketAddress / formatSocketAddress', () => {
  it('parses ip:port, [ipv6]:port and bare ipv6:port', () => {
    expect(parseSocketAddress('127.0.0.1:10911')).toEqual({ host: '127.0.0.1', port: 10911 });
    expect(parseSocketAddress('[::1]:10911')).toEqual({ host: '::1', port: 10911 });
    expect(parseSocketAddress('fe80::1:10911')).toEqual({ host: 'fe80::1', port: 10911 });
  });

  it('formats back, bracketing IPv6', () => {
    expect(formatSocketAddress({ host: '127.0.0.1', port: 10911 })).toBe('127.0.0.1:10911');
    expect(formatSocketAddress({ host: '::1', port: 10911 })).toBe('[::1]:10911');
  });

  it('rejects addresses without a valid port', () => {
    for (const bad of ['127.0.0.1', ':80', '127.0.0.1:', '127.0.0.1:70000', '127.0.0.1:8x']) {
      expect(() => parseSocketAddress(bad)).toThrow(MessageFormatError);
    }
  });
});
