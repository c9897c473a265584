import { indexKeyHashOf, javaStringHashCode, tagsCodeOf } from './java-hash';

/** Independent reference: the defining sum computed exactly with BigInt, then wrapped to int32. */
function referenceHash(s: string): number {
  let h = 0n;
  for (let i = 0; i < s.length; i++) h = (h * 31n + BigInt(s.charCodeAt(i))) % 2n ** 32n;
  return Number(BigInt.asIntN(32, h));
}

describe('javaStringHashCode', () => {
  it('hashes the empty string to 0 and one char to its code unit', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
  });

  it('follows s[0]*31^(n-1) + … + s[n-1]', () => {
    // ((84*31 + 97)*31 + 103)*31 + 65
    expect(javaStringHashCode('TagA')).toBe(2598919);
    expect(javaStringHashCode('hello')).toBe(99162322);
  });

  it('wraps to a signed 32-bit int like Java', () => {
    expect(javaStringHashCode('hello world')).toBe(1794106052);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    const long = 'TopicTest#ORDER-20240101-000042 flash-sale sku 10086';
    expect(javaStringHashCode(long)).toBe(referenceHash(long));
    expect(javaStringHashCode(long)).toBeLessThanOrEqual(2147483647);
  });

  it('works on UTF-16 code units, so a surrogate pair counts as two chars', () => {
    expect(javaStringHashCode('\u{1F600}')).toBe(0xd83d * 31 + 0xde00);
    expect(javaStringHashCode('订单')).toBe(referenceHash('订单'));
  });
});

describe('tagsCodeOf', () => {
  it('is 0 without a tag and the hash otherwise', () => {
    expect(tagsCodeOf(undefined)).toBe(0);
    expect(tagsCodeOf('')).toBe(0);
    expect(tagsCodeOf('TagA')).toBe(2598919);
  });
});

describe('indexKeyHashOf', () => {
  it('is the absolute hash, with Integer.MIN_VALUE mapped to 0', () => {
    expect(indexKeyHashOf('a')).toBe(97);
    const negative = 'TopicTest#ORDER-1';
    expect(javaStringHashCode(negative)).toBeLessThan(0);
    expect(indexKeyHashOf(negative)).toBe(-javaStringHashCode(negative));
    expect(indexKeyHashOf('polygenelubricants')).toBe(0);
  });
});
