import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../src/core/detection/model.js';
import { billing, createWorld, db, DB, later, type World } from './world.js';

const OPEN = [{ signal: 'failed_logins', scope: `connection:${DB}`, severity: 'high' as const }];

/** A spike in the current minute, then `failing` failed logins of 50 a minute for each segment's `minutes`. */
const spikeThen = (world: World, segments: ReadonlyArray<{ minutes: number; failing: number }>) => {
  world.add('fp', 0, 30, db);
  world.add('s', 0, 10, db);
  let from = 1;
  for (const { minutes, failing } of segments) {
    world.spread('fp', -from, -(from + minutes - 1), failing, db);
    world.spread('s', -from, -(from + minutes - 1), 50 - failing, db);
    from += minutes;
  }
};

const recoveries = (decisions: readonly Decision[]) => decisions.filter((d) => d.kind === 'recover');

describe('recovery', () => {
  it('recovers only once every window ending in the 15-minute quiet period is below threshold', () => {
    const world = createWorld();
    spikeThen(world, []);
    let now = later(4);
    const detector = world.detector({ now: () => now });
    // The windows ending 0–4 minutes after the spike still hold it; 14 quiet windows after are not enough.
    expect(detector.evaluate(OPEN).map((d) => d.kind)).toEqual(['update']);
    now = later(18);
    expect(detector.evaluate(OPEN)).toEqual([]);
    now = later(19);
    expect(detector.evaluate(OPEN)).toEqual([
      {
        kind: 'recover',
        signal: 'failed_logins',
        scope: `connection:${DB}`,
        reason: 'failure ratio below 20% and near its usual rate for 15 min',
      },
    ]);
  });

  it('does not recover on a dip to 22% (hysteresis), and recovers a full period after it falls below 20%', () => {
    const world = createWorld();
    spikeThen(world, [
      { minutes: 20, failing: 11 }, // 22%: no longer firing, not yet quiet
      { minutes: 40, failing: 5 }, // 10%
    ]);
    // The last window at 20% or more ends 20 minutes after the spike (16–20, all at 22%).
    for (const minute of [5, 19, 30, 34]) {
      expect(world.detector({ now: () => later(minute) }).evaluate(OPEN)).toEqual([]);
    }
    expect(recoveries(world.detector({ now: () => later(35) }).evaluate(OPEN))).toHaveLength(1);
  });

  it('reaches the same decisions after a restart: a fresh detector over the same store agrees', () => {
    const world = createWorld();
    spikeThen(world, [
      { minutes: 20, failing: 11 },
      { minutes: 40, failing: 5 },
    ]);
    let now = later(0);
    const longLived = world.detector({ now: () => now });
    for (let minute = 0; minute <= 45; minute++) {
      now = later(minute);
      const decisions = longLived.evaluate(OPEN);
      const restarted = world.detector({ now: () => later(minute) }).evaluate(OPEN);
      expect(restarted).toEqual(decisions);
    }
  });

  it.each([
    {
      signal: 'failed_logins',
      scope: 'tenant',
      reason: 'failure ratio below 20% and near its usual rate for 15 min',
    },
    {
      signal: 'm2m_token_failures',
      scope: 'client:Gone0001',
      reason: 'token failures below the burst threshold for 15 min',
    },
    {
      signal: 'web_token_failures',
      scope: 'client:Gone0002',
      reason: 'failure ratio below 20% and near its usual rate for 15 min',
    },
    { signal: 'rate_limit', scope: 'tenant', reason: 'no api_limit for 15 min' },
    {
      signal: 'attack_protection',
      scope: 'ip:192.0.2.1',
      reason: 'fewer than 10 events per 5 min for 15 min',
    },
    { signal: 'actions_failures', scope: 'tenant', reason: 'fewer than 20 failures per 5 min for 15 min' },
  ])('recovers $signal for $scope once its counts are gone, saying why', ({ signal, scope, reason }) => {
    const world = createWorld();
    expect(world.detector().evaluate([{ signal, scope, severity: 'medium' }])).toEqual([
      { kind: 'recover', signal, scope, reason },
    ]);
  });

  it('leaves incidents of other signals alone', () => {
    const world = createWorld();
    expect(
      world.detector().evaluate([{ signal: 'certificate', scope: 'domain:x', severity: 'high' }]),
    ).toEqual([]);
  });

  it('keeps an M2M incident open while the burst goes on, and recovers it after', () => {
    const world = createWorld();
    world.add('seccft', 120, 1, billing);
    world.spread('feccft', 10, 0, 2, billing);
    const open = [{ signal: 'm2m_token_failures', scope: 'client:Zx81billing', severity: 'high' as const }];
    expect(
      world
        .detector()
        .evaluate(open)
        .map((d) => d.kind),
    ).toEqual(['update']);
    expect(world.detector({ now: () => later(16) }).evaluate(open)).toEqual([]); // the last window of 5+ ends 2 min after
    expect(recoveries(world.detector({ now: () => later(17) }).evaluate(open))).toEqual([
      {
        kind: 'recover',
        signal: 'm2m_token_failures',
        scope: 'client:Zx81billing',
        reason: 'token failures below the burst threshold for 15 min',
      },
    ]);
  });
});
