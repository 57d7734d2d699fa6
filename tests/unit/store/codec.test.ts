import { describe, expect, it } from 'vitest';
import {
  clampLimit,
  errorMessage,
  expectRow,
  parseJson,
  parseJsonObject,
  sqliteCode,
  toJson,
  toNullableIsoTimestamp,
} from '../../../src/store/codec.js';

describe('store codec', () => {
  it('reads hand-edited JSON columns without failing the read', () => {
    expect(parseJson('{oops')).toBeNull();
    expect(parseJsonObject('[1, 2]')).toEqual({});
    expect(parseJsonObject(null)).toEqual({});
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => toJson(undefined, 'x')).toThrow('x is not JSON-serialisable');
    expect(() => toJson(() => 1)).toThrow('json is not JSON-serialisable');
  });

  it('normalises optional timestamps', () => {
    expect(toNullableIsoTimestamp(undefined)).toBeNull();
    expect(toNullableIsoTimestamp(null)).toBeNull();
    expect(toNullableIsoTimestamp('2025-01-01T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('clamps listing limits', () => {
    expect(clampLimit(5000)).toBe(1000);
    expect(clampLimit(-3)).toBe(1);
    expect(clampLimit(2.7)).toBe(2);
    expect(clampLimit(Number.POSITIVE_INFINITY)).toBe(50);
  });

  it('treats a missing row after a write as an internal error', () => {
    expect(() => {
      expectRow(undefined, 'incidents insert');
    }).toThrow(expect.objectContaining({ code: 'internal' }));
    expect(expectRow(0, 'x')).toBe(0);
  });

  it('describes anything thrown', () => {
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage('plain')).toBe('plain');
  });

  it('reads a SQLite error code only from errors that carry one', () => {
    expect(sqliteCode(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))).toBe('SQLITE_BUSY');
    expect(sqliteCode(new Error('x'))).toBeUndefined();
    expect(sqliteCode('SQLITE_BUSY')).toBeUndefined();
  });
});
