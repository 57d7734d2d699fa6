import { describe, expect, it } from 'vitest';
import type { LogStore } from '../../../../src/core/logs/ports.js';
import { parseMinuteKey } from '../../../../src/core/detection/minutes.js';
import { brief, createWorld, later } from './world.js';

/** The store, with the rows each `counts` read returns tallied. */
const observed = (inner: Pick<LogStore, 'counts' | 'recent' | 'newestDate'>) => {
  const reads = { rows: 0 };
  const logs: Pick<LogStore, 'counts' | 'recent' | 'newestDate'> = {
    counts: (query) => {
      const rows = inner.counts(query);
      reads.rows += rows.length;
      return rows;
    },
    recent: (query) => inner.recent(query),
    newestDate: () => inner.newestDate(),
  };
  return { logs, reads };
};

describe('evaluating a day of per-minute history for 50 scopes', () => {
  it('reads the day once per aligned window and only the recent minutes in between', () => {
    const world = createWorld();
    for (let i = 0; i < 50; i++) world.spread('s', 24 * 60, 0, 1, { connection: `conn-${i}` });
    world.add('fp', 0, 30, { connection: 'conn-7' });
    const { logs, reads } = observed(world.logs);
    let now = later(0);
    const detector = world.detector({ logs, now: () => now });

    expect(brief(detector.evaluate([]))).toEqual([
      expect.objectContaining({ kind: 'open', scope: 'connection:conn-7', severity: 'high' }),
    ]);
    expect(reads.rows).toBeGreaterThan(50 * 24 * 60 * 0.99);

    for (const minute of [1, 2, 3]) {
      reads.rows = 0;
      now = later(minute);
      expect(detector.evaluate([]).map((d) => d.scope)).toEqual(['connection:conn-7']);
      // 50 scopes × the 19 recent minutes, read by the two groups that compare with successful logins
      // (failed logins, enterprise connection down), and the one failing minute.
      expect(reads.rows).toBeLessThanOrEqual(2 * 50 * 19 + 1);
    }

    reads.rows = 0;
    now = later(4); // the aligned history boundary moves: the day is read again
    detector.evaluate([]);
    expect(reads.rows).toBeGreaterThan(50 * 24 * 60 * 0.99);
  });
});

describe('a backlog draining oldest first', () => {
  it('re-reads the history once per window of newly arrived history, and once when it catches up', () => {
    const world = createWorld();
    // A whole-history read spans hours; the recent minutes are read over less than one.
    let wide = 0;
    const detector = world.detector({
      logs: {
        counts: (query) => {
          const to = query.toMinute === undefined ? undefined : parseMinuteKey(query.toMinute);
          if (to !== undefined && to - parseMinuteKey(query.fromMinute) > 60) wide += 1;
          return world.logs.counts(query);
        },
        recent: (query) => world.logs.recent(query),
        newestDate: () => world.logs.newestDate(),
      },
    });
    const historyReads = () => {
      const before = wide;
      detector.evaluate([]);
      return wide > before;
    };
    // Pages of one minute each, from 3 h ago: the first read, then one per 5 minutes of new history
    // (before, every one of the 120 evaluations read the whole history).
    const reread: boolean[] = [];
    for (let ago = 180; ago > 60; ago--) {
      world.normal(ago, ago - 1);
      reread.push(historyReads());
    }
    const count = reread.filter(Boolean).length;
    // Events fall anywhere in their minute, so "5 minutes newer" takes 5 or 6 pages.
    expect(count).toBeGreaterThanOrEqual(120 / 6 - 1);
    expect(count).toBeLessThanOrEqual(120 / 5 + 1);
    // The rest of the backlog arrives at once: past the boundary, the history is read again, then kept.
    world.normal(60, 0);
    expect(historyReads()).toBe(true);
    expect(historyReads()).toBe(false);
  });
});
