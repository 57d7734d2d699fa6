export { createDependencyPolicy } from './policies.js';
export type { DependencyPolicy, DependencyPolicyOptions } from './policies.js';
export { defaultPolicyOptions } from './policy-settings.js';
export type { PolicySettings } from './policy-settings.js';
export { classifyFailure, isDependencyFailure } from './http-failure.js';
export { parseResetSeconds, parseRetryAfter, readHeader, statusOf } from './response-headers.js';
export { parseRateLimitHeaders, rateLimitHeadersOfError } from './rate-limit-headers.js';
// TODO until the wiring/llm/fakes refactors land: src/wiring/tenant.ts and src/app.ts import the
// metrics factory from here; once they import it from metrics/, drop this re-export.
export { createResilienceMetrics } from '../metrics/resilience-metrics.js';
export { outcomeOf, toDependencyError } from './dependency-error.js';
export type { ResilienceMetrics } from './policy-observer.js';
