import { describe, expect, it } from 'vitest';
import { RateLimitBudget } from '../../../../src/core/tenant/rate-limit-budget.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
/** Unix seconds `seconds` after T0, as Auth0's x-ratelimit-reset says it. */
const resetIn = (seconds: number): number => T0.getTime() / 1000 + seconds;

describe('RateLimitBudget', () => {
  it('asks for no wait before it has heard anything, or while plenty remains', () => {
    const budget = new RateLimitBudget();
    expect(budget.waitBeforeNextCall('logs', T0, { reserve: 2 })).toBe(0);
    budget.record('logs', { limit: 10, remaining: 9, reset: resetIn(10) }, T0);
    expect(budget.waitBeforeNextCall('logs', T0, { reserve: 2 })).toBe(0);
  });

  it('waits longer as remaining approaches the reserve, and until the reset once it reaches it', () => {
    const budget = new RateLimitBudget();
    const waitAt = (remaining: number): number => {
      budget.record('logs', { limit: 10, remaining, reset: resetIn(10) }, T0);
      return budget.waitBeforeNextCall('logs', T0, { reserve: 2 });
    };
    const waits = [10, 5, 4, 3, 2, 1, 0].map(waitAt);
    expect(waits).toEqual([0, 0, 3_334, 5_000, 10_000, 10_000, 10_000]);
  });

  it('asks for no wait once the reset has passed: the bucket has refilled', () => {
    const budget = new RateLimitBudget();
    budget.record('logs', { limit: 10, remaining: 0, reset: resetIn(10) }, T0);
    expect(budget.waitBeforeNextCall('logs', at(4_000), { reserve: 1 })).toBe(6_000);
    expect(budget.waitBeforeNextCall('logs', at(10_000), { reserve: 1 })).toBe(0);
    expect(budget.waitBeforeNextCall('logs', at(60_000), { reserve: 1 })).toBe(0);
  });

  it('caps a wait at maxWaitMs', () => {
    const budget = new RateLimitBudget({ maxWaitMs: 15_000 });
    budget.record('management', { remaining: 0, reset: resetIn(120) }, T0);
    expect(budget.waitBeforeNextCall('management', T0, { reserve: 0 })).toBe(15_000);
    const byDefault = new RateLimitBudget();
    byDefault.record('management', { remaining: 0, reset: resetIn(3_600) }, T0);
    expect(byDefault.waitBeforeNextCall('management', T0, { reserve: 0 })).toBe(60_000);
  });

  it('honours a custom pacing threshold', () => {
    const budget = new RateLimitBudget();
    budget.record('logs', { remaining: 8, reset: resetIn(9) }, T0);
    expect(budget.waitBeforeNextCall('logs', T0, { reserve: 0 })).toBe(0);
    expect(budget.waitBeforeNextCall('logs', T0, { reserve: 0, paceBelow: 10 })).toBe(1_000);
  });

  it('after a 429 waits until the given reset, and forgets the 429 on the next good response', () => {
    const budget = new RateLimitBudget();
    budget.record('logs', { limit: 10, remaining: 5, reset: resetIn(10) }, T0);
    budget.record429('logs', at(7_000), at(1_000));
    expect(budget.waitBeforeNextCall('logs', at(1_000), { reserve: 0 })).toBe(6_000);
    expect(budget.snapshot()).toEqual([
      { bucket: 'logs', limit: 10, remaining: 0, resetAt: at(7_000), observedAt: at(1_000), throttled: true },
    ]);
    budget.record('logs', { remaining: 9, reset: resetIn(20) }, at(8_000));
    expect(budget.snapshot()[0]).toMatchObject({ limit: 10, remaining: 9, throttled: false });
  });

  it('ignores a response without usable headers, and drops negative or non-finite numbers', () => {
    const budget = new RateLimitBudget();
    budget.record('logs', { limit: 10, remaining: 0, reset: resetIn(10) }, T0);
    budget.record('logs', {}, at(1_000));
    budget.record('logs', { limit: -1, remaining: Number.NaN, reset: Number.POSITIVE_INFINITY }, at(2_000));
    expect(budget.waitBeforeNextCall('logs', at(2_000), { reserve: 0 })).toBe(8_000);
    budget.record('logs', { remaining: 0 }, at(3_000));
    expect(budget.waitBeforeNextCall('logs', at(3_000), { reserve: 0 })).toBe(0); // no reset: nothing to wait for
  });

  it('keeps buckets apart and lists them by name', () => {
    const budget = new RateLimitBudget();
    budget.record('management', { limit: 50, remaining: 49, reset: resetIn(1) }, T0);
    budget.record('logs', { limit: 10, remaining: 0, reset: resetIn(10) }, T0);
    expect(budget.waitBeforeNextCall('management', T0, { reserve: 2 })).toBe(0);
    expect(budget.waitBeforeNextCall('logs', T0, { reserve: 2 })).toBe(10_000);
    expect(budget.snapshot().map((s) => s.bucket)).toEqual(['logs', 'management']);
    expect(budget.snapshot()[1]).toEqual({
      bucket: 'management',
      limit: 50,
      remaining: 49,
      resetAt: at(1_000),
      observedAt: T0,
      throttled: false,
    });
  });
});
