/**
 * Fuzzing the frame decoder: whatever bytes arrive, in whatever chunks, the only failure it may report
 * is RemotingDecodeError, and it never buffers more than one maximum-size frame.
 */
import { RemotingFrameDecoder } from './frame-decoder';
import { type RemotingCommand } from './remoting-command';
import { encodeRemotingCommand } from './remoting-command-codec';
import { RemotingDecodeError } from './remoting-errors';

const ITERATIONS = 4000;
const MAX_FRAME_LENGTH = 2048;

/** mulberry32: small, seeded, reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(0x5eed);
const randomInt = (below: number): number => Math.floor(random() * below);

function randomBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) bytes[index] = randomInt(256);
  return bytes;
}

function randomText(): string {
  const alphabet = ['a', 'Z', '0', '%', ' ', '"', '\\', 'é', '订', '🚀', '\u0001', '\u0002'];
  let text = '';
  for (let count = randomInt(12); count > 0; count--) text += alphabet[randomInt(alphabet.length)];
  return text;
}

function randomCommand(): RemotingCommand {
  const extFields: Record<string, string> = {};
  for (let count = randomInt(5); count > 0; count--) extFields[`k${randomText()}`] = randomText();
  return {
    code: randomInt(400),
    language: random() < 0.5 ? 'JAVA' : 'GO',
    version: randomInt(500),
    opaque: (randomInt(0x100000000) | 0) >> 0,
    flag: randomInt(4),
    remark: random() < 0.5 ? randomText() : undefined,
    extFields,
    body: random() < 0.6 ? randomBytes(randomInt(300)) : undefined,
    serializeType: random() < 0.5 ? 'JSON' : 'ROCKETMQ',
  };
}

function validStream(): Buffer {
  const frames: Buffer[] = [];
  for (let count = 1 + randomInt(4); count > 0; count--) frames.push(encodeRemotingCommand(randomCommand()));
  return Buffer.concat(frames);
}

function mutateOneByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  if (copy.length > 0) copy[randomInt(copy.length)] = randomInt(256);
  return copy;
}

function hugeLengthPrefix(): Buffer {
  const prefix = Buffer.alloc(4 + randomInt(8));
  prefix.writeInt32BE(MAX_FRAME_LENGTH + 1 + randomInt(0x7fffffff - MAX_FRAME_LENGTH));
  return prefix;
}

function fuzzInput(): Buffer {
  const kind = randomInt(5);
  if (kind === 0) return randomBytes(randomInt(200));
  if (kind === 1) return validStream();
  if (kind === 2) {
    const stream = validStream();
    return stream.subarray(0, randomInt(stream.length + 1));
  }
  if (kind === 3) return mutateOneByte(validStream());
  return random() < 0.5 ? hugeLengthPrefix() : Buffer.concat([validStream(), hugeLengthPrefix()]);
}

function randomChunks(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const size = random() < 0.2 ? 1 : 1 + randomInt(bytes.length);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

function expectWellFormed(command: RemotingCommand): void {
  expect(Number.isInteger(command.code)).toBe(true);
  expect(Number.isInteger(command.opaque)).toBe(true);
  for (const value of Object.values(command.extFields)) expect(typeof value).toBe('string');
  expect(command.body === undefined || command.body.length <= MAX_FRAME_LENGTH).toBe(true);
}

describe('RemotingFrameDecoder under fuzzing', () => {
  it(`throws nothing but RemotingDecodeError over ${ITERATIONS} random inputs`, () => {
    const outcomes = { decoded: 0, rejected: 0 };
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const commands: RemotingCommand[] = [];
      const decoder = new RemotingFrameDecoder((command) => commands.push(command), {
        maxFrameLength: MAX_FRAME_LENGTH,
      });
      try {
        for (const chunk of randomChunks(fuzzInput())) {
          decoder.push(chunk);
          expect(decoder.bufferedBytes).toBeLessThan(MAX_FRAME_LENGTH + 4);
        }
        outcomes.decoded++;
      } catch (error) {
        if (!(error instanceof RemotingDecodeError)) throw error;
        outcomes.rejected++;
      }
      commands.forEach(expectWellFormed);
    }
    expect(outcomes.decoded).toBeGreaterThan(ITERATIONS / 10);
    expect(outcomes.rejected).toBeGreaterThan(ITERATIONS / 10);
  });

  it('decodes every unmutated stream exactly, in any chunking', () => {
    for (let iteration = 0; iteration < 500; iteration++) {
      const commands = Array.from({ length: 1 + randomInt(4) }, randomCommand);
      const received: RemotingCommand[] = [];
      const decoder = new RemotingFrameDecoder((command) => received.push(command), {
        maxFrameLength: 1 << 20,
      });
      for (const chunk of randomChunks(Buffer.concat(commands.map(encodeRemotingCommand))))
        decoder.push(chunk);
      expect(received).toEqual(commands.map(normalizeEmpty));
    }
  });
});

/** What a receiver sees: empty bodies arrive as undefined, and binary headers drop empty strings. */
function normalizeEmpty(command: RemotingCommand): RemotingCommand {
  const dropsEmpty = command.serializeType === 'ROCKETMQ';
  const extFields: Record<string, string> = {};
  for (const [key, value] of Object.entries(command.extFields))
    if (!dropsEmpty || value !== '') extFields[key] = value;
  return {
    ...command,
    remark: dropsEmpty && command.remark === '' ? undefined : command.remark,
    extFields,
    body: command.body && command.body.length > 0 ? command.body : undefined,
  };
}
