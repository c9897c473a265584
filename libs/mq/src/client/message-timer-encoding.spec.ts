import { MessageConst, decodeProperties } from '../protocol';
import { MQClientError } from './client-errors';
import { encodeMessageProperties, toBodyBuffer, validateMessage } from './message-encoding';

describe('timer messages and re-sent property maps', () => {
  it('writes TIMER_DELAY_MS and TIMER_DELIVER_MS, unless a delay level wins', () => {
    const timer = decodeProperties(
      encodeMessageProperties(
        { topic: 'T', body: 'x', delayTimeMs: 1500, deliverTimeMs: 1_700_000_000_000 },
        'U',
      ),
    );
    expect(timer[MessageConst.TIMER_DELAY_MS]).toBe('1500');
    expect(timer[MessageConst.TIMER_DELIVER_MS]).toBe('1700000000000');
    const level = decodeProperties(
      encodeMessageProperties({ topic: 'T', body: 'x', delayTimeLevel: 2, delayTimeMs: 1500 }, 'U'),
    );
    expect(level[MessageConst.DELAY]).toBe('2');
    expect(level[MessageConst.TIMER_DELAY_MS]).toBeUndefined();
  });

  it('rejects negative or fractional timer values', () => {
    const message = { topic: 'T', body: 'x', delayTimeMs: -1 };
    expect(() => validateMessage(message, toBodyBuffer('x'), 1024)).toThrow(MQClientError);
    const fractional = { topic: 'T', body: 'x', deliverTimeMs: 1.5 };
    expect(() => validateMessage(fractional, toBodyBuffer('x'), 1024)).toThrow(MQClientError);
  });

  it('writes each name once when the user properties are a copy of a consumed message', () => {
    const copied = {
      [MessageConst.UNIQ_KEY]: 'OLD',
      [MessageConst.TAGS]: 'OldTag',
      [MessageConst.WAIT]: 'false',
      [MessageConst.KEYS]: 'k',
      custom: 'v',
    };
    const text = encodeMessageProperties(
      { topic: 'T', body: 'x', tags: 'NewTag', properties: copied },
      'NEW',
    );
    const names = text
      .split(MessageConst.PROPERTY_SEPARATOR)
      .map((entry) => entry.split(MessageConst.NAME_VALUE_SEPARATOR)[0]);
    expect(names.length).toBe(new Set(names).size);
    expect(decodeProperties(text)).toEqual({
      custom: 'v',
      [MessageConst.KEYS]: 'k',
      [MessageConst.TAGS]: 'NewTag',
      [MessageConst.WAIT]: 'false',
      [MessageConst.UNIQ_KEY]: 'NEW',
    });
  });
});
