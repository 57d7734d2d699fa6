import { ManagementError, ManagementTimeoutError } from 'auth0';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import {
  classifyFailure,
  isDependencyFailure,
  parseResetSeconds,
  parseRetryAfter,
  readHeader,
  statusOf,
} from '../../../src/resilience/index.js';
import {
  auth0Error,
  FakeAwsError,
  fetchFailed,
  networkError,
  SECRET_BODY,
  tokenRequestFailed,
} from './failures.js';

const now = new Date('2025-01-01T00:00:00.000Z');
const nowSeconds = now.getTime() / 1000;

describe('classifyFailure: Auth0 (ManagementError)', () => {
  it('treats a 5xx as a retryable failure of the dependency', () => {
    expect(classifyFailure(auth0Error(503), now)).toMatchObject({
      kind: 'server_error',
      status: 503,
      retryable: true,
      countsAgainstBreaker: true,
      reason: 'server error (HTTP 503)',
    });
  });

  it('treats a 429 as retryable but as proof the dependency is up, waiting until x-ratelimit-reset', () => {
    const info = classifyFailure(auth0Error(429, { 'x-ratelimit-reset': String(nowSeconds + 7) }), now);
    expect(info).toMatchObject({ kind: 'rate_limited', retryable: true, countsAgainstBreaker: false });
    expect(info.retryAfterMs).toBe(7_000);
  });

  it('honours Retry-After in seconds or as an HTTP date, and takes the longest of several hints', () => {
    expect(classifyFailure(auth0Error(429, { 'retry-after': '3' }), now).retryAfterMs).toBe(3_000);
    const date = new Date(now.getTime() + 9_000).toUTCString();
    expect(classifyFailure(auth0Error(503, { 'Retry-After': date }), now).retryAfterMs).toBe(9_000);
    const both = auth0Error(429, { 'retry-after': '2', 'x-ratelimit-reset': String(nowSeconds + 5) });
    expect(classifyFailure(both, now).retryAfterMs).toBe(5_000);
  });

  it('ignores x-ratelimit-reset on anything but a 429, and garbage hints altogether', () => {
    expect(
      classifyFailure(auth0Error(503, { 'x-ratelimit-reset': String(nowSeconds + 5) }), now).retryAfterMs,
    ).toBeUndefined();
    expect(
      classifyFailure(auth0Error(429, { 'retry-after': 'soon', 'x-ratelimit-reset': 'later' }), now),
    ).not.toHaveProperty('retryAfterMs');
  });

  it('counts a refused token request against the breaker, but not a 403 on one endpoint', () => {
    expect(classifyFailure(tokenRequestFailed(401))).toMatchObject({
      kind: 'auth',
      tokenRequest: true,
      retryable: false,
      countsAgainstBreaker: true,
      reason: 'credential refused (HTTP 401)',
    });
    expect(classifyFailure(tokenRequestFailed(403)).countsAgainstBreaker).toBe(true);
    expect(classifyFailure(auth0Error(403))).toMatchObject({ kind: 'auth', countsAgainstBreaker: false });
  });

  it('sees a token request timeout (408) and the SDK timeout as timeouts', () => {
    const tokenTimeout = new ManagementError({
      message: 'ManagementClient: token request timed out',
      statusCode: 408,
    });
    expect(classifyFailure(tokenTimeout)).toMatchObject({ kind: 'timeout', countsAgainstBreaker: true });
    expect(
      classifyFailure(new ManagementTimeoutError('Timeout exceeded when calling GET /logs.')),
    ).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
  });

  it('looks through a ManagementError without a status to the network error underneath', () => {
    const wrapped = new ManagementError({ message: 'fetch failed', cause: fetchFailed('ECONNREFUSED') });
    expect(classifyFailure(wrapped)).toMatchObject({
      kind: 'network',
      code: 'ECONNREFUSED',
      countsAgainstBreaker: true,
    });
  });

  it('does not retry or count other 4xx', () => {
    for (const status of [400, 404, 409, 422]) {
      expect(classifyFailure(auth0Error(status))).toMatchObject({
        kind: 'client_error',
        status,
        retryable: false,
        countsAgainstBreaker: false,
      });
    }
  });

  it('never repeats the body or the message in its reason', () => {
    const info = classifyFailure(auth0Error(500, {}, `client_secret=${SECRET_BODY.client_secret}`));
    expect(JSON.stringify(info)).not.toContain(SECRET_BODY.client_secret);
    expect(auth0Error(500).message).toContain(SECRET_BODY.client_secret); // the SDK's own message would leak
  });
});

describe('classifyFailure: AWS SDK v3', () => {
  it('treats throttling (named or flagged) as rate limiting even though it comes as HTTP 400', () => {
    expect(classifyFailure(new FakeAwsError('ThrottlingException', 400))).toMatchObject({
      kind: 'rate_limited',
      code: 'ThrottlingException',
      retryable: true,
      countsAgainstBreaker: false,
    });
    expect(classifyFailure(new FakeAwsError('SomethingNew', 400, { throttling: true })).kind).toBe(
      'rate_limited',
    );
  });

  it('treats InternalServiceError as a server error and a refused credential as a breaker failure', () => {
    expect(classifyFailure(new FakeAwsError('InternalServiceError', 500))).toMatchObject({
      kind: 'server_error',
      countsAgainstBreaker: true,
    });
    expect(classifyFailure(new FakeAwsError('UnrecognizedClientException', 400))).toMatchObject({
      kind: 'auth',
      tokenRequest: true,
      countsAgainstBreaker: true,
    });
  });

  it('keeps the API error code of an ordinary client error', () => {
    expect(classifyFailure(new FakeAwsError('ResourceNotFoundException', 400))).toMatchObject({
      kind: 'client_error',
      status: 400,
      code: 'ResourceNotFoundException',
      reason: 'request refused (HTTP 400 ResourceNotFoundException)',
    });
  });
});

