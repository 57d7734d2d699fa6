import { describe, expect, it } from 'vitest';
import type { WatcherEvent } from '../../../../src/core/watchers/model.js';
import { ago, billing, BOT, brief, createWorld, later, only, type World } from './world.js';

const rotated = (at: string): WatcherEvent => ({
  kind: 'signing_key_rotated',
  at,
  scope: 'key:kid-B',
  severity: 'info',
  kid: 'kid-B',
  previousKid: 'kid-A',
  currentSince: at,
});

/** billing-worker got tokens three hours ago; its failures start two minutes ago (onset). */
const burst = (world: World) => {
  world.add('seccft', 180, 3, billing);
  world.add('feccft', 2, 3, billing);
  world.add('feccft', 1, 3, billing);
};

const admin = { client_id: 'TerraformCI1', client_name: 'terraform' };

describe('correlation of token failures with a signing-key rotation', () => {
  it.each([
    { case: 'in the minute the failures start', rotationAgo: 2, correlated: true },
    { case: '30 minutes before onset', rotationAgo: 32, correlated: true },
    { case: '31 minutes before onset', rotationAgo: 33, correlated: false },
    { case: 'after onset', rotationAgo: 1, correlated: false },
  ])('a rotation $case is correlated: $correlated', ({ rotationAgo, correlated }) => {
    const world = createWorld();
    burst(world);
    const detector = world.detector();
    detector.onWatcherEvents([rotated(ago(rotationAgo))]);
    const decision = only(detector.evaluate([]), 'm2m_token_failures');
    const base = 'M2M token failures for billing-worker (Zx81billing)';
    if (correlated) {
      expect(decision.title).toBe(`${base} after signing-key rotation`);
      expect(decision.evidence.correlation).toEqual({
        kind: 'signing_key_rotation',
        at: ago(rotationAgo),
        detail: 'signing key rotated to kid-B',
      });
    } else {
      expect(decision.title).toBe(base);
      expect(decision.evidence.correlation).toBeUndefined();
    }
  });

  it('takes its window from the thresholds', () => {
    const world = createWorld();
    burst(world);
    const detector = world.detector({ thresholds: { correlationMinutes: 10 } });
    detector.onWatcherEvents([rotated(ago(20))]);
    expect(only(detector.evaluate([]), 'm2m_token_failures').evidence.correlation).toBeUndefined();
  });

  it('raises the open signing-key incident to high instead of opening a second incident', () => {
    const world = createWorld();
    burst(world);
    world.add('feacft', 1, 30, { client_id: 'shopWeb0001', client_name: 'shop-web' });
    const detector = world.detector();
    detector.onWatcherEvents([rotated(ago(10))]);
    const decisions = detector.evaluate([{ signal: 'signing_key', scope: 'tenant', severity: 'info' }]);
    expect(brief(decisions)).toEqual([
      {
        kind: 'update',
        signal: 'signing_key',
        scope: 'tenant',
        severity: 'high',
        title: 'Token failures for shop-web and 1 more client after signing-key rotation',
      },
    ]);
    const [update] = decisions;
    expect(update?.kind === 'update' && update.evidence).toMatchObject({
      correlation: { kind: 'signing_key_rotation' },
      topClients: [
        { value: 'shop-web', count: 30 },
        { value: 'billing-worker', count: 6 },
      ],
    });
  });

  it('still correlates after a restart, from the rotation’s own log entry', () => {
    const world = createWorld();
    burst(world);
    world.add('sapi', 12, 1, { ...admin, description: 'Rotate the Application Signing Key' });
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision.title).toBe(
      'M2M token failures for billing-worker (Zx81billing) after signing-key rotation',
    );
    expect(decision.evidence.correlation).toEqual({
      kind: 'signing_key_rotation',
      at: ago(12),
      detail: 'signing key rotated by terraform',
    });
    expect(decision.evidence.suspects).toEqual([
      {
        at: ago(12),
        kind: 'signing_key_rotation',
        who: 'terraform',
        what: 'signing key rotated',
        expected: false,
      },
    ]);
  });

  it('recovers an unraised signing-key incident once the correlation window passes without token failures', () => {
    const world = createWorld();
    let now = later(0);
    const detector = world.detector({ now: () => now });
    detector.onWatcherEvents([rotated(ago(0))]);
    const open = [{ signal: 'signing_key', scope: 'tenant', severity: 'info' as const }];
    now = later(29);
    expect(detector.evaluate(open)).toEqual([]);
    now = later(30);
    expect(detector.evaluate(open)).toEqual([
      {
        kind: 'recover',
        signal: 'signing_key',
        scope: 'tenant',
        reason: 'no token failures within 30 min of the key change',
      },
    ]);
  });
});

