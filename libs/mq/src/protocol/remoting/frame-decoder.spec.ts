import { DEFAULT_MAX_FRAME_LENGTH, RemotingFrameDecoder } from './frame-decoder';
import { type RemotingCommand } from './remoting-command';
import { encodeRemotingCommand } from './remoting-command-codec';
import { RemotingDecodeError } from './remoting-errors';

function sample(opaque: number, serializeType: 'JSON' | 'ROCKETMQ', bodyText?: string): RemotingCommand {
  return {
    code: 11,
    language: 'JAVA',
    version: 409,
    opaque,
    flag: 0,
    remark: opaque % 2 === 0 ? `remark ${opaque}` : undefined,
    extFields: { topic: 'orders', queueId: String(opaque % 4) },
    body: bodyText === undefined ? undefined : Buffer.from(bodyText),
    serializeType,
  };
}

function collectingDecoder(maxFrameLength?: number): {
  decoder: RemotingFrameDecoder;
  commands: RemotingCommand[];
} {
  const commands: RemotingCommand[] = [];
  const decoder = new RemotingFrameDecoder((command) => commands.push(command), { maxFrameLength });
  return { decoder, commands };
}

function decodeError(action: () => void): RemotingDecodeError {
  try {
    action();
  } catch (error) {
    if (error instanceof RemotingDecodeError) return error;
    throw error;
  }
  throw new Error('expected a RemotingDecodeError');
}

describe('RemotingFrameDecoder', () => {
  const stream = [sample(1, 'JSON', 'first'), sample(2, 'ROCKETMQ', 'second body'), sample(3, 'JSON')];
  const bytes = Buffer.concat(stream.map(encodeRemotingCommand));

  it('decodes the stream split into two chunks at every possible position', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { decoder, commands } = collectingDecoder();
      decoder.push(bytes.subarray(0, cut));
      decoder.push(bytes.subarray(cut));
      expect(commands).toEqual(stream);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('decodes the stream fed one byte at a time', () => {
    const { decoder, commands } = collectingDecoder();
    for (let index = 0; index < bytes.length; index++) decoder.push(bytes.subarray(index, index + 1));
    expect(commands).toEqual(stream);
  });

  it('decodes a thousand frames from one chunk in order, with bodies as views into the chunk', () => {
    const many = Array.from({ length: 1000 }, (_, index) =>
      sample(index, index % 3 ? 'JSON' : 'ROCKETMQ', `b${index}`),
    );
    const chunk = Buffer.concat(many.map(encodeRemotingCommand));
    const { decoder, commands } = collectingDecoder();
    decoder.push(chunk);
    expect(commands).toEqual(many);
    expect(commands[500].body?.buffer).toBe(chunk.buffer);
  });

  it('holds only the incomplete tail between chunks', () => {
    const { decoder, commands } = collectingDecoder();
    const first = encodeRemotingCommand(stream[0]);
    decoder.push(Buffer.concat([first, bytes.subarray(first.length, first.length + 10)]));
    expect(commands).toHaveLength(1);
    expect(decoder.bufferedBytes).toBe(10);
  });

  it('rejects a 2 GB length prefix immediately, without buffering anything for it', () => {
    const { decoder } = collectingDecoder();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(0x7fffffff);
    expect(decodeError(() => decoder.push(prefix)).reason).toBe('FRAME_TOO_LARGE');
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('rejects an oversized prefix that arrives in pieces', () => {
    const { decoder } = collectingDecoder();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(DEFAULT_MAX_FRAME_LENGTH + 1);
    decoder.push(prefix.subarray(0, 1));
    decoder.push(prefix.subarray(1, 3));
    expect(decodeError(() => decoder.push(prefix.subarray(3))).reason).toBe('FRAME_TOO_LARGE');
  });

  it('honours a configured maximum and accepts a frame of exactly that size', () => {
    const frame = encodeRemotingCommand(sample(1, 'JSON', 'x'.repeat(100)));
    const exact = collectingDecoder(frame.length - 4);
    exact.decoder.push(frame);
    expect(exact.commands).toHaveLength(1);
    const smaller = collectingDecoder(frame.length - 5);
    expect(decodeError(() => smaller.decoder.push(frame)).reason).toBe('FRAME_TOO_LARGE');
  });

  it('rejects negative and too-short length prefixes', () => {
    for (const length of [-1, 0, 3]) {
      const { decoder } = collectingDecoder();
      const prefix = Buffer.alloc(4);
      prefix.writeInt32BE(length);
      expect(decodeError(() => decoder.push(prefix)).reason).toBe('BAD_FRAME_LENGTH');
    }
  });

  it('delivers the frames before a malformed one, then refuses all further input', () => {
    const { decoder, commands } = collectingDecoder();
    const garbage = Buffer.from([0, 0, 0, 6, 7, 0, 0, 2, 0x7b, 0x7d]);
    expect(decodeError(() => decoder.push(Buffer.concat([bytes, garbage]))).reason).toBe(
      'UNKNOWN_SERIALIZE_TYPE',
    );
    expect(commands).toEqual(stream);
    expect(decodeError(() => decoder.push(bytes)).reason).toBe('DECODER_FAILED');
  });

  it('is failed after its listener throws, because the stream position is lost', () => {
    const decoder = new RemotingFrameDecoder(() => {
      throw new TypeError('listener bug');
    });
    expect(() => decoder.push(bytes)).toThrow(TypeError);
    expect(decodeError(() => decoder.push(bytes)).reason).toBe('DECODER_FAILED');
  });
});
