import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import { createDependencyPolicy, defaultPolicyOptions } from '../../../src/resilience/index.js';
import { auth0Error, networkError, resetIn, SECRET_BODY, tokenRequestFailed } from './failures.js';
import { createHarness, T0, testSettings } from './harness.js';

type Call = (signal: AbortSignal) => Promise<string>;

const read = { idempotent: true, operation: 'logs.list' } as const;
const write = { idempotent: false, operation: 'clients.rotateSecret' } as const;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('retries of reads', () => {
  it('retries a read that meets 503s and returns what the third attempt got', async () => {
    const h = createHarness();
    const fn = vi
      .fn<Call>()
      .mockRejectedValueOnce(auth0Error(503))
      .mockRejectedValueOnce(auth0Error(503))
      .mockResolvedValue('page');

    const result = h.policy.execute(fn, read);
    await vi.advanceTimersByTimeAsync(99);
    expect(fn).toHaveBeenCalledTimes(1); // backoff: 100 ms, then 200 ms (jitter pinned to the ceiling)
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);

    await expect(result).resolves.toBe('page');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(await h.retries()).toBe(2);
    expect(await h.calls('success')).toBe(1);
    expect(h.policy.lastSuccess()).toEqual(new Date(T0.getTime() + 300));
    expect(h.logs.filter((l) => l.msg === 'auth0 logs.list retrying')).toHaveLength(2);
  });

  it('gives up after maxAttempts with dependency_failed, keeping the original as cause', async () => {
    const h = createHarness();
    const last = auth0Error(502);
    const fn = vi
      .fn<Call>()
      .mockRejectedValueOnce(auth0Error(502))
      .mockRejectedValueOnce(auth0Error(502))
      .mockRejectedValue(last);

    const outcome = expect(h.policy.execute(fn, read)).rejects.toMatchObject({
      code: 'dependency_failed',
      message: 'auth0 logs.list failed: server error (HTTP 502) after 3 attempts',
      cause: last,
    });
    await vi.runAllTimersAsync();
    await outcome;
    expect(fn).toHaveBeenCalledTimes(3);
    expect(await h.calls('failure')).toBe(1);
    expect(h.logs.some((l) => l.msg === 'auth0 logs.list gave up' && l.level === 'warn')).toBe(true);
  });

  it('waits for x-ratelimit-reset after a 429 instead of its own backoff', async () => {
    const h = createHarness();
    const fn = vi
      .fn<Call>()
      .mockImplementationOnce(() => Promise.reject(auth0Error(429, { 'x-ratelimit-reset': resetIn(5) })))
      .mockResolvedValue('page');

    const result = h.policy.execute(fn, read);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('page');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('does not storm a rate-limited API: each retry waits for the reset and the breaker stays closed', async () => {
    const h = createHarness();
    const calledAt: number[] = [];
    const fn = vi.fn<Call>(() => {
      calledAt.push(Date.now());
      return Promise.reject(auth0Error(429, { 'x-ratelimit-reset': resetIn(5) }));
    });

    for (let call = 0; call < 2; call++) {
      const outcome = expect(h.policy.execute(fn, read)).rejects.toMatchObject({ code: 'rate_limited' });
      await vi.runAllTimersAsync();
      await outcome;
    }

    expect(fn).toHaveBeenCalledTimes(6); // 2 calls × maxAttempts, never more
    const gaps = calledAt.slice(1).map((at, i) => at - (calledAt[i] ?? 0));
    expect(gaps[0]).toBe(5_000);
    expect(gaps[1]).toBe(5_000);
    expect(h.policy.state()).toBe('closed'); // 6 > consecutiveFailures, yet 429 means "up"
    expect(h.published).toEqual([]);
    expect(await h.calls('rate_limited')).toBe(2);
  });

  it('does not retry when the server asks for a longer wait than maxDelayMs, and says how long', async () => {
    const h = createHarness();
    const fn = vi.fn<Call>(() => Promise.reject(auth0Error(429, { 'x-ratelimit-reset': resetIn(60) })));

    await expect(h.policy.execute(fn, read)).rejects.toMatchObject({
      code: 'rate_limited',
      message: 'auth0 logs.list failed: rate limited (HTTP 429); the server asked to wait 60 s',
    });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never retries a write: a 503 may come after the change was made', async () => {
    const h = createHarness();
    const fn = vi.fn<Call>(() => Promise.reject(auth0Error(503)));

    await expect(h.policy.execute(fn, write)).rejects.toMatchObject({ code: 'dependency_failed' });
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(await h.retries()).toBeUndefined();
  });

  it('neither retries nor counts a 400 or 404: the dependency answered', async () => {
    const h = createHarness();
    const notFound = auth0Error(404);
    const fn = vi.fn<Call>(() => Promise.reject(notFound));

    await expect(h.policy.execute(fn, read)).rejects.toMatchObject({ code: 'not_found', cause: notFound });
    for (let i = 0; i < 5; i++) {
      await expect(h.policy.execute(() => Promise.reject(auth0Error(400)), read)).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
    expect(fn).toHaveBeenCalledTimes(1);
    expect(h.policy.state()).toBe('closed');
    expect(h.policy.lastFailure()).toBeUndefined();
    expect(await h.calls('client_error')).toBe(6);
  });

  it('retries network errors but not a refused credential, which counts against the breaker', async () => {
    const h = createHarness();
    const flaky = vi.fn<Call>().mockRejectedValueOnce(networkError('ECONNRESET')).mockResolvedValue('ok');
    const result = h.policy.execute(flaky, read);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('ok');

    const refused = vi.fn<Call>(() => Promise.reject(tokenRequestFailed(401)));
    await expect(h.policy.execute(refused, read)).rejects.toMatchObject({
      code: 'dependency_auth_failed',
      message: 'auth0 logs.list failed: credential refused (HTTP 401); its own credential may be wrong',
    });
    expect(refused).toHaveBeenCalledTimes(1);
    expect(h.policy.lastFailure()).toEqual({
      at: new Date(T0.getTime() + 100), // after the network error's one backoff
      reason: 'credential refused (HTTP 401) in logs.list',
    });
  });

  it('never puts a response body in the error it throws', async () => {
    const h = createHarness();
    const error = await h.policy
      .execute(() => Promise.reject(auth0Error(500)), write)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(String(error)).not.toContain(SECRET_BODY.client_secret);
  });

  it('passes an AppError thrown by the adapter through untouched', async () => {
    const h = createHarness();
    const own = new AppError('not_found', 'no such client');
    await expect(h.policy.execute(() => Promise.reject(own), read)).rejects.toBe(own);
  });
});

describe('timeouts', () => {
  it('aborts the signal given to fn and throws AppError("timeout")', async () => {
    const h = createHarness();
    let seen: AbortSignal | undefined;
    const fn = vi.fn<Call>(
      (signal) =>
        new Promise((_resolve, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => {
            reject(new DOMException('aborted', 'AbortError'));
          });
        }),
    );

    const outcome = expect(h.policy.execute(fn, write)).rejects.toMatchObject({
      code: 'timeout',
      message: 'auth0 clients.rotateSecret timed out after 1000 ms',
    });
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    await outcome;
    expect(seen?.aborted).toBe(true);
    expect(await h.calls('timeout')).toBe(1);
  });

  it('times out an SDK that ignores its signal, and retries a read that timed out', async () => {
    const h = createHarness();
    const fn = vi
      .fn<Call>()
      .mockReturnValueOnce(new Promise<string>(() => undefined))
      .mockResolvedValue('late but fine');

    const result = h.policy.execute(fn, read);
    await vi.advanceTimersByTimeAsync(1_000 + 100);
    await expect(result).resolves.toBe('late but fine');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('counts timeouts against the breaker', async () => {
    const h = createHarness();
    for (let i = 0; i < testSettings.breaker.consecutiveFailures; i++) {
      const outcome = expect(
        h.policy.execute(() => new Promise<string>(() => undefined), write),
      ).rejects.toMatchObject({
        code: 'timeout',
      });
      await vi.advanceTimersByTimeAsync(1_000);
      await outcome;
    }
    expect(h.policy.state()).toBe('open');
    expect(h.policy.lastFailure()?.reason).toBe('timed out in clients.rotateSecret');
  });
});

describe('cancellation by the caller', () => {
  it('aborts fn, throws AppError("cancelled") and does not count against the breaker', async () => {
    const h = createHarness();
    for (let i = 0; i < testSettings.breaker.consecutiveFailures + 1; i++) {
      const controller = new AbortController();
      let seen: AbortSignal | undefined;
      const result = h.policy.execute(
        (signal) => {
          seen = signal;
          return new Promise<string>(() => undefined);
        },
        { ...read, signal: controller.signal },
      );
      controller.abort();
      await expect(result).rejects.toMatchObject({
        code: 'cancelled',
        message: 'auth0 logs.list was cancelled',
      });
      expect(seen?.aborted).toBe(true);
    }
    expect(h.policy.state()).toBe('closed');
    expect(h.policy.lastFailure()).toBeUndefined();
    expect(await h.calls('cancelled')).toBe(testSettings.breaker.consecutiveFailures + 1);
  });

  it('does not try again after the caller aborts during a retry backoff', async () => {
    const h = createHarness();
    const controller = new AbortController();
    const fn = vi.fn<Call>(() => Promise.reject(auth0Error(503)));
    const outcome = expect(
      h.policy.execute(fn, { ...read, signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'cancelled',
      message: 'auth0 logs.list was cancelled',
    });
    await vi.advanceTimersByTimeAsync(50);
    controller.abort();
    await vi.runAllTimersAsync();
    await outcome;
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not call fn at all when the caller has already given up', async () => {
    const h = createHarness();
    const fn = vi.fn<Call>().mockResolvedValue('x');
    await expect(h.policy.execute(fn, { ...read, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('options', () => {
  it('lets isFailure decide what counts against the breaker', async () => {
    const h = createHarness({ isFailure: () => false });
    for (let i = 0; i < 5; i++) {
      await expect(h.policy.execute(() => Promise.reject(auth0Error(503)), write)).rejects.toBeInstanceOf(
        AppError,
      );
    }
    expect(h.policy.state()).toBe('closed');
  });

  it('refuses settings that cannot work, naming every problem', () => {
    expect(() =>
      createDependencyPolicy({
        dependency: 'slack',
        events: createEventBus(),
        timeoutMs: 0,
        retry: { maxAttempts: 0, initialDelayMs: 10, maxDelayMs: 5 },
        breaker: { consecutiveFailures: 1.5, halfOpenAfterMs: 10, maxHalfOpenAfterMs: 5 },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'config_invalid',
        message: expect.stringMatching(
          /^slack policy: timeoutMs.*maxAttempts.*delays.*consecutiveFailures.*halfOpenAfter/,
        ),
      }),
    );
  });

  it('ships sane defaults for every dependency, with at most 3 Auth0 read attempts', () => {
    expect(Object.keys(defaultPolicyOptions).sort()).toEqual(['auth0', 'llm', 'secrets_manager', 'slack']);
    expect(defaultPolicyOptions.auth0.retry.maxAttempts).toBeLessThanOrEqual(3);
    for (const [dependency, settings] of Object.entries(defaultPolicyOptions)) {
      expect(settings.retry.maxDelayMs).toBeLessThanOrEqual(30_000);
      const policy = createDependencyPolicy({
        ...settings,
        dependency: dependency as keyof typeof defaultPolicyOptions,
        events: createEventBus(),
      });
      expect(policy.state()).toBe('closed');
      policy.dispose();
    }
  });
});
