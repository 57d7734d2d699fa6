/**
 * The one module that builds cockatiel policies. Per dependency:
 *   retry (reads only) → circuit breaker → timeout → the SDK call, given the timeout's signal.
 * Our retries are the only ones: adapters turn the SDKs' own retries off (see policy-settings).
 */
import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  noJitterGenerator,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IDisposable,
  type IHalfOpenAfterBackoffContext,
  type IRetryBackoffContext,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import type { AuditLog } from '../core/audit/ports.js';
import type { BreakerState, DependencyName, HealthEventSink } from '../core/events/health-events.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { outcomeOf, toDependencyError } from './dependency-error.js';
import { classifyFailure, isDependencyFailure, type FailureInfo } from './http-failure.js';
import { createPolicyObserver, type PolicyObserver, type ResilienceMetrics } from './policy-observer.js';
import { validatePolicySettings, type PolicySettings } from './policy-settings.js';

export interface DependencyPolicyOptions extends PolicySettings {
  readonly dependency: DependencyName;
  /**
   * What counts against the breaker. Receives the error as thrown by `fn`, or AppError('timeout').
   * Default: network errors, timeouts, 5xx and a refused credential; not 429 or other 4xx.
   */
  readonly isFailure?: (error: unknown) => boolean;
  readonly events: HealthEventSink;
  readonly metrics?: ResilienceMetrics;
  readonly logger?: Logger;
  readonly audit?: AuditLog;
  readonly now?: () => Date;
  /** Jitter in [0, 1); injectable so tests can pin it. */
  readonly random?: () => number;
}

interface ExecuteOptions {
  /** Safe to repeat (a read, or a write with an idempotency token). Only these are retried. */
  readonly idempotent: boolean;
  /** Names the call in logs and errors, e.g. `logs.list`. */
  readonly operation: string;
  /** The caller's own cancellation (shutdown, a job's `stop()`); not a failure of the dependency. */
  readonly signal?: AbortSignal;
}

interface FailureRecord {
  readonly at: Date;
  readonly reason: string;
}

export interface DependencyPolicy {
  readonly dependency: DependencyName;
  /**
   * Runs `fn`, which must pass `signal` to its SDK call and finish all its I/O before settling
   * (the signal is aborted once it does). Throws an AppError (see dependency-error.ts).
   */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, options: ExecuteOptions): Promise<T>;
  state(): BreakerState;
  /** The last failure that counted against the breaker. */
  lastFailure(): FailureRecord | undefined;
  lastSuccess(): Date | undefined;
  /** Detaches the breaker's listeners; calls still work but report nothing. */
  dispose(): void;
}

const STATES: Readonly<Record<CircuitState, BreakerState>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/** Lets the half-open backoff report each delay it picks, for the log line and audit row. */
const observeDurations = <C>(
  inner: IBackoffFactory<C>,
  onDuration: (ms: number) => void,
): IBackoffFactory<C> => ({
  next: (context: C): IBackoff<C> => {
    const step = inner.next(context);
    onDuration(step.duration);
    return { duration: step.duration, next: (later: C) => observeDurations(step, onDuration).next(later) };
  },
});

const backoffFrom = <C>(delayFor: (context: C) => number): IBackoffFactory<C> => ({
  next: (context: C): IBackoff<C> => ({
    duration: delayFor(context),
    next: (later: C) => backoffFrom(delayFor).next(later),
  }),
});

const isCancelled = (error: unknown): boolean => error instanceof AppError && error.code === 'cancelled';

/** `0 s`, `45 s`, `3 min`, `2 h`. */
const openFor = (ms: number): string => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
};

