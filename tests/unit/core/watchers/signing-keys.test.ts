import { describe, expect, it } from 'vitest';
import type { JwksKey, SigningKey } from '../../../../src/core/tenant/ports.js';
import {
  evaluateSigningKeys,
  readSigningKeyState,
  type SigningKeyState,
} from '../../../../src/core/watchers/signing-keys.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const AT = NOW.toISOString();

type Flags = Partial<Omit<SigningKey, 'kid'>>;
const key = (kid: string, flags: Flags = {}): SigningKey => ({
  kid,
  current: false,
  next: false,
  previous: false,
  revoked: false,
  currentSince: undefined,
  revokedAt: undefined,
  fingerprint: undefined,
  ...flags,
});
const jwks = (...kids: string[]): JwksKey[] => kids.map((kid) => ({ kid, kty: 'RSA', alg: 'RS256' }));

/** The usual tenant: A signs, B is queued next, both published. */
const steady = [
  key('kid-A', { current: true, currentSince: '2026-03-01T08:00:00.000Z' }),
  key('kid-B', { next: true }),
];

const baseline = (keys: readonly SigningKey[], published: readonly JwksKey[]): SigningKeyState =>
  evaluateSigningKeys(undefined, keys, published, new Date('2026-03-09T12:00:00.000Z')).state;

