/**
 * Typed access to a command's `extFields`, RocketMQ's "custom header". Java fills header objects by
 * reflection and parses the strings back into Integer/Long/Boolean; these helpers do the same per
 * field, without reflection, and report a missing required (`@CFNotNull`) field or a malformed number
 * with a HeaderFieldError that a processor turns into a SYSTEM_ERROR response.
 */
import { ResponseCode } from '../response-code';

export type ExtFields = Readonly<Record<string, string | undefined>>;

export type HeaderFieldProblem = 'MISSING' | 'NOT_AN_INTEGER' | 'OUT_OF_RANGE';

export class HeaderFieldError extends Error {
  override readonly name = 'HeaderFieldError';
  /** What a Java broker answers when a custom header cannot be decoded. */
  readonly responseCode = ResponseCode.SYSTEM_ERROR;

  constructor(
    readonly field: string,
    readonly problem: HeaderFieldProblem,
  ) {
    super(problem === 'MISSING' ? `the custom header field ${field} is missing` : `${field}: ${problem}`);
  }
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
/**
 * Java's Long range as far as a double can tell (Long.MAX_VALUE rounds up to 2^63). Values past 2^53
 * lose precision, but RocketMQ offsets and timestamps never get there.
 */
const INT64_BOUND = 2 ** 63;

export function requireString(ext: ExtFields, field: string): string {
  const value = ext[field];
  if (value === undefined) throw new HeaderFieldError(field, 'MISSING');
  return value;
}

export function optionalString(ext: ExtFields, field: string): string | undefined {
  return ext[field];
}

export function requireInt(ext: ExtFields, field: string): number {
  return parseInt32(requireString(ext, field), field);
}

export function optionalInt(ext: ExtFields, field: string): number | undefined {
  const value = ext[field];
  return value === undefined ? undefined : parseInt32(value, field);
}

export function requireLong(ext: ExtFields, field: string): number {
  return parseInt64(requireString(ext, field), field);
}

export function optionalLong(ext: ExtFields, field: string): number | undefined {
  const value = ext[field];
  return value === undefined ? undefined : parseInt64(value, field);
}

export function requireBoolean(ext: ExtFields, field: string): boolean {
  return parseBoolean(requireString(ext, field));
}

export function optionalBoolean(ext: ExtFields, field: string): boolean | undefined {
  const value = ext[field];
  return value === undefined ? undefined : parseBoolean(value);
}

/** Java's Boolean.parseBoolean: "true" in any case is true, everything else false. */
function parseBoolean(text: string): boolean {
  return text.length === 4 && text.toLowerCase() === 'true';
}

function parseInt32(text: string, field: string): number {
  const value = parseDecimal(text, field);
  if (value < INT32_MIN || value > INT32_MAX) throw new HeaderFieldError(field, 'OUT_OF_RANGE');
  return value;
}

function parseInt64(text: string, field: string): number {
  const value = parseDecimal(text, field);
  if (value < -INT64_BOUND || value > INT64_BOUND) throw new HeaderFieldError(field, 'OUT_OF_RANGE');
  return value;
}

/**
 * Strict decimal like Java's parseInt/parseLong (optional sign, digits only). Number() would accept
 * "", " ", "0x1F" and "1e3", none of which a Java peer sends.
 */
function parseDecimal(text: string, field: string): number {
  const length = text.length;
  const first = length > 0 ? text.charCodeAt(0) : 0;
  const signed = first === 0x2d || first === 0x2b;
  let index = signed ? 1 : 0;
  if (index === length) throw new HeaderFieldError(field, 'NOT_AN_INTEGER');
  let value = 0;
  for (; index < length; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) throw new HeaderFieldError(field, 'NOT_AN_INTEGER');
    value = value * 10 + digit;
  }
  // Past 15 digits the running sum can drift from the correctly rounded double that Number() gives.
  if (length > 15) return Number(text);
  return first === 0x2d ? -value : value;
}

/**
 * Flattens a typed header into ext fields the way Java does: every defined, non-null property as its
 * string form (numbers in decimal, booleans as "true"/"false").
 */
export function toExtFields(header: object): Record<string, string> {
  const source = header as Record<string, unknown>;
  const ext: Record<string, string> = {};
  for (const key in source) {
    const value = source[key];
    if (value === undefined || value === null) continue;
    ext[key] = typeof value === 'string' ? value : String(value);
  }
  return ext;
}
