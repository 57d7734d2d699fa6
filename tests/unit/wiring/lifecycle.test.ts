import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createShutdown, ExitCode } from '../../../src/wiring/lifecycle.js';
import { createLogger } from '../../../src/logger.js';

const quietLogger = () =>
  createLogger(
    { level: 'info' },
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );

describe('createShutdown', () => {
  it('stops intake, drains, then releases in order, and exits 0', async () => {
    const order: string[] = [];
    const shutdown = createShutdown(
      {
        stopIntake: [{ name: 'slack', run: () => void order.push('slack') }],
        drain: (ms) => {
          order.push(`drain<=${ms}`);
          return Promise.resolve(true);
        },
        release: [
          { name: 'http', run: () => void order.push('http') },
          { name: 'db', run: () => void order.push('db') },
        ],
      },
      quietLogger(),
      1_000,
    );
    await expect(shutdown.shutdown('SIGTERM')).resolves.toBe(ExitCode.ok);
    expect(order[0]).toBe('slack');
    expect(order[1]).toMatch(/^drain<=\d+$/);
    expect(order.slice(2)).toEqual(['http', 'db']);
  });

  it('runs once however many signals arrive', async () => {
    let runs = 0;
    const shutdown = createShutdown(
      {
        stopIntake: [{ name: 'x', run: () => void (runs += 1) }],
        drain: () => Promise.resolve(true),
        release: [],
      },
      quietLogger(),
      100,
    );
    expect(shutdown.started).toBe(false);
    const [a, b] = await Promise.all([shutdown.shutdown('SIGTERM'), shutdown.shutdown('SIGINT')]);
    expect([a, b, runs, shutdown.started]).toEqual([0, 0, 1, true]);
  });

  it('still closes the database when an earlier step fails, and reports a crash code', async () => {
    const released: string[] = [];
    const shutdown = createShutdown(
      {
        stopIntake: [{ name: 'slack', run: () => Promise.reject(new Error('socket stuck')) }],
        drain: () => Promise.resolve(true),
        release: [{ name: 'db', run: () => void released.push('db') }],
      },
      quietLogger(),
      100,
    );
    await expect(shutdown.shutdown('SIGTERM')).resolves.toBe(ExitCode.crash);
    expect(released).toEqual(['db']);
  });

  it('exits with the temp-fail code when work is still in flight at the deadline', async () => {
    const shutdown = createShutdown(
      { stopIntake: [], drain: () => Promise.resolve(false), release: [] },
      quietLogger(),
      10,
    );
    await expect(shutdown.shutdown('SIGTERM')).resolves.toBe(ExitCode.tempFail);
  });
});
