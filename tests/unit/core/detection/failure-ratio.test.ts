import { describe, expect, it } from 'vitest';
import { brief, createWorld, db, DB, only } from './world.js';

describe('failed logins: the failure ratio over the window', () => {
  it.each([
    { case: 'exactly 25% is filtered', failures: 5, successes: 15, expected: undefined },
    { case: '25.1% is medium', failures: 251, successes: 749, expected: ['medium', '25.1%'] },
    { case: '50% is medium', failures: 10, successes: 10, expected: ['medium', '50%'] },
    { case: '50.1% is high', failures: 501, successes: 499, expected: ['high', '50.1%'] },
    { case: '62% is high', failures: 62, successes: 38, expected: ['high', '62%'] },
  ])('$case', ({ failures, successes, expected }) => {
    const world = createWorld();
    world.add('fp', 0, failures, db);
    world.add('s', 0, successes, db);
    const decisions = world.detector().evaluate([]);
    if (expected === undefined) {
      expect(decisions).toEqual([]);
      return;
    }
    const [severity, pct] = expected;
    expect(brief(decisions)).toEqual([
      {
        kind: 'open',
        signal: 'failed_logins',
        scope: `connection:${DB}`,
        severity,
        title: `Failed logins at ${pct} on ${DB}`,
      },
    ]);
  });

  it.each([
    { attempts: 19, expected: [] },
    { attempts: 20, expected: ['high'] },
  ])('needs the minimum volume of attempts: $attempts failed attempts', ({ attempts, expected }) => {
    const world = createWorld();
    world.add('f', 1, attempts, db);
    const decisions = world.detector().evaluate([]);
    expect(decisions.map((d) => (d.kind === 'recover' ? d.kind : d.severity))).toEqual(expected);
  });

  it('counts the whole sliding window, not only the current minute', () => {
    const world = createWorld();
    for (const minute of [0, 1, 2, 3, 4]) world.add('fu', minute, 4, db);
    world.add('fu', 5, 100, db); // just outside the window
    world.add('s', 2, 10, db);
    const decision = only(world.detector().evaluate([]), 'failed_logins');
    expect(decision.evidence).toMatchObject({ failures: 20, successes: 10, ratio: 20 / 30, rate: 4 });
    expect(decision.evidence.window).toEqual({
      from: '2026-03-10T11:56:00.000Z',
      to: '2026-03-10T12:00:30.000Z',
      minutes: 5,
    });
  });

  it('updates an open incident instead of opening another', () => {
    const world = createWorld();
    world.add('fp', 0, 30, db);
    const decisions = world
      .detector()
      .evaluate([{ signal: 'failed_logins', scope: `connection:${DB}`, severity: 'medium' }]);
    expect(brief(decisions)).toMatchObject([{ kind: 'update', severity: 'high' }]);
  });

  it('honours overridden thresholds', () => {
    const world = createWorld();
    world.add('fp', 0, 3, db);
    world.add('s', 0, 7, db);
    const decisions = world.detector({ thresholds: { minVolume: 10, ratioHigh: 0.28 } }).evaluate([]);
    expect(brief(decisions)).toMatchObject([{ severity: 'high', title: `Failed logins at 30% on ${DB}` }]);
  });
});

describe('failed logins: per connection, and the tenant as a whole', () => {
  it('opens one incident for the failing connection, with the tenant as a whole left out', () => {
    const world = createWorld();
    world.add('fp', 0, 40, db);
    world.add('s', 0, 200, { connection: 'google-oauth2' });
    const decisions = world.detector().evaluate([]);
    expect(brief(decisions)).toEqual([
      expect.objectContaining({ scope: `connection:${DB}`, title: `Failed logins at 100% on ${DB}` }),
    ]);
  });

  it('opens for the tenant when failures spread over connections none of which reaches the volume alone', () => {
    const world = createWorld();
    for (const connection of ['a-db', 'b-db', 'c-db']) {
      world.add('fp', 0, 8, { connection });
      world.add('s', 0, 4, { connection });
    }
    world.add('f', 0, 2); // no connection: counted for the tenant only
    const decision = only(world.detector().evaluate([]), 'failed_logins');
    expect(decision).toMatchObject({
      scope: 'tenant',
      severity: 'high',
      title: 'Failed logins at 68.4% across the tenant',
    });
    expect(decision.evidence.topConnections).toEqual([
      { value: 'a-db', count: 8 },
      { value: 'b-db', count: 8 },
      { value: 'c-db', count: 8 },
    ]);
  });

  it('keeps updating an open tenant incident even when a connection fires too', () => {
    const world = createWorld();
    world.add('fp', 0, 30, db);
    const decisions = world
      .detector()
      .evaluate([{ signal: 'failed_logins', scope: 'tenant', severity: 'high' }]);
    expect(brief(decisions).map((d) => [d.kind, d.scope])).toEqual(
      expect.arrayContaining([
        ['open', `connection:${DB}`],
        ['update', 'tenant'],
      ]),
    );
    expect(decisions).toHaveLength(2);
  });
});

describe('web token exchange failures', () => {
  it('judges feacft and fertft against seacft and sertft per client', () => {
    const world = createWorld();
    const shop = { client_id: 'shopWeb0001', client_name: 'shop-web' };
    world.add('feacft', 0, 12, shop);
    world.add('fertft', 0, 4, shop);
    world.add('seacft', 0, 20, shop);
    world.add('sertft', 0, 4, shop);
    const decision = only(world.detector().evaluate([]), 'web_token_failures');
    expect(decision).toMatchObject({
      scope: 'client:shopWeb0001',
      severity: 'medium',
      title: 'Token exchange failures at 40% for shop-web (shopWeb0001)',
    });
  });
});
