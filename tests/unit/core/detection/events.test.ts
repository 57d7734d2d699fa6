import { describe, expect, it } from 'vitest';
import type { HealthEvent } from '../../../../src/core/events/health-events.js';
import type { WatcherEvent } from '../../../../src/core/watchers/model.js';
import { brief, createWorld } from './world.js';

const AT = '2026-03-10T11:55:00.000Z';
const subject = { clientId: 'Zx81billing', clientName: 'billing-worker', credentialId: 'cred_1' };
const domain = { scope: 'domain:login.acme.com', domain: 'login.acme.com' } as const;
const key = { scope: 'key:kid-B', kid: 'kid-B' } as const;

const cases: ReadonlyArray<{ event: WatcherEvent; expected: ReturnType<typeof brief>[number] }> = [
  {
    event: {
      kind: 'signing_key_rotated',
      at: AT,
      ...key,
      severity: 'info',
      previousKid: 'kid-A',
      currentSince: AT,
    },
    expected: {
      kind: 'open',
      signal: 'signing_key',
      scope: 'tenant',
      severity: 'info',
      title: 'Signing key rotated to kid-B',
    },
  },
  {
    event: { kind: 'signing_key_revoked', at: AT, ...key, severity: 'info', revokedAt: AT },
    expected: {
      kind: 'open',
      signal: 'signing_key',
      scope: 'tenant',
      severity: 'info',
      title: 'Signing key kid-B revoked',
    },
  },
  {
    event: { kind: 'signing_key_next_staged', at: AT, ...key, severity: 'info' },
    expected: {
      kind: 'open',
      signal: 'signing_key',
      scope: 'tenant',
      severity: 'info',
      title: 'A signing-key rotation is imminent',
    },
  },
  {
    event: { kind: 'jwks_missing_current', at: AT, ...key, severity: 'high', jwksKids: ['kid-A'] },
    expected: {
      kind: 'open',
      signal: 'signing_key',
      scope: 'key:kid-B',
      severity: 'high',
      title: 'The JWKS does not publish the current signing key kid-B',
    },
  },
  {
    event: { kind: 'jwks_missing_current_recovered', at: AT, ...key, severity: 'info', reason: 'resolved' },
    expected: { kind: 'recover', signal: 'signing_key', scope: 'key:kid-B' },
  },
  {
    event: {
      kind: 'certificate_expiring',
      at: AT,
      ...domain,
      severity: 'medium',
      renewsBefore: AT,
      daysLeft: 5,
      warnDays: 14,
    },
    expected: {
      kind: 'open',
      signal: 'certificate',
      scope: 'domain:login.acme.com',
      severity: 'medium',
      title: 'Certificate for login.acme.com must renew within 5 days',
    },
  },
  {
    event: {
      kind: 'certificate_expiring',
      at: AT,
      ...domain,
      severity: 'high',
      renewsBefore: AT,
      daysLeft: 0,
      warnDays: 14,
    },
    expected: {
      kind: 'open',
      signal: 'certificate',
      scope: 'domain:login.acme.com',
      severity: 'high',
      title: 'Certificate for login.acme.com must renew now',
    },
  },
  {
    event: {
      kind: 'certificate_expiring_recovered',
      at: AT,
      ...domain,
      severity: 'info',
      renewsBefore: null,
      reason: 'resolved',
    },
    expected: { kind: 'recover', signal: 'certificate', scope: 'domain:login.acme.com' },
  },
  {
    event: {
      kind: 'certificate_renewal_failed',
      at: AT,
      ...domain,
      severity: 'high',
      status: 'renewing_failed',
      errorMessage: 'CNAME missing',
    },
    expected: {
      kind: 'open',
      signal: 'certificate',
      scope: 'domain:login.acme.com/renewal',
      severity: 'high',
      title: 'Certificate renewal failed for login.acme.com',
    },
  },
  {
    event: {
      kind: 'certificate_renewal_failed_recovered',
      at: AT,
      ...domain,
      severity: 'info',
      reason: 'removed',
    },
    expected: { kind: 'recover', signal: 'certificate', scope: 'domain:login.acme.com/renewal' },
  },
  {
    event: { kind: 'custom_domain_failed', at: AT, ...domain, severity: 'high' },
    expected: {
      kind: 'open',
      signal: 'custom_domain',
      scope: 'domain:login.acme.com',
      severity: 'high',
      title: 'Custom domain login.acme.com failed verification',
    },
  },
  {
    event: {
      kind: 'custom_domain_failed_recovered',
      at: AT,
      ...domain,
      severity: 'info',
      reason: 'resolved',
    },
    expected: { kind: 'recover', signal: 'custom_domain', scope: 'domain:login.acme.com' },
  },
  {
    event: {
      kind: 'credential_expiring',
      at: AT,
      scope: 'client:Zx81billing',
      severity: 'medium',
      ...subject,
      credentialName: 'ci-key',
      expiresAt: AT,
      daysLeft: 1,
      warnDays: 14,
    },
    expected: {
      kind: 'open',
      signal: 'credential_expiry',
      scope: 'client:Zx81billing/credential:cred_1',
      severity: 'medium',
      title: 'Credential ci-key of billing-worker expires within 1 day',
    },
  },
  {
    event: {
      kind: 'credential_expired',
      at: AT,
      scope: 'client:Zx81billing',
      severity: 'high',
      ...subject,
      credentialName: null,
      expiresAt: AT,
    },
    expected: {
      kind: 'open',
      signal: 'credential_expiry',
      scope: 'client:Zx81billing/credential:cred_1',
      severity: 'high',
      title: 'Credential cred_1 of billing-worker has expired',
    },
  },
  {
    event: {
      kind: 'credential_expired_recovered',
      at: AT,
      scope: 'client:Zx81billing',
      severity: 'info',
      ...subject,
      reason: 'removed',
    },
    expected: { kind: 'recover', signal: 'credential_expiry', scope: 'client:Zx81billing/credential:cred_1' },
  },
  {
    event: {
      kind: 'credential_expiring_recovered',
      at: AT,
      scope: 'client:Zx81billing',
      severity: 'info',
      ...subject,
      reason: 'resolved',
    },
    expected: { kind: 'recover', signal: 'credential_expiry', scope: 'client:Zx81billing/credential:cred_1' },
  },
];

