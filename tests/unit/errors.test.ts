import { describe, expect, it } from 'vitest';
import { AppError, isAppError, toAppError } from '../../src/errors.js';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const err = new AppError('not_found', 'gone');
    expect(toAppError(err)).toBe(err);
  });

  it('wraps an Error and keeps it as the cause', () => {
    const cause = new TypeError('boom');
    const err = toAppError(cause, 'slack_unavailable');
    expect(err).toMatchObject({ code: 'slack_unavailable', message: 'boom', cause });
    expect(isAppError(err)).toBe(true);
  });

  it('wraps a thrown string or anything else', () => {
    expect(toAppError('plain')).toMatchObject({ code: 'internal', message: 'plain' });
    expect(toAppError({ weird: true })).toMatchObject({
      code: 'internal',
      message: 'unknown error',
      cause: { weird: true },
    });
    expect(isAppError(new Error('x'))).toBe(false);
  });
});
