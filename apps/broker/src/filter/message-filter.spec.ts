import { javaStringHashCode, type SubscriptionData } from '@flashsale/mq/protocol';
import {
  buildSubscriptionData,
  createTagFilter,
  createTagFilterFromString,
  SubscriptionParseError,
} from './message-filter';

function subscription(overrides: Partial<SubscriptionData>): SubscriptionData {
  return {
    classFilterMode: false,
    topic: 'T',
    subString: '*',
    tagsSet: [],
    codeSet: [],
    subVersion: 1,
    ...overrides,
  };
}

describe('message filter (tag hash filtering on the broker)', () => {
  it('matches every entry, tagged or not, for "*" and for an empty expression', () => {
    for (const filter of [
      createTagFilterFromString('*'),
      createTagFilterFromString(''),
      createTagFilterFromString(undefined),
    ]) {
      expect(filter(0)).toBe(true);
      expect(filter(javaStringHashCode('TagA'))).toBe(true);
      expect(filter(123456789)).toBe(true);
    }
  });

  it('hashes "TagA || TagB" with Java String.hashCode, trimming around the separator', () => {
    const data = buildSubscriptionData('T', ' TagA ||TagB  ', 7);
    expect(data.tagsSet).toEqual(['TagA', 'TagB']);
    // Values of Java's "TagA".hashCode() and "TagB".hashCode().
    expect(data.codeSet).toEqual([2598919, 2598920]);
    const filter = createTagFilterFromString('TagA || TagB');
    expect(filter(2598919)).toBe(true);
    expect(filter(2598920)).toBe(true);
    expect(filter(javaStringHashCode('TagC'))).toBe(false);
    expect(filter(0)).toBe(false);
  });

  it('matches by the codeSet of a heartbeat subscription', () => {
    const filter = createTagFilter(
      subscription({ subString: 'x || y', tagsSet: ['x', 'y'], codeSet: [120, 121] }),
    );
    expect(filter(120)).toBe(true);
    expect(filter(121)).toBe(true);
    expect(filter(122)).toBe(false);
  });

  it('recomputes the codes from tagsSet when a client sent no codeSet', () => {
    const filter = createTagFilter(subscription({ subString: 'TagA', tagsSet: ['TagA'], codeSet: [] }));
    expect(filter(javaStringHashCode('TagA'))).toBe(true);
    expect(filter(javaStringHashCode('TagB'))).toBe(false);
  });

  it('compares the (int) cast of the stored long tagsCode, like Java', () => {
    const negative = javaStringHashCode('订单已支付');
    expect(negative).toBeLessThan(0);
    const filter = createTagFilterFromString('订单已支付');
    expect(filter(negative)).toBe(true);
    expect(filter(negative + 2 ** 32)).toBe(true); // same low 32 bits
  });

  it('refuses an expression without any tag', () => {
    expect(() => createTagFilterFromString(' || ')).toThrow(SubscriptionParseError);
    expect(() => buildSubscriptionData('T', '   ', 1)).toThrow(SubscriptionParseError);
  });
});