class ResilientDependency implements DependencyPolicy {
  readonly dependency: DependencyName;
  private readonly settings: PolicySettings;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly observer: PolicyObserver;
  private readonly breaker: CircuitBreakerPolicy;
  // Aggressive: an SDK that ignores the signal must not hold the caller past the timeout.
  private readonly timeoutPolicy: TimeoutPolicy;
  private readonly subscriptions: IDisposable[];
  private failure: FailureRecord | undefined;
  private success: Date | undefined;
  private openSince: Date | undefined;
  private halfOpenAfterMs: number | undefined;

  constructor(options: DependencyPolicyOptions) {
    validatePolicySettings(options.dependency, options);
    this.dependency = options.dependency;
    this.settings = options;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.isFailure = options.isFailure ?? isDependencyFailure;
    this.observer = createPolicyObserver({
      dependency: options.dependency,
      events: options.events,
      now: this.now,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.audit ? { audit: options.audit } : {}),
    });
    this.breaker = circuitBreaker(handleWhen(this.countsAgainst), {
      breaker: new ConsecutiveBreaker(options.breaker.consecutiveFailures),
      halfOpenAfter: observeDurations<IHalfOpenAfterBackoffContext>(
        new ExponentialBackoff({
          initialDelay: options.breaker.halfOpenAfterMs,
          maxDelay: options.breaker.maxHalfOpenAfterMs,
          generator: noJitterGenerator,
        }),
        (ms) => {
          this.halfOpenAfterMs = ms;
        },
      ),
    });
    this.timeoutPolicy = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    this.subscriptions = this.observeBreaker();
  }

  async execute<T>(fn: (signal: AbortSignal) => Promise<T>, call: ExecuteOptions): Promise<T> {
    let attempts = 0;
    const attempt = ({ signal }: { signal: AbortSignal }): Promise<T> => {
      // cockatiel sleeps through its backoff even when the caller aborts; don't call fn after it.
      if (call.signal?.aborted) return Promise.reject(this.cancelled(call));
      attempts += 1;
      return this.runAttempt(fn, call, signal);
    };
    try {
      if (call.signal?.aborted) throw this.cancelled(call);
      // A mutating call runs once: a 503 may arrive after the change was made.
      const value = call.idempotent
        ? await wrap(this.retryPolicyFor(call.operation), this.breaker).execute(attempt, call.signal)
        : await this.breaker.execute(attempt, call.signal);
      this.observer.callFinished('success');
      return value;
    } catch (error) {
      const final = this.finalError(error, call, attempts);
      this.observer.callFinished(outcomeOf(classifyFailure(final, this.now())));
      throw final;
    }
  }

  state(): BreakerState {
    return STATES[this.breaker.state];
  }

  lastFailure(): FailureRecord | undefined {
    return this.failure;
  }

  lastSuccess(): Date | undefined {
    return this.success;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  // The caller giving up (shutdown) says nothing about the dependency, whatever isFailure thinks.
  private readonly countsAgainst = (error: unknown): boolean => !isCancelled(error) && this.isFailure(error);

  private observeBreaker(): IDisposable[] {
    return [
      this.breaker.onBreak(() => {
        this.openSince ??= this.now();
        this.observer.breakerOpened({
          reason: this.failure?.reason ?? 'unknown failure',
          ...(this.halfOpenAfterMs === undefined ? {} : { halfOpenAfterMs: this.halfOpenAfterMs }),
        });
      }),
      this.breaker.onHalfOpen(() => {
        this.observer.breakerHalfOpen();
      }),
      this.breaker.onReset(() => {
        this.openSince = undefined;
        this.observer.breakerClosed();
      }),
    ];
  }

  private async runAttempt<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    call: ExecuteOptions,
    outer: AbortSignal,
  ): Promise<T> {
    // The timeout aborts the attempt's signal; so do the caller's abort and the attempt's end.
    // Only an abort while `fn` is still running, without the caller asking, is a timeout.
    let settled = false;
    let timedOut = false;
    try {
      const value = await this.timeoutPolicy.execute(async ({ signal }) => {
        const onAbort = () => {
          if (!settled && !call.signal?.aborted) timedOut = true;
        };
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          return await fn(signal);
        } finally {
          settled = true;
        }
      }, outer);
      this.success = this.now();
      return value;
    } catch (error) {
      throw this.attemptError(error, call, timedOut);
    }
  }

  /** Turns what one attempt threw into what the breaker and the retry see. */
  private attemptError(error: unknown, call: ExecuteOptions, timedOut: boolean): unknown {
    if (call.signal?.aborted) return this.cancelled(call, error);
    const seen =
      timedOut || error instanceof TaskCancelledError
        ? new AppError(
            'timeout',
            `${this.dependency} ${call.operation} timed out after ${this.settings.timeoutMs} ms`,
            { cause: error },
          )
        : error;
    if (this.countsAgainst(seen)) {
      const at = this.now();
      this.failure = { at, reason: `${classifyFailure(seen, at).reason} in ${call.operation}` };
    }
    return seen;
  }

  private cancelled(call: ExecuteOptions, cause?: unknown): AppError {
    const message = `${this.dependency} ${call.operation} was cancelled`;
    return new AppError('cancelled', message, cause === undefined ? {} : { cause });
  }

  private retryPolicyFor(operation: string): RetryPolicy {
    const { maxAttempts } = this.settings.retry;
    const policy = retry(handleWhen(this.shouldRetry), {
      maxAttempts: maxAttempts - 1,
      backoff: backoffFrom(this.retryDelay),
    });
    const reasonOf = (event: { error: unknown } | { value: unknown }): string =>
      'error' in event ? classifyFailure(event.error, this.now()).reason : 'unexpected result';
    policy.onRetry((event) => {
      this.observer.retryScheduled({
        operation,
        attempt: event.attempt,
        delayMs: event.delay,
        reason: reasonOf(event),
      });
    });
    policy.onGiveUp((event) => {
      this.observer.retriesExhausted({ operation, attempts: maxAttempts, reason: reasonOf(event) });
    });
    return policy;
  }

  private readonly shouldRetry = (error: unknown): boolean => {
    const info = classifyFailure(error, this.now());
    // Retrying before the server's own wait is over only earns another 429: give up instead, and
    // let the caller (a job's next tick, the budget) come back after the reset.
    return (
      info.retryable &&
      (info.retryAfterMs === undefined || info.retryAfterMs <= this.settings.retry.maxDelayMs)
    );
  };

  private readonly retryDelay = (context: IRetryBackoffContext<unknown>): number => {
    const { initialDelayMs, maxDelayMs } = this.settings.retry;
    const hinted =
      'error' in context.result ? classifyFailure(context.result.error, this.now()).retryAfterMs : undefined;
    if (hinted !== undefined && hinted > 0) return Math.min(hinted, maxDelayMs);
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** (context.attempt - 1));
    // "Equal jitter": never less than half the ceiling, so retries never bunch up at zero.
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  };

  private finalError(error: unknown, call: ExecuteOptions, attempts: number): AppError {
    if (call.signal?.aborted && !isCancelled(error)) return this.cancelled(call, error);
    const info: FailureInfo = classifyFailure(error, this.now());
    if (info.kind === 'circuit_open' && !(error instanceof AppError)) {
      // How long, not when: this message reaches Slack (step results), where an ISO time is noise.
      const since =
        this.openSince === undefined
          ? ''
          : ` for ${openFor(this.now().getTime() - this.openSince.getTime())}`;
      return new AppError(
        'dependency_unavailable',
        `${this.dependency} is unavailable (circuit open${since}): ${this.failure?.reason ?? 'unknown failure'}`,
        { cause: error },
      );
    }
    return toDependencyError(error, info, {
      dependency: this.dependency,
      operation: call.operation,
      attempts,
    });
  }
}

export const createDependencyPolicy = (options: DependencyPolicyOptions): DependencyPolicy =>
  new ResilientDependency(options);
