import { languageNameOf } from './language-code';
import { type RemotingCommand, createRequest, createResponse } from './remoting-command';
import {
  decodeRemotingCommand,
  decodeRemotingCommandPayload,
  encodeRemotingCommand,
  encodeRemotingCommandHead,
} from './remoting-command-codec';
import { RemotingDecodeError, RemotingEncodeError } from './remoting-errors';
import { sendMessageHeaderFromV2 } from './headers/send-message.header';

function command(overrides: Partial<RemotingCommand>): RemotingCommand {
  return {
    code: 310,
    language: 'OTHER',
    version: 409,
    opaque: 7,
    flag: 0,
    remark: undefined,
    extFields: {},
    body: undefined,
    serializeType: 'JSON',
    ...overrides,
  };
}

/** length | type<<24 | headerLength | header | body, assembled field by field. */
function frameOf(type: number, header: Buffer, body: Buffer = Buffer.alloc(0)): Buffer {
  const prefix = Buffer.alloc(8);
  prefix.writeInt32BE(4 + header.length + body.length, 0);
  prefix.writeUInt8(type, 4);
  prefix.writeUIntBE(header.length, 5, 3);
  return Buffer.concat([prefix, header, body]);
}

function jsonFrame(headerText: string, body?: Buffer): Buffer {
  return frameOf(0, Buffer.from(headerText, 'utf8'), body);
}

function expectDecodeError(frame: Buffer, reason: string): void {
  let caught: unknown;
  try {
    decodeRemotingCommand(frame);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(RemotingDecodeError);
  expect((caught as RemotingDecodeError).reason).toBe(reason);
}

describe('JSON serialization (type 0)', () => {
  const golden = command({ extFields: { a: 'group', b: 'topic' }, body: Buffer.from('hi') });
  const goldenHeader =
    '{"code":310,"extFields":{"a":"group","b":"topic"},"flag":0,"language":"OTHER","opaque":7,"version":409}';

  it('encodes the documented frame layout byte for byte', () => {
    expect(encodeRemotingCommand(golden)).toEqual(jsonFrame(goldenHeader, Buffer.from('hi')));
  });

  it('decodes the golden frame back to the same command', () => {
    expect(decodeRemotingCommand(jsonFrame(goldenHeader, Buffer.from('hi')))).toEqual(golden);
  });

  it('writes remark only when present and keeps non-ASCII text intact', () => {
    const withRemark = command({ remark: 'topic 订单 not exist', flag: 1, code: 17 });
    const frame = encodeRemotingCommand(withRemark);
    const header = JSON.parse(frame.toString('utf8', 8)) as Record<string, unknown>;
    expect(header.remark).toBe('topic 订单 not exist');
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readUInt32BE(4)).toBe(Buffer.byteLength(frame.toString('utf8', 8)));
    expect(decodeRemotingCommand(frame)).toEqual(withRemark);
    expect(JSON.parse(encodeRemotingCommand(command({})).toString('utf8', 8))).not.toHaveProperty('remark');
  });

  it('accepts ali-ons style ext fields: numbers and booleans become strings, nulls are dropped', () => {
    const header =
      '{"code":310,"language":"JAVA","opaque":1,"flag":0,"version":121,' +
      '"extFields":{"a":"pg","b":"T","c":"TBW102","d":4,"e":0,"f":0,"g":1700000000000,"h":0,"k":false,"x":null}}';
    const decoded = decodeRemotingCommand(jsonFrame(header, Buffer.from('body')));
    expect(decoded.extFields).toEqual({
      a: 'pg',
      b: 'T',
      c: 'TBW102',
      d: '4',
      e: '0',
      f: '0',
      g: '1700000000000',
      h: '0',
      k: 'false',
    });
    const send = sendMessageHeaderFromV2(decoded.extFields);
    expect(send.queueId).toBe(0);
    expect(send.bornTimestamp).toBe(1700000000000);
    expect(send.unitMode).toBe(false);
  });

  it('ignores unknown header properties and accepts language as a name or a number', () => {
    const java = decodeRemotingCommand(
      jsonFrame(
        '{"code":34,"flag":0,"language":"JAVA","opaque":-5,"serializeTypeCurrentRPC":"JSON","version":409}',
      ),
    );
    expect(java).toMatchObject({ code: 34, language: 'JAVA', opaque: -5, version: 409, extFields: {} });
    expect(java.body).toBeUndefined();
    expect(decodeRemotingCommand(jsonFrame('{"code":1,"language":9}')).language).toBe('GO');
    expect(decodeRemotingCommand(jsonFrame('{"code":1,"language":"KOTLIN"}')).language).toBe('OTHER');
    expect(languageNameOf(200)).toBe('OTHER');
  });

  it('answers a JSON request so that a reader which does not mask the type byte still parses it', () => {
    const request = createRequest(105, { topic: 'T' });
    const response = createResponse(request, 0, { k: 'v' }, Buffer.from('{}'));
    const frame = encodeRemotingCommand(response);
    const unmaskedHeaderLength = frame.readInt32BE(4);
    const header = JSON.parse(frame.toString('utf8', 8, 8 + unmaskedHeaderLength)) as Record<string, unknown>;
    expect(header).toEqual({
      code: 0,
      extFields: { k: 'v' },
      flag: 1,
      language: 'JAVA',
      opaque: request.opaque,
      version: 409,
    });
    expect(frame.subarray(8 + unmaskedHeaderLength).toString()).toBe('{}');
  });

  it.each([
    ['not JSON', '{"code":', 'BAD_JSON'],
    ['an array', '[1,2]', 'BAD_HEADER'],
    ['a string code', '{"code":"10"}', 'BAD_HEADER'],
    ['a fractional opaque', '{"code":10,"opaque":1.5}', 'BAD_HEADER'],
    ['an opaque beyond int32', '{"code":10,"opaque":4294967296}', 'BAD_HEADER'],
    ['a remark object', '{"code":10,"remark":{}}', 'BAD_HEADER'],
    ['extFields as an array', '{"code":10,"extFields":["a"]}', 'BAD_HEADER'],
    ['a nested ext value', '{"code":10,"extFields":{"a":{"b":1}}}', 'BAD_HEADER'],
    ['a boolean language', '{"code":10,"language":true}', 'BAD_HEADER'],
  ])('rejects a header that is %s', (_what, text, reason) => {
    expectDecodeError(jsonFrame(text), reason);
  });
});