describe('signing-key rotations: memory and restarts', () => {
  it('recognises the bot’s own rotation from its log entry: expected, medium, and said in the title', () => {
    const world = createWorld();
    burst(world);
    world.add('sapi', 14, 1, { client_id: BOT, description: 'Rotate the Application Signing Key' });
    const detector = world.detector();
    detector.onWatcherEvents([rotated(ago(10))]); // the watcher noticed it four minutes later
    const decision = only(detector.evaluate([]), 'm2m_token_failures');
    expect(decision).toMatchObject({
      severity: 'medium',
      title: "M2M token failures for billing-worker (Zx81billing) after the bot's own change (expected)",
      evidence: {
        correlation: {
          kind: 'signing_key_rotation',
          at: ago(14),
          detail: 'signing key rotated to kid-B by auth0-oncall (expected)',
        },
        suspects: [
          {
            at: ago(14),
            kind: 'own_rotation',
            who: 'auth0-oncall',
            what: 'signing key rotated to kid-B (was kid-A)',
            expected: true,
          },
        ],
      },
    });
  });

  it('keeps a signing-key incident open after a restart while the logged rotation is recent', () => {
    const world = createWorld();
    world.add('sapi', 0, 1, { ...admin, description: 'Rotate the Application Signing Key' });
    const open = [{ signal: 'signing_key', scope: 'tenant', severity: 'info' as const }];
    expect(world.detector({ now: () => later(20) }).evaluate(open)).toEqual([]);
    expect(brief(world.detector({ now: () => later(31) }).evaluate(open))).toEqual([
      { kind: 'recover', signal: 'signing_key', scope: 'tenant' },
    ]);
  });

  it('keeps a raised signing-key incident open while token failures of its kind go on', () => {
    const world = createWorld();
    const unknownKey = { ...billing, description: 'Invalid signature: kid kid-B is not in the JWKS' };
    world.add('seccft', 180, 3, billing);
    world.add('feccft', 2, 3, unknownKey);
    world.add('feccft', 1, 3, unknownKey);
    const open = [{ signal: 'signing_key', scope: 'tenant', severity: 'high' as const }];
    const detector = (now?: () => Date) => {
      const d = world.detector(now ? { now } : {});
      d.onWatcherEvents([rotated(ago(20))]);
      return d;
    };
    expect(brief(detector().evaluate(open))).toEqual([
      expect.objectContaining({ kind: 'update', signal: 'signing_key', severity: 'high' }),
    ]);
    expect(detector(() => later(10)).evaluate(open)).toEqual([]);
    expect(detector(() => later(17)).evaluate(open)).toEqual([
      {
        kind: 'recover',
        signal: 'signing_key',
        scope: 'tenant',
        reason: 'token failures below threshold for 15 min',
      },
    ]);
  });
});

