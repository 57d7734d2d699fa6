import { describe, expect, it } from 'vitest';
import { billing, brief, createWorld, only } from './world.js';

describe('M2M token failures', () => {
  it.each([
    {
      case: 'a burst of 5 for a client that was succeeding is high',
      before: 3,
      failures: 5,
      expected: 'high',
    },
    {
      case: '4 failures for a client that was succeeding is no burst',
      before: 3,
      failures: 4,
      expected: undefined,
    },
    {
      case: '5 failures for a client that never succeeded is nothing',
      before: 0,
      failures: 5,
      expected: undefined,
    },
    {
      case: '20 failures for a client that never succeeded is medium',
      before: 0,
      failures: 20,
      expected: 'medium',
    },
  ])('$case', ({ before, failures, expected }) => {
    const world = createWorld();
    if (before > 0) world.add('seccft', 180, before, billing); // three hours ago
    world.add('feccft', 1, failures, {
      ...billing,
      details: { client_authentoication_error: 'Invalid client secret' },
    });
    const decisions = world.detector().evaluate([]);
    expect(decisions.map((d) => (d.kind === 'recover' ? d.kind : d.severity))).toEqual(
      expected === undefined ? [] : [expected],
    );
  });

  it('names the client in the title, and says when it has not succeeded recently', () => {
    const world = createWorld();
    world.add('seccft', 30, 1, billing);
    world.add('feccft', 0, 6, {
      ...billing,
      details: { client_authentoication_error: 'Invalid client secret' },
    });
    const stranger = { client_id: 'Qq1never', client_name: 'never-worked' };
    world.add('feccft', 0, 25, stranger);
    const decisions = world.detector().evaluate([]);
    expect(brief(decisions)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          scope: 'client:Zx81billing',
          severity: 'high',
          title: 'M2M token failures for billing-worker (Zx81billing)',
        }),
        expect.objectContaining({
          scope: 'client:Qq1never',
          severity: 'medium',
          title: 'M2M token failures for never-worked (Qq1never), which has not succeeded recently',
        }),
      ]),
    );
    const burst = decisions.find((d) => d.scope === 'client:Zx81billing');
    expect(burst?.kind !== 'recover' && burst?.evidence.topReasons).toEqual([
      { value: 'Invalid client secret', count: 6 },
    ]);
  });
});

describe('rate limits', () => {
  it.each([
    {
      case: 'any api_limit is medium',
      minutes: [2],
      expected: ['medium', 'Auth0 rate limit hit (1 time in 5 min)'],
    },
    { case: 'api_limit in 2 of the last 5 minutes is medium', minutes: [0, 3], expected: ['medium'] },
    {
      case: 'api_limit in 3 of the last 5 minutes is sustained: high',
      minutes: [0, 2, 4],
      expected: ['high', 'Auth0 rate limit hit in 3 of the last 5 minutes'],
    },
    { case: 'api_limit 6 minutes ago is outside the window', minutes: [6], expected: undefined },
  ])('$case', ({ minutes, expected }) => {
    const world = createWorld();
    for (const minute of minutes) world.add('api_limit', minute, 1);
    const decisions = world.detector().evaluate([]);
    if (expected === undefined) {
      expect(decisions).toEqual([]);
      return;
    }
    const decision = only(decisions, 'rate_limit');
    expect(decision.scope).toBe('tenant');
    expect(decision.severity).toBe(expected[0]);
    if (expected[1]) expect(decision.title).toBe(expected[1]);
  });

  it('counts warnings as evidence but never opens on warnings alone', () => {
    const world = createWorld();
    world.spread('api_limit_warning', 4, 0, 1);
    expect(world.detector().evaluate([])).toEqual([]);
    world.add('api_limit', 0, 1);
    expect(only(world.detector().evaluate([]), 'rate_limit').evidence.summary).toBe(
      'api_limit in 1 of the last 5 minutes; 5 api_limit_warning in 5 min',
    );
  });
});

describe('attack protection', () => {
  it('notes the single source IP behind a block (an office NAT)', () => {
    const world = createWorld();
    world.add('limit_wc', 1, 12, { ip: '203.0.113.7' });
    const decision = only(world.detector().evaluate([]), 'attack_protection');
    expect(decision).toMatchObject({
      scope: 'ip:203.0.113.7',
      severity: 'medium',
      title: 'Attack protection blocking 203.0.113.7 (12 events in 5 min)',
      evidence: { singleSourceIp: '203.0.113.7', topReasons: [{ value: 'limit_wc', count: 12 }] },
    });
  });

  it('notes a single source for the tenant when one IP has at least 80% of the volume', () => {
    const world = createWorld();
    world.add('limit_wc', 0, 9, { ip: '198.51.100.1' });
    world.add('limit_wc', 0, 2, (i) => ({ ip: `192.0.2.${i}` }));
    const decision = only(world.detector().evaluate([]), 'attack_protection');
    expect(decision).toMatchObject({
      scope: 'tenant',
      title: 'Attack protection: 11 events in 5 min from 198.51.100.1',
      evidence: { singleSourceIp: '198.51.100.1' },
    });
  });

  it('leaves out the single source when the volume is spread over many IPs', () => {
    const world = createWorld();
    world.add('limit_sul', 0, 60, (i) => ({ ip: `192.0.2.${i}` }));
    const decision = only(world.detector().evaluate([]), 'attack_protection');
    expect(decision).toMatchObject({
      scope: 'tenant',
      severity: 'high',
      title: 'Attack protection: 60 events in 5 min from 60 IPs',
    });
    expect(decision.evidence.singleSourceIp).toBeUndefined();
  });

  it('opens above its usual volume though under the floor, once there is history to compare with', () => {
    const world = createWorld();
    world.add('limit_wc', 0, 12, { ip: '198.51.100.1' });
    const thresholds = { attackProtectionFloor: 20, attackProtectionHigh: 40 };
    expect(world.detector({ thresholds }).evaluate([])).toEqual([]);
    world.spread('s', 24 * 60, 6, 1); // the bot was watching all day, and saw no attacks
    expect(brief(world.detector({ thresholds }).evaluate([]))).toEqual([
      expect.objectContaining({ scope: 'ip:198.51.100.1', severity: 'medium' }),
    ]);
  });
});

describe('Actions failures', () => {
  it.each([
    { failures: 19, expected: [] },
    { failures: 20, expected: ['medium'] },
    { failures: 100, expected: ['high'] },
  ])('$failures failed executions in the window: $expected', ({ failures, expected }) => {
    const world = createWorld();
    world.add('actions_execution_failed', 2, failures, { details: { error_class: 'action_timeout' } });
    expect(
      world
        .detector()
        .evaluate([])
        .map((d) => (d.kind === 'recover' ? d.kind : d.severity)),
    ).toEqual(expected);
  });
});