describe('ROCKETMQ binary serialization (type 1)', () => {
  const golden = command({
    code: 11,
    language: 'JAVA',
    version: 409,
    opaque: 0x01020304,
    flag: 0,
    remark: 'ok',
    extFields: { topic: 'T' },
    body: Buffer.from([0xab]),
    serializeType: 'ROCKETMQ',
  });

  function goldenHeader(): Buffer {
    const header = Buffer.alloc(35);
    header.writeInt16BE(11, 0);
    header.writeUInt8(0, 2);
    header.writeInt16BE(409, 3);
    header.writeInt32BE(0x01020304, 5);
    header.writeInt32BE(0, 9);
    header.writeInt32BE(2, 13);
    header.write('ok', 17, 'utf8');
    header.writeInt32BE(12, 19);
    header.writeInt16BE(5, 23);
    header.write('topic', 25, 'utf8');
    header.writeInt32BE(1, 30);
    header.write('T', 34, 'utf8');
    return header;
  }

  it('encodes the documented layout byte for byte', () => {
    const expected = frameOf(1, goldenHeader(), Buffer.from([0xab]));
    expect(expected.readUInt32BE(4)).toBe(0x01000023);
    expect(encodeRemotingCommand(golden)).toEqual(expected);
  });

  it('decodes the golden frame back to the same command', () => {
    expect(decodeRemotingCommand(frameOf(1, goldenHeader(), Buffer.from([0xab])))).toEqual(golden);
  });

  it('treats zero-length remark and ext values as absent', () => {
    const decoded = decodeRemotingCommand(
      encodeRemotingCommand(command({ serializeType: 'ROCKETMQ', remark: '', extFields: { a: '', b: 'x' } })),
    );
    expect(decoded.remark).toBeUndefined();
    expect(decoded.extFields).toEqual({ b: 'x' });
  });

  it('keeps a peer-chosen __proto__ ext key as a plain field, as the JSON decoder does', () => {
    const ext = JSON.parse('{"__proto__":"x","a":"1"}') as Record<string, string>;
    for (const serializeType of ['JSON', 'ROCKETMQ'] as const) {
      const decoded = decodeRemotingCommand(
        encodeRemotingCommand(command({ serializeType, extFields: ext })),
      );
      expect(Object.getPrototypeOf(decoded.extFields)).toBe(Object.prototype);
      expect(Object.entries(decoded.extFields)).toEqual([
        ['__proto__', 'x'],
        ['a', '1'],
      ]);
    }
  });

  it('refuses to encode a code that does not fit int16', () => {
    expect(() => encodeRemotingCommand(command({ serializeType: 'ROCKETMQ', code: 40000 }))).toThrow(
      RemotingEncodeError,
    );
  });

  it('rejects lengths that run past the header', () => {
    const header = goldenHeader();
    header.writeInt32BE(1000, 13);
    expectDecodeError(frameOf(1, header), 'BAD_HEADER');
    const negative = goldenHeader();
    negative.writeInt32BE(-1, 19);
    expectDecodeError(frameOf(1, negative), 'BAD_HEADER');
    expectDecodeError(frameOf(1, goldenHeader().subarray(0, 20)), 'BAD_HEADER');
    expectDecodeError(frameOf(1, Buffer.concat([goldenHeader(), Buffer.from([0])])), 'BAD_HEADER');
  });
});

