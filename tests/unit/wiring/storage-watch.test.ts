import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import type { StorageHealth } from '../../../src/store/index.js';
import { createStorageWatch } from '../../../src/wiring/storage-watch.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the storage watch', () => {
  it('says once, at fatal level, that the database went unhealthy, and once that it recovered', () => {
    vi.useFakeTimers();
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _e, cb) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          cb();
        },
      }),
    );
    let health: StorageHealth = { ok: true };
    const watch = createStorageWatch({ health: () => health, logger, intervalMs: 1_000 });
    watch.start();
    vi.advanceTimersByTime(3_000);
    expect(lines).toEqual([]);

    health = { ok: false, problem: 'the database file /x.db was deleted while the app was running' };
    vi.advanceTimersByTime(5_000);
    expect(lines.map((l) => [l.event, l.level])).toEqual([['store.unhealthy', 'fatal']]);
    expect(lines[0]?.problem).toContain('was deleted');

    health = { ok: true };
    vi.advanceTimersByTime(2_000);
    watch.stop();
    health = { ok: false, problem: 'writes are failing (SQLITE_FULL)' };
    vi.advanceTimersByTime(5_000);
    expect(lines.map((l) => l.event)).toEqual(['store.unhealthy', 'store.healthy']);
  });
});
