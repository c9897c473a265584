/**
 * BORNHOST and STOREHOST of a CommitLog record: an IP address (4 or 16 bytes) followed by the port
 * as an int32, the same bytes that start an offset message id.
 *
 * Interview question: "What does a RocketMQ msgId tell you?" — the store host's address and the
 * CommitLog offset, which is why a client can look a message up by id without any index.
 */
import type { SocketAddress } from './message-record';
import { MessageFormatError } from './message-format-error';

export const IPV4_HOST_LENGTH = 8;
export const IPV6_HOST_LENGTH = 20;

const IPV4_MAPPED_PREFIX = '::ffff:';
const IPV6_GROUPS = 8;

/**
 * True when the host needs the 16-byte form. IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, what a
 * dual-stack Node server reports) are stored in the 4-byte form, as a Java broker would see them.
 */
export function isIPv6Host(host: string): boolean {
  if (host.indexOf(':') < 0) return false;
  return !isIPv4Mapped(host);
}

/** Bytes an address occupies in a record: 8 for IPv4, 20 for IPv6. */
export function encodedHostLength(addr: SocketAddress): number {
  return isIPv6Host(addr.host) ? IPV6_HOST_LENGTH : IPV4_HOST_LENGTH;
}

/** Writes IP bytes and the int32 port; returns the bytes written (8 or 20). */
export function encodeHost(buf: Buffer, offset: number, addr: SocketAddress): number {
  const host = addr.host;
  if (isIPv6Host(host)) {
    writeIPv6(buf, offset, host);
    buf.writeInt32BE(addr.port | 0, offset + 16);
    return IPV6_HOST_LENGTH;
  }
  const ipv4 = isIPv4Mapped(host) ? host.slice(IPV4_MAPPED_PREFIX.length) : host;
  if (!writeIPv4(buf, offset, ipv4)) throw invalidAddress(host);
  buf.writeInt32BE(addr.port | 0, offset + 4);
  return IPV4_HOST_LENGTH;
}

/** Reads an address written by `encodeHost`; the caller knows the form from the sysFlag bits. */
export function decodeHost(buf: Buffer, offset: number, ipv6: boolean): SocketAddress {
  if (ipv6) return { host: formatIPv6(buf, offset), port: buf.readInt32BE(offset + 16) };
  const host = `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
  return { host, port: buf.readInt32BE(offset + 4) };
}

/** Parses `ip:port` or `[ipv6]:port` (a bare IPv6 address splits at its last colon). */
export function parseSocketAddress(address: string): SocketAddress {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) throw invalidAddress(address);
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const portText = address.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 0xffff || host.length === 0) throw invalidAddress(address);
  return { host, port };
}

/** `ip:port`, with brackets around an IPv6 address so that the port stays unambiguous. */
export function formatSocketAddress(addr: SocketAddress): string {
  if (isIPv6Host(addr.host)) return `[${addr.host}]:${addr.port}`;
  return `${addr.host}:${addr.port}`;
}

function isIPv4Mapped(host: string): boolean {
  return (
    host.length > IPV4_MAPPED_PREFIX.length &&
    host.toLowerCase().startsWith(IPV4_MAPPED_PREFIX) &&
    host.indexOf('.') > 0
  );
}

function invalidAddress(address: string): MessageFormatError {
  return new MessageFormatError('INVALID_ADDRESS', `not an IP address: ${JSON.stringify(address)}`);
}

/** Parses a dotted quad straight into the buffer; false when it is not one. */
function writeIPv4(buf: Buffer, offset: number, host: string): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= host.length; i++) {
    const c = i < host.length ? host.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 3) return false;
      buf[offset + part++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (c < 0x30 || c > 0x39 || digits === 3) return false;
    value = value * 10 + (c - 0x30);
    digits++;
    if (value > 255) return false;
  }
  return part === 4;
}

function writeIPv6(buf: Buffer, offset: number, address: string): void {
  const groups = parseIPv6Groups(address);
  if (groups === undefined) throw invalidAddress(address);
  for (let i = 0; i < IPV6_GROUPS; i++) buf.writeUInt16BE(groups[i], offset + i * 2);
}

function parseIPv6Groups(address: string): number[] | undefined {
  const zone = address.indexOf('%');
  const host = zone >= 0 ? address.slice(0, zone) : address;
  const gap = host.indexOf('::');
  if (gap !== host.lastIndexOf('::')) return undefined;
  const head = gap >= 0 ? parseGroupList(host.slice(0, gap)) : parseGroupList(host);
  const tail = gap >= 0 ? parseGroupList(host.slice(gap + 2)) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = IPV6_GROUPS - head.length - tail.length;
  if (gap < 0 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** Colon-separated hex groups; a trailing dotted quad counts as two groups. */
function parseGroupList(text: string): number[] | undefined {
  if (text.length === 0) return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.indexOf('.') > 0) {
      const quad = Buffer.alloc(4);
      if (!writeIPv4(quad, 0, part)) return undefined;
      groups.push(quad.readUInt16BE(0), quad.readUInt16BE(2));
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

/** RFC 5952 text form: lowercase hex, the longest run of two or more zero groups shortened to `::`. */
function formatIPv6(buf: Buffer, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < IPV6_GROUPS; i++) groups.push(buf.readUInt16BE(offset + i * 2));
  const [runStart, runLength] = longestZeroRun(groups);
  if (runLength < 2) return groups.map((g) => g.toString(16)).join(':');
  const head = groups
    .slice(0, runStart)
    .map((g) => g.toString(16))
    .join(':');
  const tail = groups
    .slice(runStart + runLength)
    .map((g) => g.toString(16))
    .join(':');
  return `${head}::${tail}`;
}

function longestZeroRun(groups: number[]): [number, number] {
  let bestStart = -1;
  let bestLength = 0;
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start > bestLength) {
      bestStart = start;
      bestLength = i - start;
    }
    start = -1;
  }
  return [bestStart, bestLength];
}