describe('watcher events', () => {
  it.each(cases)('$event.kind → $expected.kind $expected.signal $expected.scope', ({ event, expected }) => {
    expect(brief(createWorld().detector().onWatcherEvents([event]))).toEqual([expected]);
  });

  it('keeps the watcher’s words as the summary', () => {
    const [decision] = createWorld()
      .detector()
      .onWatcherEvents([
        {
          kind: 'certificate_renewal_failed',
          at: AT,
          ...domain,
          severity: 'high',
          status: 'renewing_failed',
          errorMessage: 'CNAME missing',
        },
      ]);
    expect(decision?.kind === 'open' && decision.evidence).toEqual({
      window: { from: AT, to: AT, minutes: 0 },
      failures: 0,
      rate: 0,
      suspects: [],
      summary: 'Auth0 reports renewing_failed: CNAME missing.',
    });
  });

  it('writes dates as plain UTC dates, never ISO strings, with correct plurals', () => {
    const summaries = createWorld()
      .detector()
      .onWatcherEvents([
        { kind: 'signing_key_revoked', at: AT, ...key, severity: 'info', revokedAt: AT },
        {
          kind: 'certificate_expiring',
          at: AT,
          ...domain,
          severity: 'high',
          renewsBefore: '2026-03-11T00:00:00.000Z',
          daysLeft: 0,
          warnDays: 1,
        },
        {
          kind: 'credential_expiring',
          at: AT,
          scope: 'client:Zx81billing',
          severity: 'medium',
          ...subject,
          credentialName: 'ci-key',
          expiresAt: '2026-03-20T09:05:00.000Z',
          daysLeft: 9,
          warnDays: 14,
        },
      ])
      .map((d) => (d.kind === 'recover' ? '' : (d.evidence.summary ?? '')));
    expect(summaries).toEqual([
      'Signing key kid-B was revoked on 10 Mar 2026, 11:55 UTC: tokens it signed no longer verify.',
      'The certificate for login.acme.com must renew before 11 Mar 2026, 00:00 UTC (warned 1 day ahead).',
      'billing-worker (Zx81billing): credential ci-key expires on 20 Mar 2026, 09:05 UTC.',
    ]);
  });
});

describe('health events', () => {
  const event = (over: Partial<HealthEvent>): HealthEvent => ({
    type: 'breaker_opened',
    dependency: 'auth0',
    at: new Date(AT),
    ...over,
  });

  it('opens "the bot cannot reach Auth0" at high when the Auth0 breaker opens', () => {
    const decisions = createWorld()
      .detector()
      .onHealthEvent(event({ reason: 'credential refused (HTTP 401) in oauth.token' }));
    expect(decisions).toEqual([
      {
        kind: 'open',
        signal: 'auth0_unreachable',
        scope: 'tenant',
        severity: 'high',
        title: 'The bot cannot reach the Auth0 Management API',
        evidence: expect.objectContaining({
          summary: expect.stringContaining(
            'The bot cannot reach the Auth0 Management API: its own credential may be wrong (credential refused (HTTP 401) in oauth.token)',
          ),
        }),
      },
    ]);
  });

  it('does not blame the credential for other failures', () => {
    const [decision] = createWorld()
      .detector()
      .onHealthEvent(event({ reason: 'HTTP 503 in logs.list' }));
    expect(decision?.kind === 'open' && decision.evidence.summary).toMatch(
      /^The bot cannot reach the Auth0 Management API \(HTTP 503 in logs.list\)\./,
    );
  });

  it.each([
    {
      over: { type: 'breaker_closed' },
      expected: [{ kind: 'recover', signal: 'auth0_unreachable', scope: 'tenant' }],
    },
    { over: { type: 'breaker_half_open' }, expected: [] },
    { over: { dependency: 'slack' }, expected: [] },
    { over: { dependency: 'secrets_manager', type: 'breaker_closed' }, expected: [] },
  ] as const)('$over → $expected.length decision(s)', ({ over, expected }) => {
    expect(brief(createWorld().detector().onHealthEvent(event(over)))).toEqual(expected);
  });
});
