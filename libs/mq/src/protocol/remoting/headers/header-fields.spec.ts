import { ResponseCode } from '../response-code';
import {
  HeaderFieldError,
  optionalBoolean,
  optionalInt,
  requireBoolean,
  requireInt,
  requireLong,
  requireString,
  toExtFields,
} from './header-fields';

function fieldError(action: () => unknown): HeaderFieldError {
  try {
    action();
  } catch (error) {
    if (error instanceof HeaderFieldError) return error;
    throw error;
  }
  throw new Error('expected a HeaderFieldError');
}

describe('header field readers', () => {
  it('parses Java-style decimal integers and longs', () => {
    const ext = { a: '42', b: '-1', c: '+7', d: '1700000000123', e: '-2147483648' };
    expect(requireInt(ext, 'a')).toBe(42);
    expect(requireInt(ext, 'b')).toBe(-1);
    expect(requireInt(ext, 'c')).toBe(7);
    expect(requireLong(ext, 'd')).toBe(1700000000123);
    expect(requireInt(ext, 'e')).toBe(-2147483648);
    expect(optionalInt(ext, 'missing')).toBeUndefined();
  });

  it('reports a missing required field by name, with the SYSTEM_ERROR response code', () => {
    const error = fieldError(() => requireString({}, 'topic'));
    expect(error).toMatchObject({ name: 'HeaderFieldError', field: 'topic', problem: 'MISSING' });
    expect(error.responseCode).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it.each(['', ' 1', '1 ', '0x10', '1e3', '1.5', '-', 'NaN'])('rejects %j as an integer', (text) => {
    expect(fieldError(() => requireInt({ n: text }, 'n')).problem).toBe('NOT_AN_INTEGER');
  });

  it('rejects ints outside int32 and longs outside int64', () => {
    expect(fieldError(() => requireInt({ n: '2147483648' }, 'n')).problem).toBe('OUT_OF_RANGE');
    expect(fieldError(() => requireLong({ n: '99999999999999999999' }, 'n')).problem).toBe('OUT_OF_RANGE');
    expect(requireLong({ n: '9223372036854775807' }, 'n')).toBe(2 ** 63);
  });

  it('reads booleans like Java Boolean.parseBoolean', () => {
    expect(requireBoolean({ b: 'true' }, 'b')).toBe(true);
    expect(requireBoolean({ b: 'TRUE' }, 'b')).toBe(true);
    expect(requireBoolean({ b: 'false' }, 'b')).toBe(false);
    expect(requireBoolean({ b: 'yes' }, 'b')).toBe(false);
    expect(optionalBoolean({}, 'b')).toBeUndefined();
  });

  it('flattens a typed header to strings, skipping undefined and null', () => {
    expect(
      toExtFields({ topic: 'T', queueId: 3, order: false, offset: -1, subscription: undefined, x: null }),
    ).toEqual({
      topic: 'T',
      queueId: '3',
      order: 'false',
      offset: '-1',
    });
  });
});
