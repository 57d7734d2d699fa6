import { describe, expect, it } from 'vitest';
import { topItems } from '../../../../src/core/detection/evidence.js';
import { ago, createWorld, db, only } from './world.js';

describe('evidence', () => {
  it('lists the top 10 of 200 distinct IPs, most frequent first', () => {
    const world = createWorld();
    world.add('fp', 0, 200, (i) => ({ ...db, ip: `10.0.0.${i}` }));
    world.add('fp', 1, 3, { ...db, ip: '192.0.2.9' });
    world.add('fp', 1, 2, { ...db, ip: '192.0.2.8' });
    const decision = only(world.detector().evaluate([]), 'failed_logins');
    const ips = decision.evidence.topIps ?? [];
    expect(ips).toHaveLength(10);
    expect(ips.slice(0, 3)).toEqual([
      { value: '192.0.2.9', count: 3 },
      { value: '192.0.2.8', count: 2 },
      { value: '10.0.0.0', count: 1 },
    ]);
  });

  it('cuts attacker-controlled values to 100 characters', () => {
    const world = createWorld();
    world.add('fp', 0, 25, { ...db, user_agent: `Mozilla/5.0 ${'x'.repeat(200)}` });
    const [agent] = only(world.detector().evaluate([]), 'failed_logins').evidence.topUserAgents ?? [];
    expect(agent?.value).toHaveLength(100);
    expect(agent?.value.endsWith('…')).toBe(true);
    expect(agent?.count).toBe(25);
  });

  it('lists tenant changes from 30 minutes before onset, newest first, at most 10', () => {
    const world = createWorld();
    world.add('fp', 0, 30, db);
    for (let minute = 1; minute <= 15; minute++) {
      world.add('sapi', minute, 1, { client_id: 'Admin0001', description: `change ${minute}` });
    }
    world.add('sapi', 31, 1, { client_id: 'Admin0001', description: 'too early' });
    const suspects = only(world.detector().evaluate([]), 'failed_logins').evidence.suspects;
    expect(suspects.map((s) => s.what)).toEqual(Array.from({ length: 10 }, (_, i) => `change ${i + 1}`));
    expect(suspects[0]).toEqual({
      at: ago(1),
      kind: 'tenant_change',
      who: 'Admin0001',
      what: 'change 1',
      expected: false,
    });
  });

  it('anchors suspects to when an open incident opened', () => {
    const world = createWorld();
    world.add('fp', 0, 30, db);
    world.add('sapi', 50, 1, { client_id: 'Admin0001', description: 'before the incident' });
    const decisions = world.detector().evaluate([
      {
        signal: 'failed_logins',
        scope: 'connection:Username-Password-Authentication',
        severity: 'high',
        openedAt: ago(40),
      },
    ]);
    expect(only(decisions, 'failed_logins').evidence.suspects.map((s) => s.what)).toEqual([
      'before the incident',
    ]);
  });

  it('keeps the numbers with each decision', () => {
    const world = createWorld();
    world.add('fp', 0, 15, {
      ...db,
      client_id: 'spa0001',
      client_name: 'storefront',
      details: { error: { message: 'Wrong email or password.' } },
    });
    world.add('s', 0, 15, db);
    expect(only(world.detector().evaluate([]), 'failed_logins').evidence).toEqual({
      window: { from: ago(4), to: '2026-03-10T12:00:30.000Z', minutes: 5 },
      failures: 15,
      successes: 15,
      ratio: 0.5,
      rate: 3,
      topClients: [{ value: 'storefront (spa0001)', count: 15 }],
      topConnections: [{ value: 'Username-Password-Authentication', count: 15 }],
      topReasons: [{ value: 'Wrong email or password.', count: 15 }],
      suspects: [],
      // The card's shape of the signal: its first failure, the last hour in 5-minute buckets, when
      // a baseline will exist (no history yet), and the dashboard's log search.
      onset: '2026-03-10T12:00:00.000Z',
      curve: {
        to: '2026-03-10T12:00:30.000Z',
        bucketMinutes: 5,
        counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15],
      },
      baselineFrom: '2026-03-10T13:04:00.000Z',
      logQuery: { types: ['fp'], connection: 'Username-Password-Authentication' },
    });
  });
});

describe('topItems', () => {
  it('counts, orders by count then value, and skips empty values', () => {
    expect(
      topItems(['b', 'a', null, 'b', '', undefined, 'c', 'a'], { topN: 2, topValueLength: 100 }),
    ).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
    ]);
  });
});