describe('classifyFailure: Slack web-api', () => {
  it('reads retryAfter (seconds) from a rate-limited error', () => {
    expect(classifyFailure(new WebAPIRateLimitedError(12))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 12_000,
      countsAgainstBreaker: false,
    });
  });

  it('sorts platform errors: auth kills the bot, ratelimited waits, the rest are refusals', () => {
    expect(classifyFailure(new WebAPIPlatformError({ ok: false, error: 'invalid_auth' }))).toMatchObject({
      kind: 'auth',
      countsAgainstBreaker: true,
    });
    expect(classifyFailure(new WebAPIPlatformError({ ok: false, error: 'ratelimited' })).kind).toBe(
      'rate_limited',
    );
    expect(classifyFailure(new WebAPIPlatformError({ ok: false, error: 'internal_error' })).kind).toBe(
      'server_error',
    );
    expect(classifyFailure(new WebAPIPlatformError({ ok: false, error: 'channel_not_found' }))).toMatchObject(
      {
        kind: 'client_error',
        code: 'channel_not_found',
        countsAgainstBreaker: false,
      },
    );
  });

  it('reads status and a plain header record from an HTTP error, and the cause of a request error', () => {
    const http = new WebAPIHTTPError(503, 'Service Unavailable', { 'Retry-After': '4' });
    expect(classifyFailure(http, now)).toMatchObject({
      kind: 'server_error',
      status: 503,
      retryAfterMs: 4_000,
    });
    expect(classifyFailure(new WebAPIRequestError(networkError('ECONNRESET')))).toMatchObject({
      kind: 'network',
      code: 'ECONNRESET',
    });
  });
});

describe('classifyFailure: fetch, network and our own errors', () => {
  it('reads a fetch Response-like value', () => {
    expect(classifyFailure(new Response(null, { status: 502 })).kind).toBe('server_error');
    const limited = new Response(null, { status: 429, headers: { 'retry-after': '1' } });
    expect(classifyFailure(limited, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1_000 });
  });

  it('treats socket errors, "fetch failed" and aborts as transient failures of the dependency', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT']) {
      expect(classifyFailure(networkError(code))).toMatchObject({
        kind: 'network',
        code,
        retryable: true,
        countsAgainstBreaker: true,
      });
    }
    expect(classifyFailure(fetchFailed('ECONNRESET')).code).toBe('ECONNRESET');
    expect(classifyFailure(new TypeError('fetch failed')).kind).toBe('network');
    expect(classifyFailure(new DOMException('aborted', 'AbortError')).kind).toBe('timeout');
    expect(classifyFailure(new DOMException('slow', 'TimeoutError')).kind).toBe('timeout');
  });

  it('does not retry or count a bug of ours', () => {
    expect(classifyFailure(new TypeError('x is not a function'))).toMatchObject({
      kind: 'unknown',
      code: 'TypeError',
      retryable: false,
      countsAgainstBreaker: false,
    });
    expect(classifyFailure('a string').kind).toBe('unknown');
    expect(isDependencyFailure(new RangeError('nope'))).toBe(false);
  });

  it('understands cockatiel errors and AppErrors, looking into their cause', () => {
    expect(classifyFailure(new BrokenCircuitError()).kind).toBe('circuit_open');
    expect(classifyFailure(new TaskCancelledError()).kind).toBe('timeout');
    expect(classifyFailure(new AppError('timeout', 'slow')).countsAgainstBreaker).toBe(true);
    expect(classifyFailure(new AppError('cancelled', 'bye'))).toMatchObject({
      kind: 'cancelled',
      retryable: false,
    });
    expect(classifyFailure(new AppError('internal', 'wrapped', { cause: auth0Error(503) })).kind).toBe(
      'server_error',
    );
    const limited = new AppError('rate_limited', 'x', { cause: auth0Error(429, { 'retry-after': '6' }) });
    expect(classifyFailure(limited, now).retryAfterMs).toBe(6_000);
    expect(classifyFailure(new AppError('internal', 'plain')).kind).toBe('unknown');
  });
});

describe('header helpers', () => {
  it('reads a fetch Headers and a plain record case-insensitively', () => {
    expect(readHeader(new Headers({ 'X-RateLimit-Limit': '10' }), 'x-ratelimit-limit')).toBe('10');
    expect(readHeader({ 'X-RateLimit-Limit': '10' }, 'x-ratelimit-limit')).toBe('10');
    expect(readHeader({ 'retry-after': ['5', '6'] }, 'Retry-After')).toBe('5');
    expect(readHeader({ 'retry-after': 5 }, 'retry-after')).toBe('5');
    expect(readHeader(new Headers(), 'retry-after')).toBeUndefined();
    expect(readHeader(undefined, 'retry-after')).toBeUndefined();
  });

  it('parses Retry-After and x-ratelimit-reset, rejecting garbage', () => {
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter(new Date(now.getTime() - 60_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('tomorrow-ish', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseResetSeconds(String(nowSeconds + 2), now)).toBe(2_000);
    expect(parseResetSeconds(String(nowSeconds - 2), now)).toBe(0);
    expect(parseResetSeconds('soon', now)).toBeUndefined();
  });

  it('finds the status wherever each SDK keeps it', () => {
    expect(statusOf(auth0Error(502))).toBe(502);
    expect(statusOf(new FakeAwsError('X', 503))).toBe(503);
    expect(statusOf({ status: 429 })).toBe(429);
    expect(statusOf({ status: 42 })).toBeUndefined();
    expect(statusOf(null)).toBeUndefined();
  });
});
