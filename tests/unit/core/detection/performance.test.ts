import { describe, expect, it } from 'vitest';
import type { LogStore } from '../../../../src/core/logs/ports.js';
import { parseMinuteKey } from '../../../../src/core/detection/minutes.js';
import { brief, createWorld, db, later, NOW } from './world.js';

/** The store, with the rows each count read returns tallied. */
const observed = (inner: Pick<LogStore, 'counts' | 'eachCount' | 'recent' | 'newestDate'>) => {
  const reads = { rows: 0 };
  const logs: Pick<LogStore, 'counts' | 'eachCount' | 'recent' | 'newestDate'> = {
    counts: (query) => {
      const rows = inner.counts(query);
      reads.rows += rows.length;
      return rows;
    },
    eachCount: (query, visit) => {
      inner.eachCount(query, (row) => {
        reads.rows += 1;
        visit(row);
      });
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
  it('reads each minute of history once, adding what arrived once per window, and gives the baseline a fresh read gives', () => {
    const world = createWorld();
    const current = parseMinuteKey(NOW.toISOString().slice(0, 16));
    // History reads end before the current window; the recent reads end at the current minute.
    // A row is keyed with the signals asked for: groups that share a signal each read it.
    const readsOfRow = new Map<string, number>();
    let historyQueries = 0;
    const detector = world.detector({
      logs: {
        counts: (query) => world.logs.counts(query),
        eachCount: (query, visit) => {
          const to = query.toMinute === undefined ? current : parseMinuteKey(query.toMinute);
          if (to < current) historyQueries += 1;
          world.logs.eachCount(query, (r) => {
            if (to < current) {
              const key = `${query.signals.join()} ${r.minute} ${r.signal} ${r.scope}`;
              readsOfRow.set(key, (readsOfRow.get(key) ?? 0) + 1);
            }
            visit(r);
          });
        },
        recent: (query) => world.logs.recent(query),
        newestDate: () => world.logs.newestDate(),
      },
    });
    const readHistory = () => {
      const before = historyQueries;
      detector.evaluate([]);
      return historyQueries > before;
    };
    // Pages of one minute each, from 3 h ago: the first read, then one per 5 minutes of new history.
    const reread: boolean[] = [];
    for (let ago = 180; ago > 60; ago--) {
      world.normal(ago, ago - 1);
      reread.push(readHistory());
    }
    const count = reread.filter(Boolean).length;
    // Events fall anywhere in their minute, so "5 minutes newer" takes 5 or 6 pages.
    expect(count).toBeGreaterThanOrEqual(120 / 6 - 1);
    expect(count).toBeLessThanOrEqual(120 / 5 + 1);
    // The rest of the backlog arrives at once: past the boundary, what is missing is added, then kept.
    world.normal(60, 0);
    expect(readHistory()).toBe(true);
    expect(readHistory()).toBe(false);
    // Each stored minute was read once per query shape (before, every re-read read the whole history again).
    expect(readsOfRow.size).toBeGreaterThan(170);
    expect(Math.max(...readsOfRow.values())).toBe(1);

    // And the history built up piece by piece is the one a fresh read of the whole store gives.
    world.add('fp', 1, 150, db);
    world.add('fp', 0, 150, db);
    const drained = detector.evaluate([]);
    const fresh = world.detector().evaluate([]);
    expect(fresh.length).toBeGreaterThan(0);
    expect(drained).toEqual(fresh);
  });
});
