/**
 * The properties string of a RocketMQ message: `name SOH value STX name SOH value`.
 *
 * Interview question: "Where do tags, keys and the delay level live in a message?" — in this one
 * string, stored verbatim in the CommitLog record and sent in the `properties` header field.
 * Decoding is forgiving because real clients differ: ali-ons leaves a trailing STX and writes
 * `TAGS\x01null` for a message without a tag.
 */
import { MessageConst } from './message-const';

const NAME_VALUE_SEPARATOR = MessageConst.NAME_VALUE_SEPARATOR;
const PROPERTY_SEPARATOR = MessageConst.PROPERTY_SEPARATOR;
const KEY_SEPARATOR = MessageConst.KEY_SEPARATOR;

/** Encodes properties without the trailing separator; empty or missing values are left out. */
export function encodeProperties(props: Record<string, string>): string {
  let out = '';
  for (const name in props) {
    const value = props[name];
    if (!name || value === undefined || value === null || value === '') continue;
    if (out.length > 0) out += PROPERTY_SEPARATOR;
    out += name + NAME_VALUE_SEPARATOR + value;
  }
  return out;
}

/**
 * Decodes a properties string. Entries shorter than three characters or with an empty name or
 * value are skipped, as the Java decoder does; the value may itself contain SOH characters.
 */
export function decodeProperties(s: string): Record<string, string> {
  const props: Record<string, string> = {};
  const length = s.length;
  let start = 0;
  while (start < length) {
    let end = s.indexOf(PROPERTY_SEPARATOR, start);
    if (end < 0) end = length;
    addProperty(props, s, start, end);
    start = end + 1;
  }
  return props;
}

function addProperty(props: Record<string, string>, s: string, start: number, end: number): void {
  if (end - start < 3) return;
  const split = s.indexOf(NAME_VALUE_SEPARATOR, start);
  if (split < 0 || split >= end) return;
  if (split === start || split === end - 1) return;
  const name = s.slice(start, split);
  // A wire-supplied `__proto__` would replace the object's prototype instead of adding a property.
  if (name === '__proto__') return;
  props[name] = s.slice(split + 1, end);
}

/** Splits the KEYS property into its business keys (the IndexFile indexes each one). */
export function splitKeys(keys: string): string[] {
  const result: string[] = [];
  for (const key of keys.split(KEY_SEPARATOR)) {
    if (key.length > 0) result.push(key);
  }
  return result;
}

/** Joins business keys into a KEYS property value. */
export function joinKeys(keys: readonly string[]): string {
  return keys.join(KEY_SEPARATOR);
}
