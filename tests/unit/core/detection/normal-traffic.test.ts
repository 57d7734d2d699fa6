import { describe, expect, it } from 'vitest';
import { brief, createWorld, later } from './world.js';

/**
 * The other half of every detection's test: a tenant's ordinary traffic (logins with a few wrong
 * passwords, token exchanges, MFA, signups, silent auth, profile edits) opens nothing, with or
 * without a baseline, at any minute of the day.
 */
describe('ordinary traffic', () => {
  it('opens nothing on a tenant with no history yet (no baseline)', () => {
    const world = createWorld();
    world.normal(10);
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });

  it('opens nothing over three hours, evaluated every minute of the last hour', () => {
    const world = createWorld();
    world.normal(180);
    const opened = [];
    for (let m = -60; m <= 0; m++) {
      const detector = world.detector({ now: () => later(m) });
      opened.push(...brief(detector.evaluate([])));
    }
    expect(opened).toEqual([]);
  });
});
