import { decodeProperties, encodeProperties, joinKeys, splitKeys } from './message-properties';

describe('encodeProperties', () => {
  it('joins name SOH value with STX and no trailing separator', () => {
    expect(encodeProperties({ KEYS: 'k1 k2', TAGS: 'TagA' })).toBe('KEYS\u0001k1 k2\u0002TAGS\u0001TagA');
  });

  it('skips empty and undefined values', () => {
    const props = { A: '1', B: '', C: undefined as unknown as string, D: '4' };
    expect(encodeProperties(props)).toBe('A\u00011\u0002D\u00014');
    expect(encodeProperties({})).toBe('');
  });
});

describe('decodeProperties', () => {
  it('inverts encodeProperties', () => {
    const props = { KEYS: 'order-1', TAGS: 'TagA', UNIQ_KEY: '7F0000010C6418B4AAC2117B0A2C0000' };
    expect(decodeProperties(encodeProperties(props))).toEqual(props);
  });

  it('tolerates the trailing STX that ali-ons sends, and keeps TAGS=null literally', () => {
    expect(decodeProperties('TAGS\u0001null\u0002WAIT\u0001true\u0002')).toEqual({
      TAGS: 'null',
      WAIT: 'true',
    });
  });

  it('ignores short entries and entries with an empty name or value', () => {
    expect(decodeProperties('a\u0001\u0002\u0001b\u0002ab\u0002x\u0001y\u0002\u0002')).toEqual({ x: 'y' });
  });

  it('splits on the first SOH only', () => {
    expect(decodeProperties('K\u0001v\u0001w')).toEqual({ K: 'v\u0001w' });
  });

  it('does not let a __proto__ entry replace the prototype', () => {
    const props = decodeProperties('__proto__\u0001x\u0002A\u0001b');
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(props).toEqual({ A: 'b' });
  });

  it('returns an empty object for an empty string', () => {
    expect(decodeProperties('')).toEqual({});
  });
});

describe('KEYS helpers', () => {
  it('splits on single spaces and drops empty keys', () => {
    expect(splitKeys('order-1  order-2 ')).toEqual(['order-1', 'order-2']);
    expect(splitKeys('')).toEqual([]);
    expect(joinKeys(['a', 'b'])).toBe('a b');
  });
});