describe('round trips', () => {
  const samples: RemotingCommand[] = [
    command({}),
    command({ opaque: -2147483648, flag: 3, remark: 'r', extFields: { k: 'v', ключ: 'значение 🚀' } }),
    command({ code: 0, language: 'GO', version: 317, body: Buffer.alloc(70000, 7) }),
    command({ code: -1, extFields: { queueId: '-1', properties: 'TAGS\u0001a\u0002KEYS\u0001k\u0002' } }),
  ];

  it.each(['JSON', 'ROCKETMQ'] as const)('survive encode/decode in %s', (serializeType) => {
    for (const sample of samples) {
      const original = { ...sample, serializeType };
      expect(decodeRemotingCommand(encodeRemotingCommand(original))).toEqual(original);
    }
  });

  it('head + body equals the whole frame, so a sender can write the body without copying it', () => {
    for (const serializeType of ['JSON', 'ROCKETMQ'] as const) {
      const withBody = command({ serializeType, body: Buffer.from('payload'), extFields: { a: '1' } });
      const head = encodeRemotingCommandHead(withBody);
      expect(Buffer.concat([head, withBody.body!])).toEqual(encodeRemotingCommand(withBody));
    }
  });

  it('decodes a payload range inside a larger buffer, with the body as a view', () => {
    const frame = encodeRemotingCommand(command({ body: Buffer.from('abc') }));
    const padded = Buffer.concat([Buffer.from([9, 9]), frame, Buffer.from([9])]);
    const decoded = decodeRemotingCommandPayload(padded, 2 + 4, 2 + frame.length);
    expect(decoded.body?.toString()).toBe('abc');
    expect(decoded.body?.buffer).toBe(padded.buffer);
  });
});

describe('frame-level errors', () => {
  it('rejects an unknown serialize type, an oversized header length and a wrong length prefix', () => {
    expectDecodeError(frameOf(2, Buffer.from('{}')), 'UNKNOWN_SERIALIZE_TYPE');
    const frame = jsonFrame('{"code":1}');
    frame.writeUIntBE(500, 5, 3);
    expectDecodeError(frame, 'BAD_HEADER_LENGTH');
    const wrongPrefix = jsonFrame('{"code":1}');
    wrongPrefix.writeInt32BE(3, 0);
    expectDecodeError(wrongPrefix, 'BAD_FRAME_LENGTH');
    expectDecodeError(Buffer.from([0, 0]), 'BAD_FRAME_LENGTH');
  });
});
