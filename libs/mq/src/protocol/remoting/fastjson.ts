/**
 * fastjson's default JSON dialect, the one a Java NameServer writes route and cluster bodies in.
 *
 * Its one departure from standard JSON that matters here: a Map with Long keys is written with the keys
 * unquoted, `"brokerAddrs":{0:"10.0.0.1:10911"}`. The Go client parses that text by hand and needs the
 * unquoted form, so our NameServer must be able to write it; our client must be able to read it from a
 * real NameServer. In RocketMQ's bodies only BrokerData.brokerAddrs has Long keys, hence the default.
 */

export class JsonBodyError extends Error {
  override readonly name = 'JsonBodyError';
}

export interface FastjsonWriteOptions {
  /** Properties whose object value has Long keys, written unquoted. */
  integerKeyFields?: ReadonlySet<string>;
}

const DEFAULT_INTEGER_KEY_FIELDS: ReadonlySet<string> = new Set(['brokerAddrs']);
const INTEGER_KEY = /^-?(0|[1-9][0-9]*)$/;

/**
 * Serializes like fastjson's defaults: null and undefined properties omitted, Sets as arrays, Maps as
 * objects, non-ASCII text unescaped, and integer keys unquoted in the `integerKeyFields` objects (and in
 * Maps keyed by numbers). Property order is kept as given; JSON readers do not depend on it.
 */
export function stringifyFastjson(value: unknown, options: FastjsonWriteOptions = {}): string {
  return writeValue(value, options.integerKeyFields ?? DEFAULT_INTEGER_KEY_FIELDS, false);
}

function writeValue(
  value: unknown,
  integerKeyFields: ReadonlySet<string>,
  unquoteIntegerKeys: boolean,
): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return writeObjectLike(value, integerKeyFields, unquoteIntegerKeys);
    default:
      return 'null';
  }
}

function writeObjectLike(
  value: object,
  integerKeyFields: ReadonlySet<string>,
  unquoteIntegerKeys: boolean,
): string {
  if (Array.isArray(value) || value instanceof Set) return writeArray(value, integerKeyFields);
  if (value instanceof Map) return writeMap(value, integerKeyFields);
  const parts: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null || typeof field === 'function') continue;
    const name = unquoteIntegerKeys && INTEGER_KEY.test(key) ? key : JSON.stringify(key);
    parts.push(`${name}:${writeValue(field, integerKeyFields, integerKeyFields.has(key))}`);
  }
  return `{${parts.join(',')}}`;
}

function writeArray(items: Iterable<unknown>, integerKeyFields: ReadonlySet<string>): string {
  const parts: string[] = [];
  for (const item of items) parts.push(writeValue(item, integerKeyFields, false));
  return `[${parts.join(',')}]`;
}

function writeMap(map: Map<unknown, unknown>, integerKeyFields: ReadonlySet<string>): string {
  const parts: string[] = [];
  for (const [key, field] of map) {
    if (field === undefined || field === null) continue;
    const name = typeof key === 'number' && Number.isInteger(key) ? String(key) : JSON.stringify(String(key));
    parts.push(`${name}:${writeValue(field, integerKeyFields, false)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Parses standard JSON, or fastjson's dialect with unquoted integer keys (which become string keys,
 * as in any JSON object). Never evaluates the text.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not standard JSON: retry once with integer keys quoted, below.
  }
  try {
    return JSON.parse(quoteIntegerKeys(text));
  } catch (error) {
    throw new JsonBodyError(`body is neither JSON nor fastjson (${(error as Error).message})`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;

/** Rewrites `{0:` / `,12:` outside strings to `{"0":` / `,"12":`; everything else is copied. */
function quoteIntegerKeys(text: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index++;
      else if (char === QUOTE) inString = false;
      continue;
    }
    if (char === QUOTE) {
      inString = true;
      continue;
    }
    if (char !== OPEN_BRACE && char !== COMMA) continue;
    const keyStart = skipWhitespace(text, index + 1);
    const keyEnd = integerEnd(text, keyStart);
    if (keyEnd === keyStart || text.charCodeAt(skipWhitespace(text, keyEnd)) !== COLON) continue;
    parts.push(text.slice(copiedUpTo, keyStart), '"', text.slice(keyStart, keyEnd), '"');
    copiedUpTo = keyEnd;
    index = keyEnd - 1;
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index++;
  return index;
}

function isWhitespace(char: number): boolean {
  return char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d;
}

/** End of an integer token starting at `from`, or `from` itself when there is none. */
function integerEnd(text: string, from: number): number {
  let index = text.charCodeAt(from) === MINUS ? from + 1 : from;
  const digitsStart = index;
  while (index < text.length && isDigit(text.charCodeAt(index))) index++;
  return index === digitsStart ? from : index;
}

function isDigit(char: number): boolean {
  return char >= 0x30 && char <= 0x39;
}
