/** Management API token buckets: one for GET /api/v2/logs, one for every other /api/v2 endpoint. */
import type { Now } from './clock.js';
import type { BucketLimits, Plan, RateLimitSettings } from './types.js';

/** Reference §3: Free 2/2 per s; Essentials and Professional logs 10/100 per min, others 10/150. */
export const PLAN_RATE_LIMITS: Record<Plan, RateLimitSettings> = {
  free: { logs: { burst: 2, perMinute: 120 }, management: { burst: 2, perMinute: 120 } },
  essentials: { logs: { burst: 10, perMinute: 100 }, management: { burst: 10, perMinute: 150 } },
  professional: { logs: { burst: 10, perMinute: 100 }, management: { burst: 10, perMinute: 150 } },
  enterprise: { logs: { burst: 50, perMinute: 960 }, management: { burst: 50, perMinute: 960 } },
};

export type BucketName = keyof RateLimitSettings;

export interface RateDecision {
  allowed: boolean;
  bucket: BucketName;
  limits: BucketLimits;
  /** Tokens used out of the burst after this request, for `api_limit_warning`. */
  used: number;
  headers: Record<string, string>;
}

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    public limits: BucketLimits,
    private readonly now: Now,
  ) {
    this.tokens = limits.burst;
    this.updatedAt = now();
  }

  take(): { allowed: boolean; headers: Record<string, string>; used: number } {
    this.refill();
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const perMs = this.limits.perMinute / 60_000;
    const fullAt = this.updatedAt + (this.limits.burst - this.tokens) / perMs;
    return {
      allowed,
      used: this.limits.burst - Math.floor(this.tokens),
      headers: {
        'x-ratelimit-limit': String(this.limits.burst),
        'x-ratelimit-remaining': String(Math.floor(this.tokens)),
        // Unix seconds at which the bucket is full again.
        'x-ratelimit-reset': String(Math.ceil(fullAt / 1000)),
      },
    };
  }

  reset(limits: BucketLimits): void {
    this.limits = limits;
    this.tokens = limits.burst;
    this.updatedAt = this.now();
  }

  private refill(): void {
    const at = this.now();
    const elapsed = Math.max(0, at - this.updatedAt);
    this.tokens = Math.min(this.limits.burst, this.tokens + (elapsed * this.limits.perMinute) / 60_000);
    this.updatedAt = at;
  }
}

export class RateLimiter {
  private readonly buckets: Record<BucketName, TokenBucket>;
  private rejected = 0;

  constructor(settings: RateLimitSettings, now: Now) {
    this.buckets = {
      logs: new TokenBucket(settings.logs, now),
      management: new TokenBucket(settings.management, now),
    };
  }

  static bucketFor(method: string, path: string): BucketName {
    return method === 'GET' && /^\/api\/v2\/logs\/?$/.test(path) ? 'logs' : 'management';
  }

  check(method: string, path: string): RateDecision {
    const bucket = RateLimiter.bucketFor(method, path);
    const taken = this.buckets[bucket].take();
    if (!taken.allowed) this.rejected += 1;
    return { ...taken, bucket, limits: this.buckets[bucket].limits };
  }

  /** Changes limits at runtime (a plan change); the changed buckets start full. */
  setLimits(settings: Partial<RateLimitSettings>): void {
    if (settings.logs !== undefined) this.buckets.logs.reset(settings.logs);
    if (settings.management !== undefined) this.buckets.management.reset(settings.management);
  }

  get limits(): RateLimitSettings {
    return { logs: this.buckets.logs.limits, management: this.buckets.management.limits };
  }

  /** How many requests got a 429 so far. */
  get rejections(): number {
    return this.rejected;
  }
}