describe('cause by evidence', () => {
  it('never folds wrong-secret failures into an open signing-key incident: they keep their own card', () => {
    const world = createWorld();
    const wrongSecret = {
      ...billing,
      description: 'Unauthorized',
      details: { client_authentoication_error: 'Invalid client_secret' },
    };
    world.add('seccft', 180, 3, billing);
    world.add('feccft', 2, 40, wrongSecret);
    world.add('feccft', 1, 47, wrongSecret);
    const detector = world.detector();
    detector.onWatcherEvents([rotated(ago(6))]);
    const decisions = detector.evaluate([{ signal: 'signing_key', scope: 'tenant', severity: 'high' }]);
    const m2m = only(decisions, 'm2m_token_failures');
    expect(m2m.kind).toBe('open');
    expect(m2m.title).toBe('M2M token failures for billing-worker (Zx81billing)');
    expect(m2m.evidence.correlation).toBeUndefined();
    expect(decisions.filter((d) => d.signal === 'signing_key' && d.kind === 'update')).toEqual([]);
  });

  it('names a secret change as the cause only when the failures say the secret is wrong', () => {
    const world = createWorld();
    world.add('seccft', 180, 3, billing);
    world.add('sapi', 8, 1, { ...admin, description: 'Rotate a client secret (Zx81billing)' });
    const grant = { ...billing, description: 'Client has not been granted scopes: read:reports' };
    world.add('feccft', 2, 3, grant);
    world.add('feccft', 1, 3, grant);
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision.evidence.correlation).toBeUndefined();
    expect(decision.title).not.toContain('after a secret change');
    // Still shown as a suspect on the card.
    expect(decision.evidence.suspects.map((s) => s.what).join(' ')).toContain('Zx81billing');
  });
});

describe('correlation with a change to the failing client', () => {
  it('says "after a secret change" when a change on that client precedes the failures', () => {
    const world = createWorld();
    burst(world);
    world.add('sapi', 8, 1, { ...admin, description: 'Rotate a client secret (Zx81billing)' });
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision).toMatchObject({
      severity: 'high',
      title: 'M2M token failures for billing-worker (Zx81billing) after a secret change',
      evidence: {
        correlation: {
          kind: 'secret_change',
          at: ago(8),
          detail: 'Rotate a client secret (Zx81billing) by terraform',
        },
      },
    });
  });

  it('keeps a change to another client as a suspect only', () => {
    const world = createWorld();
    burst(world);
    world.add('sapi', 8, 1, { ...admin, description: 'Update a client (Other0001)' });
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision.evidence.correlation).toBeUndefined();
    expect(decision.evidence.suspects).toHaveLength(1);
  });
});

describe('own-change suppression: the bot’s own changes never open a high incident on their own', () => {
  it('caps an M2M burst at medium when the only recent change is the bot’s own rotation', () => {
    const world = createWorld();
    burst(world);
    world.add('sapi', 10, 1, {
      client_id: BOT,
      client_name: 'auth0-oncall',
      description: 'Rotate a client secret',
    });
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision.severity).toBe('medium');
    expect(decision.evidence.suspects).toEqual([
      {
        at: ago(10),
        kind: 'own_rotation',
        who: 'auth0-oncall',
        what: 'Rotate a client secret',
        expected: true,
      },
    ]);
    expect(decision.evidence.summary).toContain("the only recent tenant changes are the bot's own");
  });

  it('says so in the title when the bot’s own change is the correlated one', () => {
    const world = createWorld();
    burst(world);
    world.add('sapi', 10, 1, { client_id: BOT, description: 'Rotate the secret of Zx81billing' });
    expect(only(world.detector().evaluate([]), 'm2m_token_failures')).toMatchObject({
      severity: 'medium',
      title: "M2M token failures for billing-worker (Zx81billing) after the bot's own change (expected)",
    });
  });

  it('stays high when someone else changed the tenant too', () => {
    const world = createWorld();
    burst(world);
    world.add('sapi', 10, 1, { client_id: BOT, description: 'Rotate a client secret' });
    world.add('sapi', 15, 1, { ...admin, description: 'Update a connection' });
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision.severity).toBe('high');
    expect(decision.evidence.suspects.map((s) => [s.kind, s.expected])).toEqual([
      ['own_rotation', true],
      ['tenant_change', false],
    ]);
  });

  it('marks the bot’s other changes as expected own changes', () => {
    const world = createWorld();
    world.add('fp', 0, 30, { connection: 'db' });
    world.add('sapi', 3, 1, { client_id: BOT, description: 'Update a client' });
    expect(only(world.detector().evaluate([]), 'failed_logins')).toMatchObject({
      severity: 'medium',
      evidence: { suspects: [{ kind: 'own_change', who: 'auth0-oncall', expected: true }] },
    });
  });
});
