/**
 * Java's `String.hashCode()`, the hash RocketMQ stores as a ConsumeQueue entry's tagsCode and uses
 * for IndexFile slots.
 *
 * Interview question: "How does a broker filter by tag without reading the message?" — each
 * ConsumeQueue entry carries the tag's hash; the broker compares hashes against the subscription's
 * codeSet and the client re-checks the real tag string. Any other hash would break every Java client.
 */

/** `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 code units, wrapped to a signed 32-bit int. */
export function javaStringHashCode(s: string): number {
  let hash = 0;
  for (let i = 0; i < s.length; i++) {
    hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
  }
  return hash;
}

/** tagsCode of a ConsumeQueue entry for a normal message: 0 when there is no tag. */
export function tagsCodeOf(tag: string | undefined): number {
  if (tag === undefined || tag.length === 0) return 0;
  return javaStringHashCode(tag);
}

/**
 * The IndexFile key hash: `Math.abs(hashCode)`, which in Java stays negative for Integer.MIN_VALUE;
 * RocketMQ maps that case to 0.
 */
export function indexKeyHashOf(key: string): number {
  const hash = javaStringHashCode(key);
  if (hash === -0x80000000) return 0;
  return hash < 0 ? -hash : hash;
}
