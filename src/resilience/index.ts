export { createDependencyPolicy } from './policies.js';
export type { DependencyPolicy, DependencyPolicyOptions, ExecuteOptions, FailureRecord } from './policies.js';
export { defaultPolicyOptions, validatePolicySettings } from './policy-settings.js';
export type { BreakerSettings, PolicySettings, RetrySettings } from './policy-settings.js';
export { classifyFailure, isDependencyFailure } from './http-failure.js';
export type { FailureInfo, FailureKind } from './http-failure.js';
export {
  headersOf,
  parseResetSeconds,
  parseRetryAfter,
  readHeader,
  retryAfterMsOf,
  statusOf,
} from './response-headers.js';
export { parseRateLimitHeaders, rateLimitHeadersOfError } from './rate-limit-headers.js';
export { BREAKER_STATE_VALUES, createResilienceMetrics } from '../metrics/resilience-metrics.js';
export type { CallOutcome, ResilienceMetrics } from '../metrics/resilience-metrics.js';
export { outcomeOf, toDependencyError } from './dependency-error.js';
export type { FailureContext } from './dependency-error.js';
export { createPolicyObserver } from './policy-observer.js';
export type { PolicyObserver, PolicyObserverDeps } from './policy-observer.js';
