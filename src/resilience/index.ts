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
// TODO until the wiring/llm/fakes refactors land: src/wiring/tenant.ts and src/app.ts import the
// metrics factory from here; once they import it from metrics/, drop this re-export.
export { createResilienceMetrics } from '../metrics/resilience-metrics.js';
export { outcomeOf, toDependencyError } from './dependency-error.js';
export type { CallOutcome, FailureContext } from './dependency-error.js';
export { createPolicyObserver } from './policy-observer.js';
export type { PolicyObserver, PolicyObserverDeps, ResilienceMetrics } from './policy-observer.js';