describe('evaluateSigningKeys', () => {
  it('records a baseline on the first run without reporting rotation, staging or revocation', () => {
    const keys = [
      ...steady,
      key('kid-Z', { previous: true, revoked: true, revokedAt: '2026-02-01T00:00:00.000Z' }),
    ];
    const outcome = evaluateSigningKeys(undefined, keys, jwks('kid-A', 'kid-B'), NOW);
    expect(outcome.events).toEqual([]);
    expect(outcome.state).toEqual({
      currentKid: 'kid-A',
      currentSince: '2026-03-01T08:00:00.000Z',
      nextKid: 'kid-B',
      revokedKids: ['kid-Z'],
      jwksMissingKid: null,
    });
    expect(outcome.reading).toEqual({ ok: true, summary: 'current key kid-A since 2026-03-01; next staged' });
  });

  it.each([
    {
      change:
        'a rotation is reported as the new current key, without a separate staging of the fresh next key',
      keys: [
        key('kid-A', { previous: true }),
        key('kid-B', { current: true, currentSince: AT }),
        key('kid-C', { next: true }),
      ],
      published: jwks('kid-A', 'kid-B', 'kid-C'),
      events: [
        {
          kind: 'signing_key_rotated',
          at: AT,
          scope: 'key:kid-B',
          severity: 'info',
          kid: 'kid-B',
          previousKid: 'kid-A',
          currentSince: AT,
        },
      ],
    },
    {
      change: 'a different key queued as next, with no rotation, is staged: a rotation is imminent',
      keys: [steady[0]!, key('kid-C', { next: true })],
      published: jwks('kid-A', 'kid-C'),
      events: [
        { kind: 'signing_key_next_staged', at: AT, scope: 'key:kid-C', severity: 'info', kid: 'kid-C' },
      ],
    },
    {
      change: 'a revoked previous key is reported with its revocation time',
      keys: [
        key('kid-P', { previous: true, revoked: true, revokedAt: '2026-03-10T11:59:00.000Z' }),
        ...steady,
      ],
      published: jwks('kid-A', 'kid-B'),
      events: [
        {
          kind: 'signing_key_revoked',
          at: AT,
          scope: 'key:kid-P',
          severity: 'info',
          kid: 'kid-P',
          revokedAt: '2026-03-10T11:59:00.000Z',
        },
      ],
    },
    {
      change: 'nothing changed: nothing is reported',
      keys: steady,
      published: jwks('kid-A', 'kid-B'),
      events: [],
    },
  ])('$change', ({ keys, published, events }) => {
    const before = baseline(steady, jwks('kid-A', 'kid-B'));
    expect(evaluateSigningKeys(before, keys, published, NOW).events).toEqual(events);
  });

  it('reports a next key staged when none was queued before', () => {
    const before = baseline([steady[0]!], jwks('kid-A'));
    expect(evaluateSigningKeys(before, steady, jwks('kid-A', 'kid-B'), NOW).events).toEqual([
      { kind: 'signing_key_next_staged', at: AT, scope: 'key:kid-B', severity: 'info', kid: 'kid-B' },
    ]);
  });

  it('reports a rotation once, not again on the runs after it', () => {
    const rotated = [
      key('kid-A', { previous: true }),
      key('kid-B', { current: true }),
      key('kid-C', { next: true }),
    ];
    const published = jwks('kid-A', 'kid-B', 'kid-C');
    const first = evaluateSigningKeys(baseline(steady, jwks('kid-A', 'kid-B')), rotated, published, NOW);
    const second = evaluateSigningKeys(first.state, rotated, published, NOW);
    expect(first.events.map((e) => e.kind)).toEqual(['signing_key_rotated']);
    expect(second.events).toEqual([]);
  });

  it('raises a high event when the JWKS lacks the current key, even on the first run, and only once', () => {
    const first = evaluateSigningKeys(undefined, steady, jwks('kid-B'), NOW);
    expect(first.events).toEqual([
      {
        kind: 'jwks_missing_current',
        at: AT,
        scope: 'key:kid-A',
        severity: 'high',
        kid: 'kid-A',
        jwksKids: ['kid-B'],
      },
    ]);
    expect(first.reading).toEqual({
      ok: false,
      summary: 'current key kid-A since 2026-03-01; next staged; current key missing from the JWKS',
    });
    expect(evaluateSigningKeys(first.state, steady, jwks('kid-B'), NOW).events).toEqual([]);
  });

  it('recovers the JWKS condition once the current key is published', () => {
    const missing = evaluateSigningKeys(undefined, steady, jwks('kid-B'), NOW).state;
    const fixed = evaluateSigningKeys(missing, steady, jwks('kid-A', 'kid-B'), NOW);
    expect(fixed.events).toEqual([
      {
        kind: 'jwks_missing_current_recovered',
        at: AT,
        scope: 'key:kid-A',
        severity: 'info',
        kid: 'kid-A',
        reason: 'resolved',
      },
    ]);
    expect(fixed.reading.ok).toBe(true);
  });

  it('ends the JWKS condition as "removed" when the tenant rotates away from the missing key', () => {
    const missing = evaluateSigningKeys(undefined, steady, jwks('kid-B'), NOW).state;
    const rotated = [key('kid-A', { previous: true }), key('kid-B', { current: true })];
    const outcome = evaluateSigningKeys(missing, rotated, jwks('kid-B'), NOW);
    expect(outcome.events.map((e) => [e.kind, e.scope])).toEqual([
      ['signing_key_rotated', 'key:kid-B'],
      ['jwks_missing_current_recovered', 'key:kid-A'],
    ]);
    expect(outcome.events[1]).toMatchObject({ reason: 'removed' });
  });

  it('is not ok without a current key, and shortens long kids in the summary', () => {
    expect(
      evaluateSigningKeys(undefined, [key('kid-B', { next: true })], jwks('kid-B'), NOW).reading,
    ).toEqual({
      ok: false,
      summary: 'no current signing key',
    });
    const long = [key('abcdefghij0123456789xyz', { current: true })];
    expect(evaluateSigningKeys(undefined, long, jwks('abcdefghij0123456789xyz'), NOW).reading.summary).toBe(
      'current key abc…xyz',
    );
  });

  it('reads back its own state through JSON and treats anything else as no baseline', () => {
    const state = baseline(steady, jwks('kid-A', 'kid-B'));
    expect(readSigningKeyState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(readSigningKeyState(null)).toBeUndefined();
    expect(readSigningKeyState({ currentKid: 7 })).toBeUndefined();
  });
});
