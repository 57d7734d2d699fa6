/**
 * What the last responses said about a rate-limit bucket, so a backlog drain slows down before
 * it meets a 429 instead of after (Auth0 answers every Management API call with
 * `x-ratelimit-limit`, `-remaining` and `-reset`; the customer's own traffic draws on the same
 * buckets, so the numbers can drop between two of our calls). Pure: every method takes `now`.
 */

/** Plain numbers parsed from the three headers; any of them may be missing. */
export interface RateLimitObservation {
  readonly limit?: number;
  readonly remaining?: number;
  /** When the bucket is refilled, in Unix SECONDS (Auth0's `x-ratelimit-reset`). */
  readonly reset?: number;
}

/** The x-ratelimit-* values of one response, as numbers (undefined when absent or garbage). */
export interface RateLimitReading {
  readonly bucket: 'logs' | 'management' | 'token';
  readonly status: number;
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** Unix seconds. */
  readonly reset: number | undefined;
}

export interface RateLimitBucketSnapshot {
  readonly bucket: string;
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetAt?: Date;
  readonly observedAt: Date;
  /** The last thing heard was a 429. */
  readonly throttled: boolean;
}

export interface RateLimitBudgetOptions {
  /** Longest single wait `waitBeforeNextCall` asks for (default 60 s, one per-minute window). */
  readonly maxWaitMs?: number;
}

export interface WaitOptions {
  /** Calls to leave for everyone else (the customer, the on-call human): never spent by a drain. */
  readonly reserve: number;
  /**
   * Below this many remaining calls, spread what is left above the reserve evenly until the reset.
   * Defaults to twice the reserve (and at least reserve + 1).
   */
  readonly paceBelow?: number;
}

interface BucketState {
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetAt?: Date;
  readonly observedAt: Date;
  readonly throttled: boolean;
}

const DEFAULT_MAX_WAIT_MS = 60_000;

const usable = (value: number | undefined): number | undefined =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;

export class RateLimitBudget {
  private readonly buckets = new Map<string, BucketState>();
  private readonly maxWaitMs: number;

  constructor(options: RateLimitBudgetOptions = {}) {
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  }

  /** Remembers a response's headers; a response without any of them changes nothing. */
  record(bucket: string, observation: RateLimitObservation, now: Date): void {
    const limit = usable(observation.limit);
    const remaining = usable(observation.remaining);
    const reset = usable(observation.reset);
    if (limit === undefined && remaining === undefined && reset === undefined) return;
    const previous = this.buckets.get(bucket);
    this.buckets.set(bucket, {
      // The limit is a property of the plan and rarely changes; remaining and reset are per response.
      limit: limit ?? previous?.limit,
      remaining,
      resetAt: reset === undefined ? undefined : new Date(reset * 1000),
      observedAt: now,
      throttled: false,
    });
  }

  /** A 429: nothing is left until `resetAt`. */
  record429(bucket: string, resetAt: Date, now: Date): void {
    const previous = this.buckets.get(bucket);
    this.buckets.set(bucket, {
      limit: previous?.limit,
      remaining: 0,
      resetAt,
      observedAt: now,
      throttled: true,
    });
  }

  /**
   * How long to wait before the next call on `bucket`: 0 while the budget is fine; paced as
   * `remaining` nears the reserve; the time until the reset once it reaches it (capped at
   * `maxWaitMs`); 0 again once the reset has passed, because the bucket has refilled.
   */
  waitBeforeNextCall(bucket: string, now: Date, options: WaitOptions): number {
    const state = this.buckets.get(bucket);
    if (state?.remaining === undefined || state.resetAt === undefined) return 0;
    const untilReset = state.resetAt.getTime() - now.getTime();
    if (untilReset <= 0) return 0;
    const reserve = Math.max(0, options.reserve);
    const paceBelow = options.paceBelow ?? Math.max(reserve * 2, reserve + 1);
    if (state.remaining <= reserve) return Math.min(untilReset, this.maxWaitMs);
    if (state.remaining > paceBelow) return 0;
    // Spread the calls left above the reserve evenly over the time to the reset; at remaining ===
    // reserve this meets the branch above (the whole time), so the wait grows without a jump.
    const spendable = state.remaining - reserve + 1;
    return Math.min(Math.ceil(untilReset / spendable), this.maxWaitMs);
  }

  /** Every bucket heard from, sorted by name, for `/auth0 status`. */
  snapshot(): RateLimitBucketSnapshot[] {
    return [...this.buckets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([bucket, state]) => ({
        bucket,
        ...(state.limit === undefined ? {} : { limit: state.limit }),
        ...(state.remaining === undefined ? {} : { remaining: state.remaining }),
        ...(state.resetAt === undefined ? {} : { resetAt: state.resetAt }),
        observedAt: state.observedAt,
        throttled: state.throttled,
      }));
  }
}
