import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders, rateLimitHeadersOfError } from '../../../src/resilience/index.js';
import { auth0Error } from './failures.js';

describe('parseRateLimitHeaders', () => {
  it('reads the three Auth0 headers from a fetch Headers as numbers', () => {
    const headers = new Headers({
      'x-ratelimit-limit': '10',
      'X-RateLimit-Remaining': '3',
      'x-ratelimit-reset': '1735689605',
    });
    expect(parseRateLimitHeaders(headers)).toEqual({ limit: 10, remaining: 3, reset: 1_735_689_605 });
  });

  it('leaves out missing headers', () => {
    expect(parseRateLimitHeaders(new Headers({ 'x-ratelimit-remaining': '0' }))).toEqual({ remaining: 0 });
    expect(parseRateLimitHeaders(new Headers())).toEqual({});
    expect(parseRateLimitHeaders(undefined)).toEqual({});
  });

  it('leaves out garbage: words, negatives, fractions, exponents, empty values and a zero reset', () => {
    for (const bad of ['abc', '-1', '2.5', '1e3', '', ' ', '0x10', '12abc']) {
      expect(
        parseRateLimitHeaders(
          new Headers({ 'x-ratelimit-limit': bad, 'x-ratelimit-remaining': bad, 'x-ratelimit-reset': bad }),
        ),
      ).toEqual({});
    }
    expect(
      parseRateLimitHeaders(new Headers({ 'x-ratelimit-reset': '0', 'x-ratelimit-limit': '5' })),
    ).toEqual({ limit: 5 });
  });

  it('reads a plain header record too', () => {
    expect(parseRateLimitHeaders({ 'X-RateLimit-Limit': '50', 'x-ratelimit-remaining': ['7'] })).toEqual({
      limit: 50,
      remaining: 7,
    });
  });

  it('reads them from a ManagementError 429', () => {
    const error = auth0Error(429, {
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1735689660',
    });
    expect(rateLimitHeadersOfError(error)).toEqual({ limit: 10, remaining: 0, reset: 1_735_689_660 });
    expect(rateLimitHeadersOfError(new Error('no response'))).toEqual({});
  });
});
