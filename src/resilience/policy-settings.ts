import type { DependencyName } from '../core/events/health-events.js';
import { AppError } from '../errors.js';

interface RetrySettings {
  /** Attempts in all, counting the first (1 = never retry). */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  /** Cap on any wait between attempts; a server asking for longer is not retried at all. */
  readonly maxDelayMs: number;
}

interface BreakerSettings {
  /** Consecutive failures (see `isFailure`) that open the circuit. */
  readonly consecutiveFailures: number;
  /** First wait before a trial call; doubles while trials keep failing… */
  readonly halfOpenAfterMs: number;
  /** …up to this; a success starts again from `halfOpenAfterMs`. */
  readonly maxHalfOpenAfterMs: number;
}

export interface PolicySettings {
  /** Per attempt, not per call. */
  readonly timeoutMs: number;
  readonly retry: RetrySettings;
  readonly breaker: BreakerSettings;
}

/** Throws config_invalid naming every problem, so a bad override fails at start, not mid-incident. */
export const validatePolicySettings = (
  dependency: DependencyName,
  { timeoutMs, retry: r, breaker: b }: PolicySettings,
): void => {
  const problems = [
    timeoutMs > 0 ? '' : 'timeoutMs must be > 0',
    Number.isInteger(r.maxAttempts) && r.maxAttempts >= 1 ? '' : 'retry.maxAttempts must be an integer >= 1',
    r.initialDelayMs >= 0 && r.maxDelayMs >= r.initialDelayMs
      ? ''
      : 'retry delays must satisfy 0 <= initial <= max',
    Number.isInteger(b.consecutiveFailures) && b.consecutiveFailures >= 1
      ? ''
      : 'breaker.consecutiveFailures must be an integer >= 1',
    b.halfOpenAfterMs > 0 && b.maxHalfOpenAfterMs >= b.halfOpenAfterMs
      ? ''
      : 'breaker delays must satisfy 0 < halfOpenAfter <= maxHalfOpenAfter',
  ].filter((p) => p !== '');
  if (problems.length > 0) {
    throw new AppError('config_invalid', `${dependency} policy: ${problems.join('; ')}`);
  }
};

/**
 * Starting points per dependency; `createDependencyPolicy({ ...defaultPolicyOptions.auth0,
 * dependency: 'auth0', events, … })`. Each adapter MUST switch its SDK's own retries off, or a
 * 503 on a write is silently sent twice and our retries multiply the SDK's.
 */
export const defaultPolicyOptions: Readonly<Record<DependencyName, PolicySettings>> = {
  /**
   * Auth0 Management API. Construct the ManagementClient with `maxRetries: 0` (node-auth0 v7
   * retries 408/429/5xx on EVERY method, POST included) and `timeoutInSeconds` above ours.
   * - 15 s per attempt: a 100-entry `logs.list` page is the slowest read; the SDK's 60 s default
   *   would hold a Slack interaction far too long.
   * - 3 attempts: reads only; GET /logs allows 10 burst / 100 per min on paid plans, so retries
   *   beyond this mostly spend budget the customer needs. 429s wait for `x-ratelimit-reset`
   *   (Retry-After is unconfirmed there) up to 30 s, about half a per-minute window; longer waits
   *   surface as `rate_limited` and the poller resumes on its next tick.
   * - 5 failures open the circuit, so two failed reads (3 attempts each) trip it: a tenant outage
   *   or a refused credential becomes an incident within seconds rather than minutes.
   */
  auth0: {
    timeoutMs: 15_000,
    retry: { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 30_000 },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 300_000 },
  },
  /**
   * Secrets Manager. Construct SecretsManagerClient with `maxAttempts: 1` (SDK v3 retries three
   * times by default). Calls are small and regional, so 5 s is generous. PutSecretValue with a
   * ClientRequestToken is idempotent and may pass `idempotent: true`; without one it must not.
   * AWS throttling has no reset header, so backoff is exponential from 200 ms.
   */
  secrets_manager: {
    timeoutMs: 5_000,
    retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000 },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 300_000 },
  },
  /**
   * The LLM (Bedrock via AWS SDK with `maxAttempts: 1`, or Anthropic with `maxRetries: 0`).
   * A completion legitimately takes tens of seconds, hence 60 s. Only 2 attempts: a retry costs
   * tokens and the built-in runbook provider is the fallback anyway. 3 failures open the circuit
   * so a slow or down model stops delaying incident posts quickly.
   */
  llm: {
    timeoutMs: 60_000,
    retry: { maxAttempts: 2, initialDelayMs: 1_000, maxDelayMs: 20_000 },
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 10_000, maxHalfOpenAfterMs: 300_000 },
  },
  /**
   * Slack Web API. Construct WebClient with `retryConfig: { retries: 0 }` and
   * `rejectRateLimitedCalls: true` (by default it retries for up to ~30 minutes and sleeps through
   * 429s itself). `chat.postMessage` is not idempotent (a retry posts twice): idempotent: false;
   * `chat.update` and `views.publish` are. Slack's Retry-After for chat methods is usually ≤ 30 s.
   */
  slack: {
    timeoutMs: 10_000,
    retry: { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 30_000 },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 120_000 },
  },
};
