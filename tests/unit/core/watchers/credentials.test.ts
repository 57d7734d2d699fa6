import { describe, expect, it } from 'vitest';
import type { ClientCredential } from '../../../../src/core/tenant/ports.js';
import { DAY_MS } from '../../../../src/core/watchers/model.js';
import {
  evaluateCredentials,
  readCredentialState,
  type ClientCredentials,
  type CredentialState,
} from '../../../../src/core/watchers/credentials.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const AT = NOW.toISOString();
const opts = { warnDays: 14 };

const inDays = (days: number): string => new Date(NOW.getTime() + days * DAY_MS).toISOString();
const later = (days: number): Date => new Date(NOW.getTime() + days * DAY_MS);

const cred = (id: string, expiresAt: string | undefined, clientId = 'cli_billing'): ClientCredential => ({
  id,
  name: `${id} key`,
  clientId,
  expiresAt,
});

/** billing-worker with credentials `creds`, of which `active` are listed in client_authentication_methods. */
const billing = (creds: ClientCredential[], active = creds.map((c) => c.id)): ClientCredentials => ({
  client: { clientId: 'cli_billing', name: 'billing-worker', activeCredentialIds: active },
  credentials: creds,
});

const kinds = (clients: ClientCredentials[], previous?: CredentialState, now = NOW) =>
  evaluateCredentials(clients, previous, now, opts).events.map((e) => `${e.kind}:${e.severity}`);

describe('evaluateCredentials', () => {
  it.each([
    { left: 30, expected: [] },
    { left: 14, expected: ['credential_expiring:medium'] },
    { left: 5, expected: ['credential_expiring:medium'] },
    { left: 1, expected: ['credential_expiring:high'] },
    { left: 0.1, expected: ['credential_expiring:high'] },
    { left: 0, expected: ['credential_expired:high'] },
    { left: -3, expected: ['credential_expired:high'] },
  ])('an active credential expiring in $left days gives $expected on the first run', ({ left, expected }) => {
    expect(kinds([billing([cred('cred_A', inDays(left))])])).toEqual(expected);
  });

  it('describes an expiring credential with its client, credential and date', () => {
    const [event] = evaluateCredentials([billing([cred('cred_A', inDays(5))])], undefined, NOW, opts).events;
    expect(event).toEqual({
      kind: 'credential_expiring',
      at: AT,
      scope: 'client:cli_billing',
      severity: 'medium',
      clientId: 'cli_billing',
      clientName: 'billing-worker',
      credentialId: 'cred_A',
      credentialName: 'cred_A key',
      expiresAt: inDays(5),
      daysLeft: 5,
      warnDays: 14,
    });
  });

  it('ignores credentials that are not active, however soon they expire', () => {
    const clients = [billing([cred('cred_A', inDays(60)), cred('cred_OLD', inDays(-1))], ['cred_A'])];
    const outcome = evaluateCredentials(clients, undefined, NOW, opts);
    expect(outcome.events).toEqual([]);
    expect(outcome.reading).toEqual({
      ok: true,
      summary: 'nearest credential expiry in 60 days (billing-worker)',
    });
  });

  it('warns once, escalates to high and then to expired without a recovery in between', () => {
    const clients = [billing([cred('cred_A', inDays(5))])];
    let state: CredentialState | undefined;
    const seen = [0, 2, 4.5, 4.6, 5.1, 6].map((day) => {
      const outcome = evaluateCredentials(clients, state, later(day), opts);
      state = outcome.state;
      return outcome.events.map((e) => `${e.kind}:${e.severity}`);
    });
    expect(seen).toEqual([
      ['credential_expiring:medium'],
      [],
      ['credential_expiring:high'],
      [],
      ['credential_expired:high'],
      [],
    ]);
  });

  it.each([
    {
      how: 'its expiry is extended beyond the window',
      after: [billing([cred('cred_A', inDays(365))])],
      reason: 'resolved',
    },
    { how: 'its expiry is removed', after: [billing([cred('cred_A', undefined)])], reason: 'resolved' },
    {
      how: 'it is detached from the client',
      after: [billing([cred('cred_A', inDays(5)), cred('cred_B', inDays(365))], ['cred_B'])],
      reason: 'removed',
    },
    { how: 'it is deleted with the client’s only key', after: [], reason: 'removed' },
  ])('recovers an expiring credential when $how', ({ after, reason }) => {
    const before = evaluateCredentials([billing([cred('cred_A', inDays(5))])], undefined, NOW, opts).state;
    const outcome = evaluateCredentials(after, before, NOW, opts);
    expect(outcome.events).toEqual([
      {
        kind: 'credential_expiring_recovered',
        at: AT,
        scope: 'client:cli_billing',
        severity: 'info',
        reason,
        clientId: 'cli_billing',
        clientName: 'billing-worker',
        credentialId: 'cred_A',
      },
    ]);
    expect(outcome.reading.ok).toBe(true);
  });

  it('recovers an expired credential as "expired", and reopens it as expiring if the new date is close', () => {
    const expired = evaluateCredentials([billing([cred('cred_A', inDays(-1))])], undefined, NOW, opts).state;
    expect(kinds([], expired)).toEqual(['credential_expired_recovered:info']);
    expect(kinds([billing([cred('cred_A', inDays(3))])], expired)).toEqual([
      'credential_expired_recovered:info',
      'credential_expiring:medium',
    ]);
  });

  it('keeps a lower severity silent but warns again when it rises once more', () => {
    const high = evaluateCredentials([billing([cred('cred_A', inDays(0.5))])], undefined, NOW, opts).state;
    const lowered = evaluateCredentials([billing([cred('cred_A', inDays(7))])], high, NOW, opts);
    expect(lowered.events).toEqual([]);
    expect(kinds([billing([cred('cred_A', inDays(0.5))])], lowered.state)).toEqual([
      'credential_expiring:high',
    ]);
  });

  it('summarises expired credentials and the nearest expiry by client name', () => {
    const clients = [
      billing([cred('cred_A', inDays(-2))]),
      {
        client: { clientId: 'cli_reports', name: 'reports', activeCredentialIds: ['cred_R'] },
        credentials: [cred('cred_R', inDays(5), 'cli_reports')],
      },
    ];
    expect(evaluateCredentials(clients, undefined, NOW, opts).reading).toEqual({
      ok: false,
      summary: 'credential expired (billing-worker); nearest credential expiry in 5 days (reports)',
    });
  });

  it.each([
    { clients: [], summary: 'no active private_key_jwt credentials' },
    { clients: [billing([cred('cred_A', undefined)])], summary: 'no active credential expires' },
  ])('says so when nothing can expire: $summary', ({ clients, summary }) => {
    expect(evaluateCredentials(clients, undefined, NOW, opts).reading).toEqual({ ok: true, summary });
  });

  it('reads back its own state through JSON and treats anything else as no baseline', () => {
    const { state } = evaluateCredentials([billing([cred('cred_A', inDays(2))])], undefined, NOW, opts);
    expect(readCredentialState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(readCredentialState('{}')).toBeUndefined();
  });
});
