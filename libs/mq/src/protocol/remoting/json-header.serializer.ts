/**
 * The JSON header serialization (serialize type 0), the default of every RocketMQ client.
 *
 * Java writes the header with fastjson; receivers must be lenient about what other clients send:
 * ali-ons puts raw numbers and booleans into `extFields`, the Go and C++ clients write `language` as a
 * name, and Java adds getter-derived properties such as `serializeTypeCurrentRPC` that we ignore.
 */
import { type LanguageName, isLanguageName, languageNameOf } from './language-code';
import { type RemotingCommand } from './remoting-command';
import { RemotingDecodeError } from './remoting-errors';

/**
 * Properties in fastjson's alphabetical order so our headers look like Java's; `remark` is left out
 * when absent (JSON.stringify drops undefined) and `extFields` is always present because Java
 * producers read response ext fields without a null check.
 */
export function serializeJsonHeader(command: RemotingCommand): string {
  return JSON.stringify({
    code: command.code,
    extFields: command.extFields,
    flag: command.flag,
    language: command.language,
    opaque: command.opaque,
    remark: command.remark,
    version: command.version,
  });
}

export function deserializeJsonHeader(
  frame: Buffer,
  start: number,
  end: number,
  body: Buffer | undefined,
): RemotingCommand {
  const header = parseHeaderObject(frame.toString('utf8', start, end));
  return {
    code: readInt32Property(header, 'code'),
    language: readLanguage(header.language),
    version: readInt32Property(header, 'version'),
    opaque: readInt32Property(header, 'opaque'),
    flag: readInt32Property(header, 'flag'),
    remark: readRemark(header.remark),
    extFields: readExtFields(header.extFields),
    body,
    serializeType: 'JSON',
  };
}

type HeaderObject = Record<string, unknown>;

function parseHeaderObject(text: string): HeaderObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RemotingDecodeError('BAD_JSON', `header is not JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new RemotingDecodeError('BAD_HEADER', 'JSON header is not an object');
  return parsed;
}

function isPlainObject(value: unknown): value is HeaderObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Missing numbers default to 0 like Java's primitive fields; present ones must be 32-bit integers. */
function readInt32Property(header: HeaderObject, name: string): number {
  const value = header[name];
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && (value | 0) === value) return value;
  throw new RemotingDecodeError('BAD_HEADER', `header property ${name} is not a 32-bit integer`);
}

function readLanguage(value: unknown): LanguageName {
  if (typeof value === 'string') return isLanguageName(value) ? value : 'OTHER';
  if (typeof value === 'number') return languageNameOf(value);
  if (value === undefined || value === null) return 'JAVA';
  throw new RemotingDecodeError('BAD_HEADER', 'header property language is neither a name nor a number');
}

function readRemark(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return undefined;
  throw new RemotingDecodeError('BAD_HEADER', 'header property remark is not a string');
}

/**
 * Reuses the parsed object when every value is already a string (the common case), converting in place
 * otherwise: numbers and booleans become their decimal / "true" / "false" text, nulls are dropped.
 */
function readExtFields(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new RemotingDecodeError('BAD_HEADER', 'extFields is not an object');
  for (const key in value) {
    const field = value[key];
    if (typeof field === 'string') continue;
    if (typeof field === 'number' || typeof field === 'boolean') {
      value[key] = String(field);
      continue;
    }
    if (field === null) {
      delete value[key];
      continue;
    }
    throw new RemotingDecodeError('BAD_HEADER', `extFields.${key} is not a string, number or boolean`);
  }
  return value as Record<string, string>;
}
