import { describe, expect, it } from 'vitest';
import { brief, createWorld, db, DB, only, type World } from './world.js';

/** A day of 1 failed and 4 successful logins a minute, up to the minute before the window. */
const usualDay = (world: World, minutes = 24 * 60) => {
  world.spread('fp', minutes, 6, 1, db);
  world.spread('s', minutes, 6, 4, db);
};

/** The current window: `failures` failed and `successes` successful logins a minute. */
const window = (world: World, failures: number, successes: number) => {
  world.spread('fp', 4, 0, failures, db);
  world.spread('s', 4, 0, successes, db);
};

describe('the baseline rule: a rate above 5× its own usual rate', () => {
  it('opens at medium when the rate passes 5× the baseline though the ratio is low', () => {
    const world = createWorld();
    usualDay(world);
    window(world, 6, 100);
    const decision = only(world.detector().evaluate([]), 'failed_logins');
    expect(decision).toMatchObject({
      kind: 'open',
      severity: 'medium',
      title: `Failed logins at 6/min on ${DB} (usually 1/min)`,
    });
    expect(decision.evidence).toMatchObject({ baseline: 1, rate: 6, failures: 30 });
    expect(decision.evidence.ratio).toBeCloseTo(30 / 530);
  });

  it('stays silent at exactly 5× the baseline', () => {
    const world = createWorld();
    usualDay(world);
    window(world, 5, 100);
    expect(world.detector().evaluate([])).toEqual([]);
  });

  it('has no baseline, so no baseline rule, without history', () => {
    const world = createWorld();
    window(world, 6, 100);
    expect(world.detector().evaluate([])).toEqual([]);
  });

  it('has no baseline while less than an hour of history is stored', () => {
    const world = createWorld();
    usualDay(world, 50);
    window(world, 6, 100);
    expect(world.detector().evaluate([])).toEqual([]);
    const longer = createWorld();
    usualDay(longer, 70);
    window(longer, 6, 100);
    expect(brief(longer.detector().evaluate([]))).toMatchObject([{ severity: 'medium' }]);
  });

  it('treats minutes without failures as zeros once the store shows the bot was watching', () => {
    const world = createWorld();
    world.spread('s', 24 * 60, 6, 4, db); // a quiet day: successes only
    window(world, 3, 100);
    const decision = only(world.detector().evaluate([]), 'failed_logins');
    expect(decision).toMatchObject({ title: `Failed logins at 3/min on ${DB} (usually none)` });
    expect(decision.evidence.baseline).toBe(0);
  });

  it('is the median of the day, so a few bad hours earlier do not raise it', () => {
    const world = createWorld();
    usualDay(world);
    world.spread('fp', 300, 181, 30, db); // two bad hours, five hours ago
    window(world, 6, 100);
    expect(only(world.detector().evaluate([]), 'failed_logins').evidence.baseline).toBe(1);
  });

  it('needs the minimum number of failures even over a zero baseline', () => {
    const world = createWorld();
    world.spread('s', 24 * 60, 6, 4, db);
    world.add('fp', 0, 9, db);
    world.spread('s', 4, 0, 100, db);
    expect(world.detector().evaluate([])).toEqual([]);
  });
});
