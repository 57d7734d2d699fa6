import { BREAKER_EVENTS } from '../../../src/core/events/health-events.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auth0Error } from './failures.js';
import { createHarness, deferred, T0, testSettings, type Harness } from './harness.js';

type Call = (signal: AbortSignal) => Promise<string>;

const write = { idempotent: false, operation: 'clients.get' } as const;
const read = { idempotent: true, operation: 'clients.get' } as const;

const failing: Call = () => Promise.reject(auth0Error(503));

/** Enough 503s on a call that is not retried to open the circuit. */
const openTheCircuit = async (h: Harness): Promise<void> => {
  for (let i = 0; i < testSettings.breaker.consecutiveFailures; i++) {
    await expect(h.policy.execute(failing, write)).rejects.toMatchObject({ code: 'dependency_failed' });
  }
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, then fails fast without calling fn', async () => {
    const h = createHarness();
    await openTheCircuit(h);
    expect(h.policy.state()).toBe('open');

    const fn = vi.fn<Call>().mockResolvedValue('never');
    await expect(h.policy.execute(fn, read)).rejects.toMatchObject({
      code: 'dependency_unavailable',
      message: 'auth0 is unavailable (circuit open for 0 s): server error (HTTP 503) in clients.get',
    });
    expect(fn).not.toHaveBeenCalled();
    expect(await h.calls('circuit_open')).toBe(1);
  });

  it('lets one trial call through after halfOpenAfterMs, and a success closes the circuit', async () => {
    const h = createHarness();
    await openTheCircuit(h);

    await vi.advanceTimersByTimeAsync(4_999);
    await expect(h.policy.execute(() => Promise.resolve('early'), read)).rejects.toMatchObject({
      code: 'dependency_unavailable',
    });
    await vi.advanceTimersByTimeAsync(1);
    await expect(h.policy.execute(() => Promise.resolve('trial'), read)).resolves.toBe('trial');
    expect(h.policy.state()).toBe('closed');
    await expect(h.policy.execute(() => Promise.resolve('normal'), read)).resolves.toBe('normal');
  });

  it('doubles the wait before each trial while trials keep failing, and starts over after a success', async () => {
    const h = createHarness();
    await openTheCircuit(h);
    const probe = vi.fn<Call>(() => Promise.reject(auth0Error(503)));

    const expectTrialAfter = async (ms: number, fn: Call): Promise<void> => {
      await vi.advanceTimersByTimeAsync(ms - 1);
      const before = probe.mock.calls.length;
      await expect(h.policy.execute(probe, write)).rejects.toMatchObject({ code: 'dependency_unavailable' });
      expect(probe.mock.calls.length).toBe(before); // still too early: not called
      await vi.advanceTimersByTimeAsync(1);
      await h.policy.execute(fn, write).catch(() => undefined);
    };

    await expectTrialAfter(5_000, probe);
    await expectTrialAfter(10_000, probe);
    await expectTrialAfter(20_000, probe);
    await expectTrialAfter(40_000, probe);
    await expectTrialAfter(40_000, () => Promise.resolve('back')); // capped at maxHalfOpenAfterMs
    expect(h.policy.state()).toBe('closed');
    expect(probe).toHaveBeenCalledTimes(4);

    await openTheCircuit(h);
    await expectTrialAfter(5_000, () => Promise.resolve('back again'));
    expect(h.policy.state()).toBe('closed');
    const opened = h.transitions().filter((l) => l.breaker === 'open');
    expect(opened.map((l) => l.halfOpenAfterMs)).toEqual([5_000, 10_000, 20_000, 40_000, 40_000, 5_000]);
  });

  it('keeps the time it first opened while trials fail, for the fast-fail message', async () => {
    const h = createHarness();
    await openTheCircuit(h);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(h.policy.execute(failing, write)).rejects.toMatchObject({ code: 'dependency_failed' });
    await expect(h.policy.execute(failing, write)).rejects.toMatchObject({
      message: expect.stringContaining('circuit open for 5 s'),
    });
  });

  it('closes on a 404 during the trial: the dependency answered', async () => {
    const h = createHarness();
    await openTheCircuit(h);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(h.policy.execute(() => Promise.reject(auth0Error(404)), read)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(h.policy.state()).toBe('closed');
  });
});

describe('breaker transitions', () => {
  it('each produce exactly one health event, one audit row, one log line and the gauge value', async () => {
    const h = createHarness();
    expect(await h.gauge()).toBe(0);

    await openTheCircuit(h);
    expect(h.published).toEqual([
      {
        type: 'breaker_opened',
        dependency: 'auth0',
        at: T0,
        reason: 'server error (HTTP 503) in clients.get',
      },
    ]);
    expect(await h.gauge()).toBe(2);
    expect(h.audit.latest(10)).toEqual([
      expect.objectContaining({
        actor: 'system',
        action: 'breaker.open',
        outcome: 'failure',
        at: T0.toISOString(),
        summary: 'auth0 circuit opened: calls fail fast: server error (HTTP 503) in clients.get',
        detail: expect.objectContaining({ dependency: 'auth0', halfOpenAfterMs: 5_000 }),
      }),
    ]);

    await vi.advanceTimersByTimeAsync(5_000);
    const trial = deferred<string>();
    const running = h.policy.execute(() => trial.promise, read);
    expect(h.policy.state()).toBe('half_open');
    expect(await h.gauge()).toBe(1);
    expect(h.published.at(-1)).toEqual({
      type: 'breaker_half_open',
      dependency: 'auth0',
      at: new Date(T0.getTime() + 5_000),
    });
    expect(h.audit.latest(1)[0]).toMatchObject({
      action: 'breaker.half_open',
      outcome: 'started',
      actor: 'system',
    });

    trial.resolve('ok');
    await expect(running).resolves.toBe('ok');
    expect(await h.gauge()).toBe(0);
    expect(h.published.map((e) => e.type)).toEqual(['breaker_opened', 'breaker_half_open', 'breaker_closed']);
    expect(h.audit.latest(10).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'breaker.close:success',
      'breaker.half_open:started',
      'breaker.open:failure',
    ]);
    expect(h.transitions().map((l) => `${l.level}:${l.msg}`)).toEqual([
      'warn:auth0 circuit opened: calls fail fast',
      'info:auth0 circuit half-open: trying one call',
      'info:auth0 circuit closed: calls flow again',
    ]);
    expect(h.published.at(-1)).toMatchObject({ type: 'breaker_closed', dependency: 'auth0' });
  });

  it('survives a throwing subscriber and a closed database: the call still gets its own error', async () => {
    const h = createHarness();
    h.events.subscribe(BREAKER_EVENTS, () => {
      throw new Error('subscriber bug');
    });
    h.store.close();

    await openTheCircuit(h);
    expect(h.policy.state()).toBe('open');
    expect(h.published.map((e) => e.type)).toEqual(['breaker_opened']);
    expect(await h.gauge()).toBe(2);
    expect(h.logs.some((l) => l.msg === 'resilience observer sink failed' && l.sink === 'audit')).toBe(true);
  });

  it('reports nothing more once disposed', async () => {
    const h = createHarness();
    h.policy.dispose();
    await openTheCircuit(h);
    expect(h.policy.state()).toBe('open');
    expect(h.published).toEqual([]);
    expect(await h.gauge()).toBe(0);
  });
});
