export { createDependencyPolicy } from './policies.js';
export type { DependencyPolicy, DependencyPolicyOptions } from './policies.js';
export { defaultPolicyOptions } from './policy-settings.js';
export type { PolicySettings } from './policy-settings.js';
export { classifyFailure, isDependencyFailure } from './http-failure.js';
export { parseResetSeconds, parseRetryAfter, readHeader, statusOf } from './response-headers.js';
export { parseRateLimitHeaders, rateLimitHeadersOfError } from './rate-limit-headers.js';
export { outcomeOf, toDependencyError } from './dependency-error.js';
export type { ResilienceMetrics } from './policy-observer.js';
