import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../src/core/detection/model.js';
import { brief, createWorld, later, only, type World } from './world.js';

/** An AD/LDAP enterprise connection whose connector stops answering: one card, never two. */

const AD = {
  connection: 'corp-ad',
  strategy: 'ad',
  client_id: 'Intranet00000000000001',
  client_name: 'acme-intranet',
};
const SCOPE = 'connection:corp-ad';
const fc = (i: number) => ({
  ...AD,
  ip: `198.51.100.${(i % 40) + 1}`,
  user_name: `employee${i}@acme.example`,
  description: 'connect ETIMEDOUT 10.0.4.12:636',
});
const coff = { ...AD, description: 'Connector is offline' };

/** `n` connector failures spread over the window's minutes 3..0. */
const failing = (world: World, n: number) => {
  const perMinute = Math.ceil(n / 4);
  let left = n;
  for (const m of [3, 2, 1, 0]) {
    const k = Math.min(perMinute, left);
    if (k > 0) world.add('fc', m, k, fc);
    left -= k;
  }
};

const opened = (decisions: readonly Decision[]) => brief(decisions).filter((d) => d.kind !== 'recover');

describe('enterprise connection down', () => {
  it('opens one high card for coff plus 25 fc beside ordinary traffic, and no failed-logins card', () => {
    const world = createWorld();
    world.normal(120);
    world.add('coff', 4, 1, coff);
    failing(world, 25);
    const decisions = world.detector().evaluate([]);
    expect(opened(decisions)).toEqual([
      {
        kind: 'open',
        signal: 'connection_down',
        scope: SCOPE,
        severity: 'high',
        title:
          'Enterprise connection corp-ad is down: connector offline, 25 logins failed by its connector in 5 min',
      },
    ]);
    const card = only(decisions, 'connection_down');
    expect(card.evidence.topReasons).toEqual([{ value: 'connect ETIMEDOUT 10.0.4.12:636', count: 25 }]);
    expect(card.evidence.summary).toMatch(/connector reported offline \(coff\) at 11:56 UTC/);
    expect(card.evidence.summary).toMatch(/No login on this connection succeeded/);
  });

  it('is high on a coff alone: nobody has to fail first', () => {
    const world = createWorld();
    world.normal(60);
    world.add('coff', 1, 1, coff);
    expect(opened(world.detector().evaluate([]))).toEqual([
      expect.objectContaining({
        signal: 'connection_down',
        severity: 'high',
        title: 'Enterprise connection corp-ad is down: its connector went offline',
      }),
    ]);
  });

  it.each([
    { failures: 4, expected: [] },
    { failures: 5, expected: ['medium'] },
    { failures: 19, expected: ['medium'] },
    { failures: 20, expected: ['high'] },
  ])('$failures connector failures and no success: $expected', ({ failures, expected }) => {
    const world = createWorld();
    world.normal(60);
    failing(world, failures);
    const decisions = opened(world.detector().evaluate([]));
    expect(decisions.map((d) => d.signal)).toEqual(expected.map(() => 'connection_down'));
    expect(decisions.map((d) => d.severity)).toEqual(expected);
  });

  it("stays quiet while connector failures are at most 25% of a busy connection's logins", () => {
    const world = createWorld();
    world.normal(60);
    world.spread('s', 4, 0, 12, AD); // 60 good logins in the window
    failing(world, 20); // 20 / 80 = 25%: filtered
    expect(opened(world.detector().evaluate([]))).toEqual([]);
    failing(world, 1); // 21 / 81 > 25%
    expect(opened(world.detector().evaluate([]))).toEqual([
      expect.objectContaining({ signal: 'connection_down', severity: 'high' }),
    ]);
  });

  it('resolves a failed-logins card already open on the connection, pointing to the outage card', () => {
    const world = createWorld();
    world.normal(60);
    failing(world, 25);
    const open = [{ signal: 'failed_logins', scope: SCOPE, severity: 'medium' as const }];
    expect(brief(world.detector().evaluate(open))).toEqual([
      { kind: 'recover', signal: 'failed_logins', scope: SCOPE },
      expect.objectContaining({ kind: 'open', signal: 'connection_down', scope: SCOPE, severity: 'high' }),
    ]);
    const recover = world
      .detector()
      .evaluate(open)
      .find((d) => d.kind === 'recover');
    expect(recover).toMatchObject({ reason: 'superseded: the connection_down card covers it' });
  });

  it('notes the connector coming back online, and recovers after 15 quiet minutes', () => {
    const world = createWorld();
    world.normal(60, -20);
    world.add('coff', 3, 1, coff);
    failing(world, 8);
    world.add('con', -1, 1, { ...AD, description: 'Connector is online' });
    const open = [{ signal: 'connection_down', scope: SCOPE, severity: 'high' as const }];
    let now = later(1);
    const detector = world.detector({ now: () => now });
    expect(only(detector.evaluate(open), 'connection_down').evidence.summary).toMatch(
      /online again \(con\) at 12:01 UTC: logins should recover/,
    );
    // The last window holding at least 5 failures (minutes -2..0) or the coff ends 2 minutes from
    // now: quiet once every window ending in the last 15 minutes is past it.
    now = later(16);
    expect(detector.evaluate(open)).toEqual([]);
    now = later(17);
    expect(detector.evaluate(open)).toEqual([
      {
        kind: 'recover',
        signal: 'connection_down',
        scope: SCOPE,
        reason: 'no connector failure or offline report for 15 min',
      },
    ]);
  });
});
