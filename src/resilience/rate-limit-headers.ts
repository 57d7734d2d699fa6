import type { RateLimitObservation } from '../core/tenant/rate-limit-budget.js';
import { headersOf, readHeader } from './response-headers.js';

const WHOLE_NUMBER = /^\s*\d{1,15}\s*$/;

const parseCount = (value: string | undefined): number | undefined =>
  value !== undefined && WHOLE_NUMBER.test(value) ? Number(value) : undefined;

/**
 * Auth0's `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (Unix seconds) as
 * plain numbers for the core's `RateLimitBudget`. Missing or garbage values are simply absent:
 * a proxy that mangles one header must not stop the others from being used.
 */
export const parseRateLimitHeaders = (headers: unknown): RateLimitObservation => {
  const limit = parseCount(readHeader(headers, 'x-ratelimit-limit'));
  const remaining = parseCount(readHeader(headers, 'x-ratelimit-remaining'));
  const reset = parseCount(readHeader(headers, 'x-ratelimit-reset'));
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    // 0 is not a moment anyone means; treat it like a missing header.
    ...(reset === undefined || reset === 0 ? {} : { reset }),
  };
};

/** The same, read from an SDK error's response (e.g. a ManagementError 429's `rawResponse`). */
export const rateLimitHeadersOfError = (error: unknown): RateLimitObservation =>
  parseRateLimitHeaders(headersOf(error));
