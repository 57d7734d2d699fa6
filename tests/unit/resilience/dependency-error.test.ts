import { ManagementTimeoutError } from 'auth0';
import { BrokenCircuitError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { classifyFailure, outcomeOf, toDependencyError } from '../../../src/resilience/index.js';
import { auth0Error, networkError, SECRET_BODY, tokenRequestFailed } from './failures.js';

const context = { dependency: 'auth0', operation: 'clients.get', attempts: 1 } as const;
const convert = (error: unknown) => toDependencyError(error, classifyFailure(error), context);

describe('toDependencyError', () => {
  it('gives each kind of failure a stable code and a safe message, keeping the original as cause', () => {
    const cases: [unknown, string, string][] = [
      [auth0Error(503), 'dependency_failed', 'auth0 clients.get failed: server error (HTTP 503)'],
      [
        networkError('ECONNREFUSED'),
        'dependency_failed',
        'auth0 clients.get failed: network error (ECONNREFUSED)',
      ],
      [auth0Error(404), 'not_found', 'auth0 clients.get failed: request refused (HTTP 404)'],
      [auth0Error(409), 'conflict', 'auth0 clients.get failed: request refused (HTTP 409)'],
      [auth0Error(422), 'invalid_input', 'auth0 clients.get failed: request refused (HTTP 422)'],
      [auth0Error(410), 'dependency_failed', 'auth0 clients.get failed: request refused (HTTP 410)'],
      [auth0Error(403), 'dependency_failed', 'auth0 clients.get failed: not authorized (HTTP 403)'],
      [
        tokenRequestFailed(403),
        'dependency_auth_failed',
        'auth0 clients.get failed: credential refused (HTTP 403)',
      ],
      [
        new ManagementTimeoutError('Timeout exceeded'),
        'timeout',
        'auth0 clients.get failed: timed out (ManagementTimeoutError)',
      ],
      [new BrokenCircuitError(), 'dependency_unavailable', 'auth0 clients.get failed: circuit open'],
      [
        new TypeError('undefined is not a function'),
        'internal',
        'auth0 clients.get failed: unexpected error (TypeError)',
      ],
    ];
    for (const [error, code, message] of cases) {
      const converted = convert(error);
      expect({ code: converted.code, message: converted.message.split(';')[0] }).toEqual({ code, message });
      expect(converted.cause).toBe(error);
      expect(converted.message).not.toContain(SECRET_BODY.client_secret);
    }
  });

  it('counts the attempts when there was more than one', () => {
    const error = auth0Error(502);
    expect(toDependencyError(error, classifyFailure(error), { ...context, attempts: 3 }).message).toBe(
      'auth0 clients.get failed: server error (HTTP 502) after 3 attempts',
    );
  });

  it('passes an AppError through untouched', () => {
    const own = new AppError('conflict', 'already rotating');
    expect(convert(own)).toBe(own);
  });
});

describe('outcomeOf', () => {
  it('maps each kind of failure to the metric outcome', () => {
    const outcome = (error: unknown) => outcomeOf(classifyFailure(error));
    expect(outcome(auth0Error(503))).toBe('failure');
    expect(outcome(tokenRequestFailed())).toBe('failure');
    expect(outcome(auth0Error(403))).toBe('client_error');
    expect(outcome(auth0Error(404))).toBe('client_error');
    expect(outcome(auth0Error(429))).toBe('rate_limited');
    expect(outcome(new BrokenCircuitError())).toBe('circuit_open');
    expect(outcome(new AppError('cancelled', 'bye'))).toBe('cancelled');
    expect(outcome(new AppError('timeout', 'slow'))).toBe('timeout');
    expect(outcome(new TypeError('bug'))).toBe('error');
  });
});
