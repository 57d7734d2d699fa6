import { AppError } from '../errors.js';

/**
 * Conversions between domain values and SQLite columns. Timestamps are stored in the one
 * canonical form `Date#toISOString` produces, so that text order is time order; the schema
 * refuses anything else.
 */
export const toIsoTimestamp = (value: string, field = 'timestamp'): string => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new AppError('invalid_input', `${field} must be an ISO-8601 time, got "${value}"`);
  }
  return new Date(time).toISOString();
};

export const toNullableIsoTimestamp = (value: string | null | undefined, field?: string): string | null =>
  value === null || value === undefined ? null : toIsoTimestamp(value, field);

// The lib types say string, but JSON.stringify returns undefined for undefined and functions.
const stringify: (value: unknown) => string | undefined = JSON.stringify;

/** Serialises a JSON column; values JSON cannot represent (bigint, cycles, functions) are refused. */
export const toJson = (value: unknown, field = 'json'): string => {
  let text: string | undefined;
  try {
    text = stringify(value);
  } catch (error) {
    throw new AppError('invalid_input', `${field} is not JSON-serialisable`, { cause: error });
  }
  if (text === undefined) throw new AppError('invalid_input', `${field} is not JSON-serialisable`);
  return text;
};

export const toNullableJson = (value: unknown, field?: string): string | null =>
  value === undefined || value === null ? null : toJson(value, field);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a JSON column; the schema already checks validity, so a bad value here means the file
 * was edited by hand. Reads stay possible (an empty object / null) rather than failing a listing.
 */
export const parseJson = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

export const parseJsonObject = (text: string | null): Record<string, unknown> => {
  const value = parseJson(text);
  return isPlainObject(value) ? value : {};
};

/** Limits for listing queries: whole numbers within [1, max]; anything else becomes the default. */
export const clampLimit = (limit: number, max = 1000, fallback = 50): number =>
  Number.isFinite(limit) ? Math.min(max, Math.max(1, Math.floor(limit))) : fallback;

/** better-sqlite3 reports constraint failures as SqliteError with a `code` like SQLITE_CONSTRAINT_*. */
export const sqliteCode = (error: unknown): string | undefined => {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
};

/** For `INSERT … RETURNING` and reads right after a write, where a missing row is a bug. */
export const expectRow = <T>(row: T | undefined, what: string): T => {
  if (row === undefined) throw new AppError('internal', `${what}: expected a row, found none`);
  return row;
};

/** Runs an INSERT whose primary key the caller chose; a reused key is a `conflict`, not a crash. */
export const insertOrConflict = <T>(what: string, insert: () => T): T => {
  try {
    return insert();
  } catch (error) {
    if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new AppError('conflict', `${what} already exists`, { cause: error });
    }
    throw error;
  }
};

/** The human part of anything thrown, for messages that keep the original as `cause`. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
