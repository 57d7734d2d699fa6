import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScheduler } from '../../../src/jobs/scheduler.js';
import { createLogger } from '../../../src/logger.js';

const lines: string[] = [];
const logger = createLogger(
  { level: 'info' },
  new Writable({
    write(c: Buffer, _e, cb) {
      lines.push(c.toString());
      cb();
    },
  }),
);

beforeEach(() => {
  vi.useFakeTimers();
  lines.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createScheduler', () => {
  it('runs a job every interval, and at start when asked', async () => {
    const runs: string[] = [];
    const scheduler = createScheduler({ logger });
    scheduler.add({
      name: 'tick',
      everyMs: 1_000,
      runAtStart: true,
      run: () => Promise.resolve(void runs.push('x')),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toHaveLength(4);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toHaveLength(4);
  });

  it('skips a tick while the previous run is still going, and reports it', async () => {
    const outcomes: string[] = [];
    let release: () => void = () => undefined;
    const scheduler = createScheduler({ logger, onRun: (_job, outcome) => outcomes.push(outcome) });
    scheduler.add({
      name: 'slow',
      everyMs: 1_000,
      run: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(scheduler.running()).toEqual(['slow']);
    expect(outcomes).toEqual(['skipped', 'skipped']);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes).toEqual(['skipped', 'skipped', 'success']);
    await scheduler.stop();
  });

  it('logs a failing run and tries again at the next tick', async () => {
    let n = 0;
    const outcomes: string[] = [];
    const scheduler = createScheduler({ logger, onRun: (_j, o) => outcomes.push(o) });
    scheduler.add({
      name: 'flaky',
      everyMs: 1_000,
      run: () => (n++ === 0 ? Promise.reject(new Error('Auth0 down')) : Promise.resolve()),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(outcomes).toEqual(['failure', 'success']);
    expect(lines.join('')).toContain('Auth0 down');
    await scheduler.stop();
  });

  it('aborts running jobs on stop and waits for them, without logging the abort as a failure', async () => {
    const scheduler = createScheduler({ logger });
    let sawAbort = false;
    scheduler.add({
      name: 'long',
      everyMs: 60_000,
      run: ({ signal }) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('aborted'));
          });
        }),
    });
    scheduler.start();
    const run = scheduler.runNow('long');
    await scheduler.stop();
    await expect(run).resolves.toBe('ran');
    expect(sawAbort).toBe(true);
    expect(lines.join('')).not.toContain('job.failed');
    await expect(scheduler.runNow('long')).resolves.toBe('skipped');
  });

  it('refuses duplicate names and unknown jobs, and arms jobs added after start', async () => {
    const scheduler = createScheduler({ logger });
    const job = { name: 'a', everyMs: 1_000, run: () => Promise.resolve() };
    scheduler.add(job);
    expect(() => {
      scheduler.add(job);
    }).toThrow('already scheduled');
    expect(() => scheduler.runNow('nope')).toThrow('no job named nope');
    scheduler.start();
    scheduler.start();
    const late = vi.fn(() => Promise.resolve());
    scheduler.add({ name: 'late', everyMs: 500, run: late });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(late).toHaveBeenCalledTimes(2);
    await scheduler.stop();
  });
});
