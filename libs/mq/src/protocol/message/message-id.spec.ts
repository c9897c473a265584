import { MessageFormatError } from './message-format-error';
import {
  UniqueMessageIdGenerator,
  createOffsetMessageId,
  createUniqueMessageId,
  decodeOffsetMessageId,
} from './message-id';

describe('offset message id', () => {
  it('is uppercase hex of IP, port and CommitLog offset', () => {
    expect(createOffsetMessageId({ host: '127.0.0.1', port: 10911 }, 0)).toBe(
      '7F00000100002A9F0000000000000000',
    );
    expect(createOffsetMessageId({ host: '10.0.0.5', port: 10911 }, 5_000_000_000)).toBe(
      '0A00000500002A9F000000012A05F200',
    );
  });

  it('round-trips through decodeOffsetMessageId, IPv4 and IPv6', () => {
    const v4 = { storeHost: { host: '192.168.0.200', port: 10911 }, commitLogOffset: 2 ** 40 + 123 };
    expect(decodeOffsetMessageId(createOffsetMessageId(v4.storeHost, v4.commitLogOffset))).toEqual(v4);

    const v6 = { storeHost: { host: '2001:db8::42', port: 10911 }, commitLogOffset: 1_073_741_824 };
    const id = createOffsetMessageId(v6.storeHost, v6.commitLogOffset);
    expect(id).toHaveLength(56);
    expect(decodeOffsetMessageId(id)).toEqual(v6);
  });

  it('accepts lowercase hex and rejects malformed ids with a typed error', () => {
    expect(decodeOffsetMessageId('7f00000100002a9f0000000000000010').commitLogOffset).toBe(16);
    for (const bad of ['', 'ABC', '7F00000100002A9F00000000000000G0', '7F00000100002A9F000000000000000000']) {
      expect(() => decodeOffsetMessageId(bad)).toThrow(MessageFormatError);
    }
  });
});

describe('UniqueMessageIdGenerator', () => {
  const may10 = new Date(2024, 4, 10, 12, 30, 0, 250).getTime();
  const may1 = new Date(2024, 4, 1).getTime();

  it('lays out IP, pid, instance id, ms since month start and counter', () => {
    const generator = new UniqueMessageIdGenerator({
      ip: '10.1.2.3',
      pid: 0x51234,
      instanceId: 0x0badcafe,
      now: () => may10,
    });
    const sinceMonth = (may10 - may1).toString(16).toUpperCase().padStart(8, '0');
    expect(generator.next()).toBe(`0A010203` + `1234` + `0BADCAFE` + sinceMonth + `0000`);
    expect(generator.next()).toBe(`0A01020312340BADCAFE${sinceMonth}0001`);
  });

  it('wraps the counter at 16 bits', () => {
    const generator = new UniqueMessageIdGenerator({
      ip: '10.1.2.3',
      pid: 1,
      instanceId: 1,
      now: () => may10,
    });
    let last = '';
    for (let i = 0; i <= 0xffff; i++) last = generator.next();
    expect(last.slice(-4)).toBe('FFFF');
    expect(generator.next().slice(-4)).toBe('0000');
  });

  it('restarts the time part when the month rolls over', () => {
    let now = new Date(2024, 4, 31, 23, 59, 59, 999).getTime();
    const generator = new UniqueMessageIdGenerator({ ip: '10.1.2.3', pid: 1, instanceId: 1, now: () => now });
    const endOfMay = parseInt(generator.next().slice(20, 28), 16);
    expect(endOfMay).toBe(now - may1);
    now = new Date(2024, 5, 1, 0, 0, 0, 5).getTime();
    expect(parseInt(generator.next().slice(20, 28), 16)).toBe(5);
  });

  it('uses 16 IP bytes for an IPv6 client', () => {
    const generator = new UniqueMessageIdGenerator({ ip: '::1', pid: 1, instanceId: 1, now: () => may10 });
    expect(generator.next()).toMatch(/^0{30}01[0-9A-F]{24}$/);
  });

  it('gives the process-wide generator 32 uppercase hex chars and increasing ids', () => {
    const ids = Array.from({ length: 100 }, () => createUniqueMessageId());
    for (const id of ids) expect(id).toMatch(/^[0-9A-F]{32}$/);
    expect(new Set(ids).size).toBe(100);
  });
});
